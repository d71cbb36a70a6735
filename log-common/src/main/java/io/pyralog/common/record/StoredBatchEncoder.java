package io.pyralog.common.record;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.schema.RawSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Turns an Arrow batch into a stored batch: the {@link BatchHeader} followed by the batch's Arrow
 * IPC message. This is what a node does with every batch a producer sends.
 */
@Internal
public final class StoredBatchEncoder {
  private StoredBatchEncoder() {}

  /**
   * A stored batch: the first {@code length} bytes of {@code array}. The array is handed on as
   * it is, without a copy to an exact-size array.
   */
  public record Encoded(byte[] array, int length) {
    public int payloadLength() {
      return length - BatchHeader.SIZE;
    }
  }

  /**
   * Encodes {@code root}. A raw batch's timestamps are the range of its {@code timestamp}
   * column; a typed batch, or a raw one whose timestamps are all null, gets {@code
   * appendTimeMs}. The base offset is 0 until the batch is appended.
   */
  public static Encoded encode(VectorSchemaRoot root, boolean raw, long appendTimeMs,
      long producerId, short producerEpoch, int baseSequence, int schemaId) {
    return encode(root, raw, appendTimeMs, producerId, producerEpoch, baseSequence, schemaId,
        BatchHeader.NO_TRANSACTION_ID);
  }

  /**
   * As above; a batch of transaction {@code transactionNumber} (not {@link
   * BatchHeader#NO_TRANSACTION_ID}) carries {@link BatchHeader#ATTR_TRANSACTIONAL} and the number.
   */
  public static Encoded encode(VectorSchemaRoot root, boolean raw, long appendTimeMs,
      long producerId, short producerEpoch, int baseSequence, int schemaId,
      long transactionNumber) {
    boolean transactional = transactionNumber != BatchHeader.NO_TRANSACTION_ID;
    ExposedOutput out;
    try (ArrowRecordBatch rb = new VectorUnloader(root).getRecordBatch()) {
      out = new ExposedOutput((int) Math.min(Integer.MAX_VALUE - 1024,
          rb.computeBodyLength() + 1024));
      out.write(new byte[BatchHeader.SIZE], 0, BatchHeader.SIZE);
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), rb);
    } catch (IOException e) {
      throw Errors.CORRUPT_RECORD.exception("Cannot encode batch: " + e.getMessage());
    }
    int rows = root.getRowCount();
    long first = appendTimeMs;
    long max = appendTimeMs;
    if (raw) {
      TimeStampMilliVector ts = (TimeStampMilliVector) root.getVector(RawSchema.TIMESTAMP);
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (int i = 0; i < rows; i++) {
        if (!ts.isNull(i)) {
          long v = ts.get(i);
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      if (lo != Long.MAX_VALUE) {
        first = lo;
        max = hi;
      }
    }
    Encoded encoded = new Encoded(out.array(), out.size());
    BatchHeader.write(ByteBuffer.wrap(encoded.array(), 0, encoded.length()), 0,
        transactional ? BatchHeader.ATTR_TRANSACTIONAL : (short) 0, 0L,
        rows, first, max, producerId, producerEpoch, baseSequence,
        transactionNumber, schemaId, encoded.payloadLength());
    return encoded;
  }

  private static final class ExposedOutput extends ByteArrayOutputStream {
    ExposedOutput(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }
}
