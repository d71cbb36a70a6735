package io.pyralog.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Turns the outputs of one harness run into the figures of the comparison. The run names are
 * those that {@code run.sh} writes:
 *
 * <ul>
 *   <li>Pyralog: {@code produce-1kib}, {@code consume-1kib}, {@code produce-100b}, {@code
 *       fixed-rate}. Pyralog has one durability level (every acknowledged record is fsync'd), so
 *       its runs serve as both the "fsync parity" and the "defaults" side.
 *   <li>Kafka: {@code produce-1kib-fsync-parity}, {@code produce-1kib-defaults}, {@code
 *       consume-1kib}, {@code produce-100b} (defaults), {@code produce-100b-fsync-parity}, {@code
 *       fixed-rate} (defaults), {@code fixed-rate-fsync-parity}.
 *   <li>The disk: {@code dd}.
 * </ul>
 */
public final class Figures {
  public static final int RECORD_SIZE_1KIB = 1024;
  public static final String RECORDS_PER_SEC = "records/s";
  public static final String MS = "ms";

  private Figures() {}

  public static List<Figure> compute(RunOutputs runs) {
    List<ProduceResult> p1k = runs.pyralogProduce("produce-1kib");
    List<ProduceResult> kParity1k = runs.kafkaProduce("produce-1kib-fsync-parity");
    List<ProduceResult> kDefaults1k = runs.kafkaProduce("produce-1kib-defaults");
    List<ProduceResult> pRate = runs.pyralogProduce("fixed-rate");
    List<ProduceResult> pRateFromSend = runs.pyralogProduceFromSend("fixed-rate");
    List<ProduceResult> kRate = runs.kafkaProduce("fixed-rate");
    List<ProduceResult> kRateParity = runs.kafkaProduce("fixed-rate-fsync-parity");
    List<ProduceResult> p100 = runs.pyralogProduce("produce-100b");
    List<ProduceResult> k100 = runs.kafkaProduce("produce-100b");
    List<ProduceResult> k100Parity = runs.kafkaProduce("produce-100b-fsync-parity");
    List<ConsumeResult> pConsume = runs.pyralogConsume("consume-1kib");
    List<ConsumeResult> kConsume = runs.kafkaConsume("consume-1kib");
    List<Double> disk = runs.diskMbPerSec("dd");

    List<Figure> figures = new ArrayList<>();
    figures.add(throughput("produce-1kib-fsync-parity", p1k, kParity1k));
    figures.add(throughput("produce-1kib-defaults", p1k, kDefaults1k));
    figures.add(latency("p50-latency-fixed-rate", pRate, kRate, ProduceResult::latencyP50Ms));
    figures.add(latency("p99-latency-fixed-rate", pRate, kRate, ProduceResult::latencyP99Ms));
    figures.add(latency("p999-latency-fixed-rate", pRate, kRate, ProduceResult::latencyP999Ms));
    figures.add(latency("p99-latency-fixed-rate-fsync-parity", pRate, kRateParity,
        ProduceResult::latencyP99Ms));
    // like for like: both counted from the send() call, as Kafka's tool counts
    figures.add(latency("p50-latency-fixed-rate-from-send", pRateFromSend, kRate,
        ProduceResult::latencyP50Ms));
    figures.add(latency("p99-latency-fixed-rate-from-send", pRateFromSend, kRate,
        ProduceResult::latencyP99Ms));
    figures.add(latency("p999-latency-fixed-rate-from-send", pRateFromSend, kRate,
        ProduceResult::latencyP999Ms));
    figures.add(throughput("fixed-rate-achieved", pRate, kRate));
    figures.add(new Figure("consume-1kib", RECORDS_PER_SEC, true,
        map(pConsume, ConsumeResult::recordsPerSec), map(kConsume, ConsumeResult::recordsPerSec)));
    figures.add(throughput("produce-100b", p100, k100));
    figures.add(throughput("produce-100b-fsync-parity", p100, k100Parity));
    figures.add(new Figure("disk-fsync-seq-mb-s", "MB/s", true, disk, disk));
    double diskMbPerSec = Stats.median(disk);
    figures.add(new Figure("disk-efficiency", "fraction", true,
        List.of(efficiency(p1k, diskMbPerSec)), List.of(efficiency(kParity1k, diskMbPerSec))));
    return figures;
  }

  /**
   * The figures of {@code replicated.sh}: 1 KiB produce to a 3-node Pyralog cluster at RF=3
   * ({@code produce-1kib-rf3}) against a 3-broker Kafka cluster at replication factor 3 with
   * acks=all and {@code min.insync.replicas=2}, at Kafka's defaults ({@code produce-1kib-rf3})
   * and with {@code flush.messages=1} ({@code produce-1kib-rf3-fsync-parity}).
   */
  public static List<Figure> computeReplicated(RunOutputs runs) {
    List<ProduceResult> p = runs.pyralogProduce("produce-1kib-rf3");
    List<ProduceResult> kDefaults = runs.kafkaProduce("produce-1kib-rf3");
    List<ProduceResult> kParity = runs.kafkaProduce("produce-1kib-rf3-fsync-parity");
    List<Figure> figures = new ArrayList<>();
    figures.add(throughput("produce-1kib-rf3-fsync-parity", p, kParity));
    figures.add(throughput("produce-1kib-rf3-defaults", p, kDefaults));
    figures.add(latency("p50-latency-rf3-max-throughput", p, kDefaults,
        ProduceResult::latencyP50Ms));
    figures.add(latency("p99-latency-rf3-max-throughput", p, kDefaults,
        ProduceResult::latencyP99Ms));
    return figures;
  }

  /**
   * The rate of the fixed-rate workload: {@code fraction} of Kafka's median maximum throughput
   * with 1 KiB records at its defaults; NaN when those runs are missing.
   */
  public static double fixedRate(RunOutputs runs, double fraction) {
    return fraction * Stats.median(map(runs.kafkaProduce("produce-1kib-defaults"),
        ProduceResult::recordsPerSec));
  }

  /** Produce MB/s (10^6 bytes) of the median run, as a fraction of the disk's MB/s. */
  private static double efficiency(List<ProduceResult> runs, double diskMbPerSec) {
    double mbPerSec =
        Stats.median(map(runs, ProduceResult::recordsPerSec)) * RECORD_SIZE_1KIB / 1e6;
    return Stats.ratio(mbPerSec, diskMbPerSec);
  }

  private static Figure throughput(String name, List<ProduceResult> p, List<ProduceResult> k) {
    return new Figure(name, RECORDS_PER_SEC, true,
        map(p, ProduceResult::recordsPerSec), map(k, ProduceResult::recordsPerSec));
  }

  private static Figure latency(String name, List<ProduceResult> p, List<ProduceResult> k,
      ToDoubleFunction<ProduceResult> percentile) {
    return new Figure(name, MS, false, map(p, percentile), map(k, percentile));
  }

  private static <T> List<Double> map(List<T> results, ToDoubleFunction<T> f) {
    return results.stream().map(r -> f.applyAsDouble(r)).toList();
  }
}
