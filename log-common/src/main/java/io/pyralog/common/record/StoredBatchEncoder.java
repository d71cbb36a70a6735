package io.pyralog.common.record;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.schema.RawSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
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
    try (ArrowRecordBatch rb = new VectorUnloader(root).getRecordBatch()) {
      TimeStampMilliVector ts = raw
          ? (TimeStampMilliVector) root.getVector(RawSchema.TIMESTAMP) : null;
      return encode(rb, ts, 0, appendTimeMs, producerId, producerEpoch, baseSequence, schemaId,
          transactionNumber);
    }
  }

  /**
   * Encodes rows {@code from} to {@code from + count - 1} of {@code root} as one stored batch,
   * as {@link #encode} would encode a slice of them. A batch of the raw schema is written
   * straight from its buffers ({@link RawRowsBatch}); any other is sliced first.
   */
  public static Encoded encodeRows(VectorSchemaRoot root, int from, int count, boolean raw,
      long appendTimeMs, long producerId, short producerEpoch, int baseSequence, int schemaId,
      long transactionNumber) {
    RawRowsBatch rows = raw ? RawRowsBatch.of(root) : null;
    if (rows != null) {
      return encodeRows(rows, from, count, appendTimeMs, producerId, producerEpoch,
          baseSequence, schemaId, transactionNumber);
    }
    if (from == 0 && count == root.getRowCount()) {
      return encode(root, raw, appendTimeMs, producerId, producerEpoch, baseSequence, schemaId,
          transactionNumber);
    }
    try (VectorSchemaRoot slice = root.slice(from, count)) {
      return encode(slice, raw, appendTimeMs, producerId, producerEpoch, baseSequence, schemaId,
          transactionNumber);
    }
  }

  /**
   * Rows {@code from} to {@code from + count - 1} of a raw batch, through a reader the caller
   * keeps for all the parts of its messages ({@link RawRowsBatch#of} per part would look up the
   * root's vectors again each time).
   */
  public static Encoded encodeRows(RawRowsBatch rows, int from, int count, long appendTimeMs,
      long producerId, short producerEpoch, int baseSequence, int schemaId,
      long transactionNumber) {
    try (ArrowRecordBatch rb = rows.rows(from, count)) {
      return encode(rb, rows.timestamps(), from, appendTimeMs, producerId, producerEpoch,
          baseSequence, schemaId, transactionNumber);
    }
  }

  /**
   * The header and IPC message of {@code rb}. With a timestamp column, the header's timestamps
   * are the range of rows {@code tsFrom..tsFrom+rows-1} of it, else {@code appendTimeMs}.
   */
  private static Encoded encode(ArrowRecordBatch rb, TimeStampMilliVector ts, int tsFrom,
      long appendTimeMs, long producerId, short producerEpoch, int baseSequence, int schemaId,
      long transactionNumber) {
    boolean transactional = transactionNumber != BatchHeader.NO_TRANSACTION_ID;
    ArrayChannel out = new ArrayChannel((int) Math.min(Integer.MAX_VALUE - 1024,
        rb.computeBodyLength() + 1024));
    out.skip(BatchHeader.SIZE);
    try {
      MessageSerializer.serialize(new WriteChannel(out), rb);
    } catch (IOException e) {
      throw Errors.CORRUPT_RECORD.exception("Cannot encode batch: " + e.getMessage());
    }
    int rows = rb.getLength();
    long first = appendTimeMs;
    long max = appendTimeMs;
    if (ts != null) {
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (int i = tsFrom; i < tsFrom + rows; i++) {
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

  /**
   * A channel into a growing array: Arrow's buffers are copied into it in one step each
   * ({@code Channels.newChannel} of an output stream copies through a small array instead).
   */
  private static final class ArrayChannel implements WritableByteChannel {
    private byte[] buf;
    private int size;

    ArrayChannel(int capacity) {
      buf = new byte[capacity];
    }

    void skip(int bytes) {
      ensure(bytes);
      size += bytes;
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(size + more, 2 * buf.length));
      }
    }

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      ensure(n);
      src.get(buf, size, n);
      size += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}

    byte[] array() {
      return buf;
    }

    int size() {
      return size;
    }
  }
}
