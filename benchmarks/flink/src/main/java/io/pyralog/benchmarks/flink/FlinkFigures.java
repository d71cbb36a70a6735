package io.pyralog.benchmarks.flink;

import java.util.Comparator;
import java.util.List;

/** Turns a run's results into the figures of the Flink workloads. */
public final class FlinkFigures {
  public static final String ROWS_PER_SEC = "rows/s";
  public static final String RECORDS_PER_SEC = "records/s";
  public static final String PROJECTION_2 = "flink-projection-2-of-20-cols";
  public static final String PROJECTION_20 = "flink-projection-20-of-20-cols";
  public static final String SINK_GUARANTEES = "flink-sink-exactly-once-vs-at-least-once";
  public static final String SINK_GUARANTEES_KAFKA = SINK_GUARANTEES + "-kafka";

  private FlinkFigures() {}

  /**
   * A figure measured on both systems: the median of each one's samples, {@code ratio =
   * Pyralog / Kafka}, and the medians as MB/s of the source topic's data (its bytes per row as
   * written, times rows/s).
   */
  public record Comparison(String name, String unit, List<Double> pyralogSamples,
      List<Double> kafkaSamples, double pyralog, double kafka, double ratio,
      double pyralogMbPerSec, double kafkaMbPerSec) {}

  /**
   * The sink of one system at both delivery guarantees: the median of each one's samples and
   * {@code ratio = exactly-once / at-least-once}.
   */
  public record Guarantees(String name, String system, String unit,
      List<Double> exactlyOnceSamples, List<Double> atLeastOnceSamples, double exactlyOnce,
      double atLeastOnce, double ratio) {}

  /** The two projection figures, 2 of 20 columns then all 20. */
  public static List<Comparison> projections(List<Result> results) {
    return List.of(projection(results, PROJECTION_2, Result.TWO_OF_20),
        projection(results, PROJECTION_20, Result.ALL_20));
  }

  /** The sink figures: Pyralog's, then Kafka's as the anchor. */
  public static List<Guarantees> sinks(List<Result> results) {
    return List.of(sink(results, SINK_GUARANTEES, Result.PYRALOG),
        sink(results, SINK_GUARANTEES_KAFKA, Result.KAFKA));
  }

  static Comparison projection(List<Result> results, String name, String variant) {
    List<Double> p = samples(results, Result.PROJECTION, Result.PYRALOG, variant);
    List<Double> k = samples(results, Result.PROJECTION, Result.KAFKA, variant);
    double pm = Stats.median(p);
    double km = Stats.median(k);
    return new Comparison(name, ROWS_PER_SEC, p, k, pm, km, Stats.ratio(pm, km),
        pm * bytesPerRow(results, Result.PYRALOG) / 1e6,
        km * bytesPerRow(results, Result.KAFKA) / 1e6);
  }

  static Guarantees sink(List<Result> results, String name, String system) {
    List<Double> eo = samples(results, Result.SINK, system, Result.EXACTLY_ONCE);
    List<Double> alo = samples(results, Result.SINK, system, Result.AT_LEAST_ONCE);
    double eoMedian = Stats.median(eo);
    double aloMedian = Stats.median(alo);
    return new Guarantees(name, system, RECORDS_PER_SEC, eo, alo, eoMedian, aloMedian,
        Stats.ratio(eoMedian, aloMedian));
  }

  /** The rates of the matching results, in repetition order. */
  static List<Double> samples(List<Result> results, String workload, String system,
      String variant) {
    return results.stream()
        .filter(r -> r.workload().equals(workload) && r.system().equals(system)
            && r.variant().equals(variant))
        .sorted(Comparator.comparingInt(Result::rep))
        .map(Result::rate).toList();
  }

  /** Bytes per row of the system's projection topic as written; NaN without a fill result. */
  static double bytesPerRow(List<Result> results, String system) {
    return results.stream()
        .filter(r -> r.workload().equals(Result.FILL) && r.system().equals(system)
            && r.records() > 0)
        .mapToDouble(r -> (double) r.bytes() / r.records()).findFirst().orElse(Double.NaN);
  }
}
