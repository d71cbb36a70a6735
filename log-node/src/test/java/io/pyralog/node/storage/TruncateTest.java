package io.pyralog.node.storage;

import static io.pyralog.node.storage.TestBatches.batch;
import static io.pyralog.node.storage.TestBatches.config;
import static io.pyralog.node.storage.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.record.BatchHeader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncateTest {
  @TempDir Path dir;

  /** 20 batches of 2 records (offsets 0..39), 300 bytes each, 4 per segment; max ts = 10 * i. */
  private PartitionLog twentyBatches() {
    PartitionLog log = PartitionLog.open(dir, config(1000, 100));
    for (int i = 0; i < 20; i++) {
      log.append(batch(2, 228, 10L * i, i));
    }
    assertThat(log.segmentCount()).isEqualTo(5);
    return log;
  }

  @Test
  void truncateAtABatchBoundaryInsideASegment() {
    try (PartitionLog log = twentyBatches()) {
      log.truncateTo(22);
      assertThat(log.logEndOffset()).isEqualTo(22);
      assertThat(log.segmentCount()).isEqualTo(3);
      assertThat(dir.resolve("00000000000000000024.log")).doesNotExist();
      assertThat(dir.resolve("00000000000000000032.index")).doesNotExist();
      assertThat(readAll(log)).hasSize(11);
      assertThat(log.offsetForTimestamp(105)).isEqualTo(22);
      assertThat(log.append(batch(1, 10, 7))).isEqualTo(22);
      assertThat(log.offsetForTimestamp(100)).isEqualTo(20);
    }
    try (PartitionLog log = PartitionLog.open(dir, config(1000, 100))) {
      assertThat(log.logEndOffset()).isEqualTo(23);
      assertThat(readAll(log)).hasSize(12);
    }
  }

  @Test
  void truncateInsideABatchRemovesThatBatch() {
    try (PartitionLog log = twentyBatches()) {
      log.truncateTo(13);
      assertThat(log.logEndOffset()).isEqualTo(12);
      assertThat(readAll(log)).extracting(b -> BatchHeader.baseOffset(b, 0)).last()
          .isEqualTo(10L);
      assertThat(log.append(batch(5, 10, 7))).isEqualTo(12);
    }
  }

  @Test
  void truncateAtASegmentBaseLeavesItEmpty() {
    try (PartitionLog log = twentyBatches()) {
      log.truncateTo(16);
      assertThat(log.logEndOffset()).isEqualTo(16);
      assertThat(log.read(16, Long.MAX_VALUE, 100)).isEmpty();
      assertThatThrownBy(() -> log.read(17, Long.MAX_VALUE, 100))
          .isInstanceOf(ApiException.class);
      assertThat(readAll(log)).hasSize(8);
    }
    try (PartitionLog log = PartitionLog.open(dir, config(1000, 100))) {
      assertThat(log.logEndOffset()).isEqualTo(16);
      assertThat(log.append(batch(1, 10, 7))).isEqualTo(16);
      assertThat(readAll(log)).hasSize(9);
    }
  }

  @Test
  void truncateToTheStartEmptiesTheLogButKeepsTheStart() {
    try (PartitionLog log = twentyBatches()) {
      log.truncateTo(0);
      assertThat(log.logStartOffset()).isZero();
      assertThat(log.logEndOffset()).isZero();
      assertThat(log.segmentCount()).isEqualTo(1);
      assertThat(log.sizeInBytes()).isZero();
      assertThat(log.offsetForTimestamp(0)).isZero();
    }
  }

  @Test
  void truncateBelowTheStartRestartsTheLogAtThatOffset() {
    try (PartitionLog log = twentyBatches()) {
      log.updateConfig(new LogConfig(1000, Long.MAX_VALUE / 2, -1, 600, 100));
      assertThat(log.deleteExpiredSegments(0)).isEqualTo(4);
      assertThat(log.logStartOffset()).isEqualTo(32);
      log.truncateTo(5);
      assertThat(log.logStartOffset()).isEqualTo(5);
      assertThat(log.logEndOffset()).isEqualTo(5);
      assertThat(log.segmentCount()).isEqualTo(1);
      assertThat(dir.resolve("00000000000000000005.log")).exists();
      assertThat(log.append(batch(3, 10, 1))).isEqualTo(5);
    }
    try (PartitionLog log = PartitionLog.open(dir, config(1000, 100))) {
      assertThat(log.logStartOffset()).isEqualTo(5);
      assertThat(log.logEndOffset()).isEqualTo(8);
      assertThat(readAll(log)).hasSize(1);
    }
  }

  @Test
  void truncateAtOrBeyondTheEndDoesNothing() {
    try (PartitionLog log = twentyBatches()) {
      log.truncateTo(40);
      log.truncateTo(1000);
      assertThat(log.logEndOffset()).isEqualTo(40);
      assertThat(readAll(log)).hasSize(20);
    }
  }
}
