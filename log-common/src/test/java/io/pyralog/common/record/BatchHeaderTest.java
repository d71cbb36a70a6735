package io.pyralog.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchHeaderTest {
  private static ByteBuffer batch(byte[] payload, long base) {
    ByteBuffer b = ByteBuffer.allocate(BatchHeader.SIZE + payload.length);
    b.position(BatchHeader.SIZE);
    b.put(payload);
    BatchHeader.write(b, 0, BatchHeader.ATTR_TRANSACTIONAL, base, 7, 1000L, 2000L, 42L,
        (short) 3, 11, 99L, 5, payload.length);
    return b;
  }

  @Test
  void writesAndReadsEveryField() {
    ByteBuffer b = batch(new byte[] {1, 2, 3, 4, 5}, 100L);
    assertThat(BatchHeader.validate(b, 0, b.capacity())).isNull();
    assertThat(BatchHeader.batchLength(b, 0)).isEqualTo(BatchHeader.SIZE + 5);
    assertThat(BatchHeader.baseOffset(b, 0)).isEqualTo(100L);
    assertThat(BatchHeader.recordCount(b, 0)).isEqualTo(7);
    assertThat(BatchHeader.nextOffset(b, 0)).isEqualTo(107L);
    assertThat(BatchHeader.firstTimestamp(b, 0)).isEqualTo(1000L);
    assertThat(BatchHeader.maxTimestamp(b, 0)).isEqualTo(2000L);
    assertThat(BatchHeader.producerId(b, 0)).isEqualTo(42L);
    assertThat(BatchHeader.producerEpoch(b, 0)).isEqualTo((short) 3);
    assertThat(BatchHeader.baseSequence(b, 0)).isEqualTo(11);
    assertThat(BatchHeader.transactionId(b, 0)).isEqualTo(99L);
    assertThat(BatchHeader.attributes(b, 0)).isEqualTo(BatchHeader.ATTR_TRANSACTIONAL);
    assertThat(BatchHeader.schemaId(b, 0)).isEqualTo(5);
    assertThat(BatchHeader.payloadLength(b, 0)).isEqualTo(5);
  }

  @Test
  void assigningTheBaseOffsetKeepsTheCrcValid() {
    ByteBuffer b = batch(new byte[64], 0L);
    BatchHeader.assignBaseOffset(b, 0, 123456L);
    assertThat(BatchHeader.baseOffset(b, 0)).isEqualTo(123456L);
    assertThat(BatchHeader.validate(b, 0, b.capacity())).isNull();
  }

  @Test
  void detectsTornAndCorruptBatches() {
    ByteBuffer b = batch(new byte[64], 0L);
    assertThat(BatchHeader.validate(b, 0, 10)).contains("truncated header");
    assertThat(BatchHeader.validate(b, 0, b.capacity() - 1)).contains("truncated batch");
    b.put(BatchHeader.SIZE + 3, (byte) 1);
    assertThat(BatchHeader.validate(b, 0, b.capacity())).contains("CRC32C mismatch");
    assertThatThrownBy(() -> BatchHeader.ensureValid(b, 0, b.capacity()))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(Errors.CORRUPT_RECORD));
    ByteBuffer c = batch(new byte[8], 0L);
    c.put(BatchHeader.MAGIC_OFFSET, (byte) 9);
    assertThat(BatchHeader.validate(c, 0, c.capacity())).contains("bad magic");
  }

  @Property(tries = 200)
  void anySingleFlippedPayloadByteIsDetected(@ForAll @IntRange(min = 1, max = 512) int size,
      @ForAll @IntRange(min = 0, max = 511) int at) {
    ByteBuffer b = batch(new byte[size], 7L);
    int pos = BatchHeader.SIZE + (at % size);
    b.put(pos, (byte) (b.get(pos) ^ 0x40));
    assertThat(BatchHeader.validate(b, 0, b.capacity())).contains("CRC32C");
  }
}
