package io.pyralog.node.storage;

import static io.pyralog.node.storage.TestBatches.batch;
import static io.pyralog.node.storage.TestBatches.bytes;
import static io.pyralog.node.storage.TestBatches.config;
import static io.pyralog.node.storage.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.record.BatchHeader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
  @TempDir Path dir;

  @Test
  void newLogIsEmptyAndStartsAtZero() {
    try (PartitionLog log = PartitionLog.open(dir.resolve("p0"), LogConfig.defaults())) {
      assertThat(log.logStartOffset()).isZero();
      assertThat(log.logEndOffset()).isZero();
      assertThat(log.read(0, Long.MAX_VALUE, 1000)).isEmpty();
      assertThat(log.segmentCount()).isEqualTo(1);
      assertThat(log.sizeInBytes()).isZero();
      assertThat(dir.resolve("p0").resolve("00000000000000000000.log")).exists();
    }
  }

  @Test
  void appendAssignsDenseOffsetsAndReadReturnsExactBytes() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      int[] counts = {1, 3, 5, 2, 7};
      List<byte[]> written = new ArrayList<>();
      long expectedBase = 0;
      for (int i = 0; i < counts.length; i++) {
        ByteBuffer b = batch(counts[i], 50 + 40 * i, 1000 + i);
        b.position(0);
        assertThat(log.append(b)).isEqualTo(expectedBase);
        assertThat(b.position()).isZero();
        assertThat(BatchHeader.baseOffset(b, 0)).isEqualTo(expectedBase);
        assertThat(BatchHeader.validate(b, 0, b.remaining())).isNull();
        written.add(bytes(b));
        expectedBase += counts[i];
        assertThat(log.logEndOffset()).isEqualTo(expectedBase);
      }
      List<ByteBuffer> read = log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE);
      assertThat(read).hasSize(counts.length);
      for (int i = 0; i < counts.length; i++) {
        assertThat(bytes(read.get(i))).isEqualTo(written.get(i));
      }
      assertThat(log.sizeInBytes()).isEqualTo(written.stream().mapToLong(w -> w.length).sum());
    }
  }

  @Test
  void appendUsesTheBytesBetweenPositionAndLimit() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      ByteBuffer inner = batch(2, 30, 5);
      ByteBuffer framed = ByteBuffer.allocate(inner.capacity() + 20);
      framed.position(10);
      framed.put(inner.duplicate());
      framed.position(10).limit(10 + inner.capacity());
      log.append(batch(4, 10, 1));
      assertThat(log.append(framed)).isEqualTo(4);
      assertThat(framed.position()).isEqualTo(10);
      ByteBuffer back = log.read(4, Long.MAX_VALUE, 1000).get(0);
      assertThat(BatchHeader.baseOffset(back, 0)).isEqualTo(4);
      assertThat(BatchHeader.recordCount(back, 0)).isEqualTo(2);
      assertThat(back.remaining()).isEqualTo(inner.capacity());
    }
  }

  @Test
  void readFromInsideABatchStartsWithThatBatch() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      log.append(batch(3, 10, 1)); // 0..2
      log.append(batch(5, 10, 2)); // 3..7
      log.append(batch(2, 10, 3)); // 8..9
      for (long offset = 3; offset <= 7; offset++) {
        List<ByteBuffer> read = log.read(offset, Long.MAX_VALUE, Integer.MAX_VALUE);
        assertThat(read).extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(3L, 8L);
      }
      assertThat(log.read(9, Long.MAX_VALUE, Integer.MAX_VALUE))
          .extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(8L);
    }
  }

  @Test
  void readStopsBeforeBatchesAtOrAboveEndOffset() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      log.append(batch(3, 10, 1));
      log.append(batch(5, 10, 2));
      log.append(batch(2, 10, 3));
      assertThat(log.read(0, 8, Integer.MAX_VALUE))
          .extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(0L, 3L);
      assertThat(log.read(0, 9, Integer.MAX_VALUE))
          .extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(0L, 3L, 8L);
      assertThat(log.read(0, 1, Integer.MAX_VALUE))
          .extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(0L);
      assertThat(log.read(4, 4, Integer.MAX_VALUE)).isEmpty();
    }
  }

  @Test
  void readStopsAtMaxBytesButReturnsAtLeastOneBatch() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      int size = BatchHeader.SIZE + 100;
      for (int i = 0; i < 5; i++) {
        log.append(batch(1, 100, i));
      }
      assertThat(log.read(0, Long.MAX_VALUE, 2 * size + size / 2)).hasSize(2);
      assertThat(log.read(0, Long.MAX_VALUE, 2 * size)).hasSize(2);
      assertThat(log.read(1, Long.MAX_VALUE, 10))
          .extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(1L);
      assertThat(log.read(0, Long.MAX_VALUE, 0)).hasSize(1);
    }
  }

  @Test
  void offsetsOutsideTheLogAreOutOfRange() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      log.append(batch(3, 10, 1));
      assertThat(log.read(3, Long.MAX_VALUE, 100)).isEmpty();
      for (long bad : new long[] {-1, 4, 100}) {
        assertThatThrownBy(() -> log.read(bad, Long.MAX_VALUE, 100))
            .isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE))
            .hasMessageContaining("[0, 3)");
      }
    }
  }

  @Test
  void readBuffersAreIndependentOfLaterWrites() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      log.append(batch(2, 40, 1, 1));
      ByteBuffer before = log.read(0, Long.MAX_VALUE, 1000).get(0);
      byte[] snapshot = bytes(before);
      log.truncateTo(0);
      log.append(batch(2, 40, 1, 2));
      assertThat(bytes(before)).isEqualTo(snapshot);
      assertThat(bytes(log.read(0, Long.MAX_VALUE, 1000).get(0))).isNotEqualTo(snapshot);
    }
  }

  @Test
  void malformedBatchesAreRejected() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      ByteBuffer twoBatches = ByteBuffer.allocate(2 * (BatchHeader.SIZE + 10));
      twoBatches.put(bytes(batch(1, 10, 1))).put(bytes(batch(1, 10, 1))).flip();
      assertThatThrownBy(() -> log.append(twoBatches))
          .isInstanceOfSatisfying(ApiException.class,
              e -> assertThat(e.error()).isEqualTo(Errors.CORRUPT_RECORD));
      assertThatThrownBy(() -> log.append(ByteBuffer.allocate(10)))
          .isInstanceOf(ApiException.class);
      assertThatThrownBy(() -> log.append(batch(0, 10, 1)))
          .hasMessageContaining("at least one record");
      assertThat(log.logEndOffset()).isZero();
      assertThat(log.sizeInBytes()).isZero();
    }
  }

  @Test
  void closedLogRejectsCalls() {
    PartitionLog log = PartitionLog.open(dir, LogConfig.defaults());
    log.append(batch(1, 10, 1));
    log.close();
    log.close();
    assertThatThrownBy(() -> log.read(0, Long.MAX_VALUE, 100))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.UNAVAILABLE));
    assertThatThrownBy(() -> log.append(batch(1, 10, 1))).isInstanceOf(ApiException.class);
  }

  @Test
  void deleteRemovesTheDirectory() {
    Path partition = dir.resolve("topic-0");
    PartitionLog log = PartitionLog.open(partition, config(200, 64));
    for (int i = 0; i < 10; i++) {
      log.append(batch(1, 100, i));
    }
    assertThat(log.segmentCount()).isGreaterThan(1);
    log.delete();
    assertThat(partition).doesNotExist();
  }

  @Test
  void interruptedReaderDoesNotBreakTheLogForOthers() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      log.append(batch(2, 100, 1));
      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> log.read(0, Long.MAX_VALUE, 1000))
            .isInstanceOf(UncheckedIOException.class);
      } finally {
        Thread.interrupted();
      }
      assertThat(log.read(0, Long.MAX_VALUE, 1000)).hasSize(1);
      assertThat(log.append(batch(1, 10, 2))).isEqualTo(2);
      assertThat(readAll(log)).hasSize(2);
    }
  }

  @Test
  void concurrentReadersOnlySeeWholeBatches() throws Exception {
    try (PartitionLog log = PartitionLog.open(dir, config(8 * 1024, 256))) {
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        Thread t = new Thread(() -> {
          try {
            long next = 0;
            while (!done.get() || next < log.logEndOffset()) {
              for (ByteBuffer b : log.read(next, Long.MAX_VALUE, 4096)) {
                assertThat(BatchHeader.validate(b, 0, b.remaining())).isNull();
                assertThat(BatchHeader.baseOffset(b, 0)).isEqualTo(next);
                next = BatchHeader.nextOffset(b, 0);
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        t.start();
        readers.add(t);
      }
      for (int i = 0; i < 2000; i++) {
        log.append(batch(1 + i % 7, 20 + i % 300, i));
      }
      done.set(true);
      for (Thread t : readers) {
        t.join(30_000);
      }
      assertThat(failures).isEmpty();
      assertThat(log.segmentCount()).isGreaterThan(10);
      assertThat(readAll(log)).hasSize(2000);
    }
  }
}
