package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {
  @TempDir Path out;

  @Test
  void mediansRatiosAndDiskEfficiencyFromRunOutputs() throws IOException {
    pyralogProduce("produce-1kib", 1, 100_000, 10);
    pyralogProduce("produce-1kib", 2, 120_000, 30);
    pyralogProduce("produce-1kib", 3, 110_000, 20);
    kafkaProduce("produce-1kib-fsync-parity", 1, 50_000, 5);
    kafkaProduce("produce-1kib-fsync-parity", 2, 55_000, 5);
    kafkaProduce("produce-1kib-defaults", 1, 200_000, 5);
    pyralogProduce("fixed-rate", 1, 50_000, 4);
    kafkaProduce("fixed-rate", 1, 50_000, 8);
    write(RunOutputs.file(out, RunOutputs.DISK, "dd", 1),
        "1024000000 bytes (1.0 GB, 977 MiB) copied, 2 s, 512 MB/s\n");

    RunOutputs runs = new RunOutputs(out);
    Map<String, Figure> f = byName(Figures.compute(runs));

    assertThat(f.get("produce-1kib-fsync-parity").pyralog()).isEqualTo(110_000);
    assertThat(f.get("produce-1kib-fsync-parity").kafka()).isEqualTo(52_500);
    assertThat(f.get("produce-1kib-fsync-parity").ratio()).isCloseTo(2.095, within(0.001));
    assertThat(f.get("produce-1kib-defaults").ratio()).isEqualTo(0.55);
    assertThat(f.get("p99-latency-fixed-rate").pyralog()).isEqualTo(4);
    assertThat(f.get("p99-latency-fixed-rate").ratio()).isEqualTo(0.5);
    assertThat(f.get("p99-latency-fixed-rate").higherIsBetter()).isFalse();
    // Pyralog counted from the send() call, as Kafka's tool counts
    assertThat(f.get("p99-latency-fixed-rate-from-send").pyralog()).isEqualTo(2);
    assertThat(f.get("p99-latency-fixed-rate-from-send").kafka()).isEqualTo(8);
    assertThat(f.get("p99-latency-fixed-rate-from-send").ratio()).isEqualTo(0.25);
    assertThat(f.get("disk-fsync-seq-mb-s").pyralog()).isEqualTo(512);
    // 110,000 records/s of 1024 bytes = 112.64 MB/s, out of 512 MB/s.
    assertThat(f.get("disk-efficiency").pyralog()).isCloseTo(0.22, within(0.0001));
    assertThat(f.get("disk-efficiency").kafka()).isCloseTo(0.105, within(0.0001));
    assertThat(f.get("consume-1kib").pyralog()).isNaN();
    assertThat(f.get("consume-1kib").ratio()).isNaN();
    assertThat(runs.problems()).isEmpty();
    assertThat(Figures.fixedRate(runs, 0.5)).isEqualTo(100_000);
  }

  @Test
  void replicatedFiguresCompareTheRf3RunsOfBothClusters() throws IOException {
    pyralogProduce("produce-1kib-rf3", 1, 40_000, 900);
    pyralogProduce("produce-1kib-rf3", 2, 30_000, 1100);
    kafkaProduce("produce-1kib-rf3", 1, 80_000, 300);
    kafkaProduce("produce-1kib-rf3-fsync-parity", 1, 20_000, 2000);

    Map<String, Figure> f = byName(Figures.computeReplicated(new RunOutputs(out)));

    assertThat(f.keySet()).containsExactlyInAnyOrder("produce-1kib-rf3-fsync-parity",
        "produce-1kib-rf3-defaults", "p50-latency-rf3-max-throughput",
        "p99-latency-rf3-max-throughput");
    assertThat(f.get("produce-1kib-rf3-fsync-parity").pyralog()).isEqualTo(35_000);
    assertThat(f.get("produce-1kib-rf3-fsync-parity").ratio()).isEqualTo(1.75);
    assertThat(f.get("produce-1kib-rf3-defaults").ratio()).isEqualTo(0.4375);
    assertThat(f.get("p99-latency-rf3-max-throughput").pyralog()).isEqualTo(1000);
    assertThat(f.get("p99-latency-rf3-max-throughput").higherIsBetter()).isFalse();
  }

  @Test
  void aFailedRunIsAMissingSampleAndAProblem() throws IOException {
    pyralogProduce("produce-100b", 1, 300_000, 10);
    write(RunOutputs.file(out, RunOutputs.PYRALOG, "produce-100b", 2), "Error: node down\n");
    write(RunOutputs.file(out, RunOutputs.KAFKA, "consume-1kib", 1), """
        start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        2026-11-26 08:27:50:323, 2026-11-26 08:27:51:691, 292.9688, 214.1584, 300000, 219298.2456, 604, 764, 383.4670, 392670.1571
        """);

    RunOutputs runs = new RunOutputs(out);
    Map<String, Figure> f = byName(Figures.compute(runs));

    assertThat(f.get("produce-100b").pyralogSamples()).containsExactly(300_000.0);
    assertThat(f.get("consume-1kib").kafka()).isEqualTo(392670.1571);
    assertThat(runs.problems()).singleElement().asString()
        .startsWith("pyralog/produce-100b-r2.out: ").contains("node down");
    assertThat(Figures.fixedRate(runs, 0.5)).isNaN();
  }

  @Test
  void repetitionsAreReadInNumericOrder() throws IOException {
    for (int rep = 1; rep <= 11; rep++) {
      pyralogProduce("produce-1kib", rep, rep, 1);
    }

    List<Double> samples = byName(Figures.compute(new RunOutputs(out)))
        .get("produce-1kib-defaults").pyralogSamples();

    assertThat(samples).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0);
  }

  private void pyralogProduce(String name, int rep, double rps, double p99) throws IOException {
    write(RunOutputs.file(out, RunOutputs.PYRALOG, name, rep), String.format(java.util.Locale.ROOT,
        "{\"records\":1000,\"recordsPerSec\":%s,\"latencyAvgMs\":1,\"latencyP50Ms\":1,"
            + "\"latencyP99Ms\":%s,\"latencyP999Ms\":%s,\"latencyMaxMs\":%s,"
            + "\"sendLatencyP50Ms\":1,\"sendLatencyP99Ms\":%s,\"sendLatencyP999Ms\":%s}%n",
        rps, p99, p99, p99, p99 / 2, p99 / 2));
  }

  private void kafkaProduce(String name, int rep, double rps, double p99) throws IOException {
    write(RunOutputs.file(out, RunOutputs.KAFKA, name, rep), String.format(java.util.Locale.ROOT,
        "1000 records sent, %s records/sec (1.00 MB/sec), 1.00 ms avg latency, %s ms max "
            + "latency, 1 ms 50th, 2 ms 95th, %s ms 99th, %s ms 99.9th.%n",
        rps, p99, p99, p99));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static Map<String, Figure> byName(List<Figure> figures) {
    return figures.stream().collect(Collectors.toMap(Figure::name, Function.identity()));
  }
}
