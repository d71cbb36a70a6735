package io.pyralog.node.storage;

import static io.pyralog.node.storage.TestBatches.batch;
import static io.pyralog.node.storage.TestBatches.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogIndexTest {
  @TempDir Path dir;

  /** Base offset and max timestamp of each appended batch, in order. */
  private final List<long[]> appended = new ArrayList<>();

  private void appendRandomBatches(PartitionLog log, int batches, long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < batches; i++) {
      long maxTs = 10_000 + i * 10L + random.nextInt(200) - 100; // mostly rising, not monotonic
      ByteBuffer b = batch(1 + random.nextInt(5), random.nextInt(60), maxTs, i);
      long base = log.append(b);
      appended.add(new long[] {base, maxTs, BatchHeader.recordCount(b, 0)});
    }
  }

  private void assertEveryOffsetFindsItsBatch(PartitionLog log) {
    long[] next = appended.get(appended.size() - 1);
    assertThat(log.logEndOffset()).isEqualTo(next[0] + next[2]);
    int batch = 0;
    for (long offset = 0; offset < log.logEndOffset(); offset++) {
      while (offset >= appended.get(batch)[0] + appended.get(batch)[2]) {
        batch++;
      }
      List<ByteBuffer> read = log.read(offset, Long.MAX_VALUE, 1);
      assertThat(read).hasSize(1);
      assertThat(BatchHeader.baseOffset(read.get(0), 0)).isEqualTo(appended.get(batch)[0]);
    }
  }

  private long expectedOffsetFor(long timestamp, long endOffset) {
    for (long[] b : appended) {
      if (b[1] >= timestamp) {
        return b[0];
      }
    }
    return endOffset;
  }

  @Test
  void everyOffsetIsFoundThroughTheSparseIndex() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, 100))) {
      appendRandomBatches(log, 400, 1);
      assertEveryOffsetFindsItsBatch(log);
      assertThat(Files.size(dir.resolve("00000000000000000000.index")))
          .isGreaterThan(50L * OffsetIndex.ENTRY_BYTES);
      assertThat(Files.size(dir.resolve("00000000000000000000.timeindex"))).isPositive();
    }
  }

  @Test
  void everyOffsetIsFoundAcrossSegmentsAndAfterReopen() {
    try (PartitionLog log = PartitionLog.open(dir, config(2000, 150))) {
      appendRandomBatches(log, 300, 2);
      assertThat(log.segmentCount()).isGreaterThan(5);
      assertEveryOffsetFindsItsBatch(log);
    }
    try (PartitionLog log = PartitionLog.open(dir, config(2000, 150))) {
      assertEveryOffsetFindsItsBatch(log);
    }
  }

  @Test
  void offsetForTimestampFindsTheFirstBatchReachingIt() {
    try (PartitionLog log = PartitionLog.open(dir, config(3000, 120))) {
      appendRandomBatches(log, 300, 3);
      long end = log.logEndOffset();
      for (long t = 9_800; t <= 13_200; t += 7) {
        assertThat(log.offsetForTimestamp(t)).as("timestamp %d", t)
            .isEqualTo(expectedOffsetFor(t, end));
      }
      assertThat(log.offsetForTimestamp(0)).isZero();
      assertThat(log.offsetForTimestamp(Long.MAX_VALUE)).isEqualTo(end);
    }
    try (PartitionLog log = PartitionLog.open(dir, config(3000, 120))) {
      long end = log.logEndOffset();
      for (long t = 9_800; t <= 13_200; t += 13) {
        assertThat(log.offsetForTimestamp(t)).isEqualTo(expectedOffsetFor(t, end));
      }
    }
  }

  @Test
  void offsetForTimestampOnEmptyLogIsTheEndOffset() {
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      assertThat(log.offsetForTimestamp(123)).isZero();
    }
  }

  @Test
  void changedIndexIntervalAppliesToNewBatches() {
    try (PartitionLog log = PartitionLog.open(dir, config(1 << 20, 1 << 20))) {
      appendRandomBatches(log, 50, 4);
      assertThat(dir.resolve("00000000000000000000.index")).isEmptyFile();
      log.updateConfig(config(1 << 20, 1));
      assertThat(log.config().indexIntervalBytes()).isEqualTo(1);
      appendRandomBatches(log, 50, 5);
      assertThat(dir.resolve("00000000000000000000.index")).isNotEmptyFile();
      assertEveryOffsetFindsItsBatch(log);
    }
  }
}
