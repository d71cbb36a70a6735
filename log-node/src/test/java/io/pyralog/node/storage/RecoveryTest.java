package io.pyralog.node.storage;

import static io.pyralog.node.storage.TestBatches.batch;
import static io.pyralog.node.storage.TestBatches.bytes;
import static io.pyralog.node.storage.TestBatches.config;
import static io.pyralog.node.storage.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pyralog.common.record.BatchHeader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RecoveryTest {
  private LogConfig config = config(1 << 20, 200);

  @TempDir Path dir;

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final List<byte[]> written = new ArrayList<>();
  private final List<Long> positions = new ArrayList<>();

  @BeforeEach
  void captureLogs() {
    logged.start();
    ((Logger) LoggerFactory.getLogger(LogSegment.class)).addAppender(logged);
  }

  @AfterEach
  void releaseLogs() {
    ((Logger) LoggerFactory.getLogger(LogSegment.class)).detachAppender(logged);
  }

  private List<String> warnings() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Writes {@code batches} batches of 2 records and 150 payload bytes into one segment. */
  private Path writeAndClose(int batches) {
    long position = 0;
    try (PartitionLog log = PartitionLog.open(dir, config)) {
      for (int i = 0; i < batches; i++) {
        ByteBuffer b = batch(2, 150, 100 + i, i);
        log.append(b);
        positions.add(position);
        position += b.remaining();
        written.add(bytes(b));
      }
    }
    return dir.resolve("00000000000000000000.log");
  }

  private static void truncateFile(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x5A);
    }
  }

  private void assertRecoveredTo(int intactBatches) {
    try (PartitionLog log = PartitionLog.open(dir, config)) {
      assertThat(log.logEndOffset()).isEqualTo(2L * intactBatches);
      List<ByteBuffer> all = readAll(log);
      assertThat(all).hasSize(intactBatches);
      for (int i = 0; i < intactBatches; i++) {
        assertThat(bytes(all.get(i))).isEqualTo(written.get(i));
      }
      assertThat(log.sizeInBytes()).isEqualTo(positions.get(intactBatches));
      assertThat(log.append(batch(1, 10, 999))).isEqualTo(2L * intactBatches);
      assertThat(log.read(2L * intactBatches, Long.MAX_VALUE, 1000)).hasSize(1);
    }
    try (PartitionLog log = PartitionLog.open(dir, config)) {
      assertThat(log.logEndOffset()).isEqualTo(2L * intactBatches + 1);
      assertThat(readAll(log)).hasSize(intactBatches + 1);
    }
  }

  @Test
  void cleanReopenKeepsEverythingWithoutWarnings() {
    writeAndClose(20);
    positions.add((long) positions.size() * (BatchHeader.SIZE + 150));
    assertRecoveredTo(20);
    assertThat(warnings()).isEmpty();
  }

  @Test
  void tornLastBatchIsCutOff() throws IOException {
    Path file = writeAndClose(20);
    truncateFile(file, positions.get(19) + 100);
    assertRecoveredTo(19);
    assertThat(warnings()).singleElement().asString()
        .contains("position " + positions.get(19)).contains("truncated batch");
  }

  @Test
  void tornHeaderIsCutOff() throws IOException {
    Path file = writeAndClose(20);
    truncateFile(file, positions.get(19) + 10);
    assertRecoveredTo(19);
    assertThat(warnings()).singleElement().asString().contains("truncated header");
  }

  @Test
  void corruptPayloadByteFailsTheCrcAndIsCutOff() throws IOException {
    Path file = writeAndClose(20);
    flipByte(file, positions.get(19) + BatchHeader.SIZE + 70);
    assertRecoveredTo(19);
    assertThat(warnings()).singleElement().asString().contains("CRC32C mismatch");
  }

  @Test
  void corruptionAfterTheLastIndexEntryCutsEverythingAfterIt() throws IOException {
    config = config(1 << 20, 1 << 20); // no index entries: recovery scans the whole segment
    Path file = writeAndClose(20);
    assertThat(dir.resolve("00000000000000000000.index")).isEmptyFile();
    flipByte(file, positions.get(12) + BatchHeader.SIZE + 3);
    assertRecoveredTo(12);
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("CRC32C mismatch"));
  }

  @Test
  void zeroFilledTailIsCutOff() throws IOException {
    Path file = writeAndClose(20);
    truncateFile(file, positions.get(19) + BatchHeader.SIZE + 150 + 4096);
    positions.add(positions.get(19) + BatchHeader.SIZE + 150);
    assertRecoveredTo(20);
    assertThat(warnings()).singleElement().asString().contains("bad magic 0");
  }

  @Test
  void missingIndexesAreRebuilt() throws IOException {
    writeAndClose(20);
    long indexBytes = Files.size(dir.resolve("00000000000000000000.index"));
    assertThat(indexBytes).isPositive();
    Files.delete(dir.resolve("00000000000000000000.index"));
    Files.delete(dir.resolve("00000000000000000000.timeindex"));
    positions.add((long) positions.size() * (BatchHeader.SIZE + 150));
    assertRecoveredTo(20);
    assertThat(Files.size(dir.resolve("00000000000000000000.index")))
        .isGreaterThanOrEqualTo(indexBytes);
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("Rebuilding the indexes"));
  }

  @Test
  void indexPointingIntoABatchIsRebuiltInsteadOfTruncatingGoodData() throws IOException {
    writeAndClose(20);
    Path index = dir.resolve("00000000000000000000.index");
    long entries = Files.size(index) / OffsetIndex.ENTRY_BYTES;
    try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
      // Keep the entries in order but move the last one's position 5 bytes forward.
      f.seek((entries - 1) * OffsetIndex.ENTRY_BYTES + 4);
      int position = Integer.reverseBytes(f.readInt());
      f.seek((entries - 1) * OffsetIndex.ENTRY_BYTES + 4);
      f.writeInt(Integer.reverseBytes(position + 5));
    }
    positions.add((long) positions.size() * (BatchHeader.SIZE + 150));
    assertRecoveredTo(20);
    assertThat(warnings()).singleElement().asString().contains("Rebuilt the offset index tail");
  }

  @Test
  void garbageIndexIsRebuilt() throws IOException {
    writeAndClose(20);
    Files.write(dir.resolve("00000000000000000000.index"), new byte[] {9, 9, 9, 9, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 7});
    Files.write(dir.resolve("00000000000000000000.timeindex"), new byte[] {1, 2, 3});
    positions.add((long) positions.size() * (BatchHeader.SIZE + 150));
    try (PartitionLog log = PartitionLog.open(dir, config)) {
      for (long offset = 0; offset < 40; offset++) {
        assertThat(BatchHeader.baseOffset(log.read(offset, Long.MAX_VALUE, 1).get(0), 0))
            .isEqualTo(offset & ~1L);
      }
      assertThat(log.offsetForTimestamp(110)).isEqualTo(20);
    }
    assertRecoveredTo(20);
  }

  @Test
  void tornTailOfAnOlderSegmentIsFoundByItsHeaderCheck() throws IOException {
    LogConfig small = config(1000, 100);
    try (PartitionLog log = PartitionLog.open(dir, small)) {
      for (int i = 0; i < 12; i++) {
        log.append(batch(1, 228, i, i)); // 300 bytes: 4 per segment
      }
      assertThat(log.segmentCount()).isEqualTo(3);
    }
    truncateFile(dir.resolve("00000000000000000004.log"), 1150);
    try (PartitionLog log = PartitionLog.open(dir, small)) {
      assertThat(log.segmentCount()).isEqualTo(3);
      assertThat(log.logEndOffset()).isEqualTo(12);
      assertThat(log.read(4, Long.MAX_VALUE, Integer.MAX_VALUE))
          .extracting(b -> BatchHeader.baseOffset(b, 0)).containsExactly(4L, 5L, 6L, 8L, 9L,
              10L, 11L);
    }
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("truncated batch"));
  }
}
