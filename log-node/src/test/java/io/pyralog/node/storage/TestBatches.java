package io.pyralog.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.record.BatchHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds record batches with arbitrary payload bytes; storage never looks inside a payload. */
public final class TestBatches {
  private TestBatches() {}

  static ByteBuffer batch(int records, int payloadBytes, long maxTimestamp) {
    return batch(records, payloadBytes, maxTimestamp, records * 31L + payloadBytes);
  }

  /** A batch of {@code records} records over {@code payloadBytes} random bytes. */
  public static ByteBuffer batch(int records, int payloadBytes, long maxTimestamp, long seed) {
    byte[] payload = new byte[payloadBytes];
    new Random(seed).nextBytes(payload);
    ByteBuffer buf = ByteBuffer.allocate(BatchHeader.SIZE + payloadBytes);
    buf.put(BatchHeader.SIZE, payload);
    BatchHeader.write(buf, 0, (short) 0, 0L, records, maxTimestamp, maxTimestamp,
        BatchHeader.NO_PRODUCER_ID, BatchHeader.NO_PRODUCER_EPOCH, BatchHeader.NO_SEQUENCE,
        BatchHeader.NO_TRANSACTION_ID, 1, payloadBytes);
    return buf;
  }

  static byte[] bytes(ByteBuffer buf) {
    ByteBuffer dup = buf.duplicate();
    byte[] out = new byte[dup.remaining()];
    dup.get(out);
    return out;
  }

  /** Reads the whole log and checks that the batches are valid and their offsets dense. */
  static List<ByteBuffer> readAll(PartitionLog log) {
    List<ByteBuffer> all = new ArrayList<>();
    long next = log.logStartOffset();
    while (next < log.logEndOffset()) {
      List<ByteBuffer> chunk = log.read(next, Long.MAX_VALUE, 1 << 20);
      assertThat(chunk).isNotEmpty();
      for (ByteBuffer b : chunk) {
        assertThat(BatchHeader.validate(b, 0, b.remaining())).isNull();
        assertThat(BatchHeader.baseOffset(b, 0)).isEqualTo(next);
        next = BatchHeader.nextOffset(b, 0);
        all.add(b);
      }
    }
    assertThat(next).isEqualTo(log.logEndOffset());
    return all;
  }

  static LogConfig config(long segmentBytes, int indexIntervalBytes) {
    return new LogConfig(segmentBytes, Long.MAX_VALUE / 2, -1, -1, indexIntervalBytes);
  }
}
