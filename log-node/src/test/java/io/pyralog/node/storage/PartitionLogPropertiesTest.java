package io.pyralog.node.storage;

import static io.pyralog.node.storage.TestBatches.batch;
import static io.pyralog.node.storage.TestBatches.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class PartitionLogPropertiesTest {

  sealed interface Op permits Append, Reopen {}

  record Append(int records, int payloadBytes) implements Op {}

  record Reopen() implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> append = Combinators.combine(
        Arbitraries.integers().between(1, 3000), Arbitraries.integers().between(0, 400))
        .as(Append::new);
    Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
    return Arbitraries.frequencyOf(
        Tuple.of(8, append), Tuple.of(1, reopen))
        .list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<LogConfig> configs() {
    return Combinators.combine(
        Arbitraries.of(1L, 300L, 2_000L, 1L << 30), Arbitraries.of(1, 100, 4096))
        .as((segmentBytes, interval) ->
            new LogConfig(segmentBytes, Long.MAX_VALUE / 2, -1, -1, interval));
  }

  @Property(tries = 50)
  void offsetsAreDenseAcrossAppendsAndRestarts(
      @ForAll("operations") List<Op> ops, @ForAll("configs") LogConfig config)
      throws IOException {
    Path dir = Files.createTempDirectory("partition-log-property");
    PartitionLog log = PartitionLog.open(dir, config);
    try {
      List<byte[]> stored = new ArrayList<>();
      long end = 0;
      for (Op op : ops) {
        if (op instanceof Append a) {
          ByteBuffer b = batch(a.records(), a.payloadBytes(), stored.size(), stored.size());
          assertThat(log.append(b)).isEqualTo(end);
          end += a.records();
          assertThat(log.logEndOffset()).isEqualTo(end);
          stored.add(bytes(b));
        } else {
          log.close();
          log = PartitionLog.open(dir, config);
          assertThat(log.logStartOffset()).isZero();
          assertThat(log.logEndOffset()).isEqualTo(end);
        }
      }
      assertReadsCover(log, stored, end);
      log.close();
      log = PartitionLog.open(dir, config);
      assertReadsCover(log, stored, end);
    } finally {
      log.delete();
    }
  }

  private static void assertReadsCover(PartitionLog log, List<byte[]> stored, long end) {
    List<ByteBuffer> all = log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE);
    long next = 0;
    for (ByteBuffer b : all) {
      assertThat(BatchHeader.baseOffset(b, 0)).isEqualTo(next);
      next = BatchHeader.nextOffset(b, 0);
    }
    assertThat(next).isEqualTo(end);
    assertThat(all).hasSameSizeAs(stored);
    for (int i = 0; i < all.size(); i++) {
      assertThat(bytes(all.get(i))).isEqualTo(stored.get(i));
    }
    if (end > 0) {
      long middle = end / 2;
      ByteBuffer first = log.read(middle, Long.MAX_VALUE, 1).get(0);
      assertThat(BatchHeader.baseOffset(first, 0)).isLessThanOrEqualTo(middle);
      assertThat(BatchHeader.nextOffset(first, 0)).isGreaterThan(middle);
    }
  }
}
