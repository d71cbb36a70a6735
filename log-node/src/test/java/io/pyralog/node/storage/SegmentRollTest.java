package io.pyralog.node.storage;

import static io.pyralog.node.storage.TestBatches.batch;
import static io.pyralog.node.storage.TestBatches.bytes;
import static io.pyralog.node.storage.TestBatches.config;
import static io.pyralog.node.storage.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentRollTest {
  @TempDir Path dir;

  private List<String> logFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
          .sorted().toList();
    }
  }

  @Test
  void rollsBySizeAndReadsAcrossSegments() throws IOException {
    int batchBytes = BatchHeader.SIZE + 228; // 300
    List<byte[]> written = new ArrayList<>();
    try (PartitionLog log = PartitionLog.open(dir, config(1000, 4096))) {
      for (int i = 0; i < 10; i++) {
        ByteBuffer b = batch(2, batchBytes - BatchHeader.SIZE, i, i);
        log.append(b);
        written.add(bytes(b));
      }
      // 4 batches (1200 bytes) per segment: the size check runs before each append.
      assertThat(log.segmentCount()).isEqualTo(3);
      assertThat(logFiles()).containsExactly("00000000000000000000.log",
          "00000000000000000008.log", "00000000000000000016.log");
      List<ByteBuffer> all = log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE);
      assertThat(all).hasSize(10);
      for (int i = 0; i < 10; i++) {
        assertThat(bytes(all.get(i))).isEqualTo(written.get(i));
      }
      assertThat(log.read(7, 12, Integer.MAX_VALUE))
          .extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(6L, 8L, 10L);
      // into the caller's buffers (direct and larger than a batch, as Arrow memory can be)
      List<ByteBuffer> given = new ArrayList<>();
      List<ByteBuffer> direct = log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE, capacity -> {
        ByteBuffer b = ByteBuffer.allocateDirect(capacity + 64);
        given.add(b);
        return b;
      });
      assertThat(direct).hasSize(10);
      for (int i = 0; i < 10; i++) {
        assertThat(direct.get(i)).isSameAs(given.get(i));
        assertThat(direct.get(i).remaining()).isEqualTo(batchBytes);
        assertThat(bytes(direct.get(i))).isEqualTo(written.get(i));
      }
    }
    try (PartitionLog log = PartitionLog.open(dir, config(1000, 4096))) {
      assertThat(log.segmentCount()).isEqualTo(3);
      assertThat(log.logStartOffset()).isZero();
      assertThat(log.logEndOffset()).isEqualTo(20);
      List<ByteBuffer> all = readAll(log);
      for (int i = 0; i < 10; i++) {
        assertThat(bytes(all.get(i))).isEqualTo(written.get(i));
      }
      assertThat(log.append(batch(1, 10, 99))).isEqualTo(20);
      assertThat(log.segmentCount()).isEqualTo(3);
    }
  }

  @Test
  void rollsByAgeOfTheFirstBatch() throws IOException {
    AtomicLong clock = new AtomicLong(1_000_000);
    LogConfig config = new LogConfig(1 << 20, 1000, -1, -1, 4096);
    try (PartitionLog log = PartitionLog.open(dir, config, clock::get)) {
      log.append(batch(1, 10, 1));
      clock.addAndGet(999);
      log.append(batch(1, 10, 2));
      assertThat(log.segmentCount()).isEqualTo(1);
      clock.addAndGet(1);
      assertThat(log.append(batch(3, 10, 3))).isEqualTo(2);
      assertThat(log.segmentCount()).isEqualTo(2);
      assertThat(logFiles()).containsExactly("00000000000000000000.log",
          "00000000000000000002.log");
      // The new segment's age counts from its own first batch.
      clock.addAndGet(999);
      log.append(batch(1, 10, 4));
      assertThat(log.segmentCount()).isEqualTo(2);
      clock.addAndGet(1);
      log.append(batch(1, 10, 5));
      assertThat(log.segmentCount()).isEqualTo(3);
      assertThat(readAll(log)).extracting(b -> BatchHeader.baseOffset(b, 0))
          .containsExactly(0L, 1L, 2L, 5L, 6L);
    }
  }

  @Test
  void emptySegmentNeverRollsByAge() {
    AtomicLong clock = new AtomicLong(0);
    LogConfig config = new LogConfig(1 << 20, 10, -1, -1, 4096);
    try (PartitionLog log = PartitionLog.open(dir, config, clock::get)) {
      clock.addAndGet(1000);
      log.append(batch(1, 10, 1));
      assertThat(log.segmentCount()).isEqualTo(1);
    }
  }

  @Test
  void reopenAfterACrashRightAfterARollDropsTheEmptySegment() throws IOException {
    try (PartitionLog log = PartitionLog.open(dir, config(1000, 4096))) {
      for (int i = 0; i < 4; i++) {
        log.append(batch(1, 228, i));
      }
    }
    Files.createFile(dir.resolve("00000000000000000004.log"));
    try (PartitionLog log = PartitionLog.open(dir, config(1000, 4096))) {
      assertThat(log.logEndOffset()).isEqualTo(4);
      assertThat(log.segmentCount()).isEqualTo(1);
      assertThat(log.append(batch(1, 10, 9))).isEqualTo(4);
      assertThat(readAll(log)).hasSize(5);
    }
  }
}
