package io.pyralog.benchmarks.harness;

import java.util.List;

/**
 * One row of the comparison: the median of each system's samples, and their ratio (Pyralog /
 * Kafka). A missing value is NaN.
 *
 * @param unit {@code records/s}, {@code ms}, {@code MB/s} or {@code fraction}
 * @param higherIsBetter true for throughput, false for latency
 */
public record Figure(
    String name,
    String unit,
    boolean higherIsBetter,
    List<Double> pyralogSamples,
    List<Double> kafkaSamples) {

  public Figure {
    pyralogSamples = List.copyOf(pyralogSamples);
    kafkaSamples = List.copyOf(kafkaSamples);
  }

  public double pyralog() {
    return Stats.median(pyralogSamples);
  }

  public double kafka() {
    return Stats.median(kafkaSamples);
  }

  public double ratio() {
    return Stats.ratio(pyralog(), kafka());
  }
}
