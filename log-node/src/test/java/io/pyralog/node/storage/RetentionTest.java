package io.pyralog.node.storage;

import static io.pyralog.node.storage.TestBatches.batch;
import static io.pyralog.node.storage.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.record.BatchHeader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  private static final int BATCH_BYTES = BatchHeader.SIZE + 100;

  @TempDir Path dir;

  /** Ten segments of one batch each (3 records); batch i has max timestamp 1000 * i. */
  private PartitionLog tenSegments(long retentionMs, long retentionBytes) {
    PartitionLog log = PartitionLog.open(dir,
        new LogConfig(1, Long.MAX_VALUE / 2, retentionMs, retentionBytes, 4096));
    for (int i = 0; i < 10; i++) {
      log.append(batch(3, 100, 1000L * i));
    }
    assertThat(log.segmentCount()).isEqualTo(10);
    return log;
  }

  @Test
  void deletesSegmentsPastRetentionTime() {
    try (PartitionLog log = tenSegments(2500, -1)) {
      // Segments whose newest timestamp is below 10000 - 2500 = 7500: batches 0..7.
      assertThat(log.deleteExpiredSegments(10_000)).isEqualTo(8);
      assertThat(log.segmentCount()).isEqualTo(2);
      assertThat(log.logStartOffset()).isEqualTo(24);
      assertThat(log.logEndOffset()).isEqualTo(30);
      assertThat(readAll(log)).extracting(b -> BatchHeader.maxTimestamp(b, 0))
          .containsExactly(8000L, 9000L);
      assertThat(log.deleteExpiredSegments(10_000)).isZero();
      assertThatThrownBy(() -> log.read(23, Long.MAX_VALUE, 1000))
          .isInstanceOfSatisfying(ApiException.class,
              e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE));
      assertThat(log.offsetForTimestamp(0)).isEqualTo(24);
    }
    try (PartitionLog log = PartitionLog.open(dir, LogConfig.defaults())) {
      assertThat(log.logStartOffset()).isEqualTo(24);
      assertThat(log.logEndOffset()).isEqualTo(30);
    }
  }

  @Test
  void neverDeletesTheActiveSegment() {
    try (PartitionLog log = tenSegments(0, 0)) {
      assertThat(log.deleteExpiredSegments(Long.MAX_VALUE / 2)).isEqualTo(9);
      assertThat(log.segmentCount()).isEqualTo(1);
      assertThat(log.logStartOffset()).isEqualTo(27);
      assertThat(log.append(batch(1, 10, 1))).isEqualTo(30);
    }
  }

  @Test
  void deletesOldestSegmentsWhileOverRetentionBytes() {
    try (PartitionLog log = tenSegments(-1, 5L * BATCH_BYTES - 1)) {
      assertThat(log.sizeInBytes()).isEqualTo(10L * BATCH_BYTES);
      assertThat(log.deleteExpiredSegments(0)).isEqualTo(6);
      assertThat(log.sizeInBytes()).isEqualTo(4L * BATCH_BYTES);
      assertThat(log.logStartOffset()).isEqualTo(18);
      assertThat(readAll(log)).hasSize(4);
      assertThatThrownBy(() -> log.read(0, Long.MAX_VALUE, 1000))
          .isInstanceOf(ApiException.class).hasMessageContaining("[18, 30)");
    }
  }

  @Test
  void sizeRetentionAtExactlyTheLimitKeepsEverything() {
    try (PartitionLog log = tenSegments(-1, 10L * BATCH_BYTES)) {
      assertThat(log.deleteExpiredSegments(0)).isZero();
      assertThat(log.logStartOffset()).isZero();
    }
  }

  @Test
  void infiniteRetentionDeletesNothing() {
    try (PartitionLog log = tenSegments(-1, -1)) {
      assertThat(log.deleteExpiredSegments(Long.MAX_VALUE / 2)).isZero();
      assertThat(log.segmentCount()).isEqualTo(10);
    }
  }

  @Test
  void retentionUsesTheUpdatedConfig() {
    try (PartitionLog log = tenSegments(-1, -1)) {
      log.updateConfig(new LogConfig(1, Long.MAX_VALUE / 2, 5000, -1, 4096));
      assertThat(log.deleteExpiredSegments(10_000)).isEqualTo(5);
      assertThat(log.logStartOffset()).isEqualTo(15);
    }
  }
}
