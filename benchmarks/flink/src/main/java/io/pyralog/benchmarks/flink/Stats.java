package io.pyralog.benchmarks.flink;

import java.util.Collection;

/** Medians and ratios; a missing value is {@link Double#NaN} and spreads through both. */
public final class Stats {
  private Stats() {}

  /** The median of the samples that are not NaN; NaN when there are none. */
  public static double median(Collection<Double> samples) {
    double[] v = samples.stream().filter(d -> d != null && !d.isNaN())
        .mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  /** {@code numerator / denominator}, or NaN when either is missing or the denominator is 0. */
  public static double ratio(double numerator, double denominator) {
    if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator == 0) {
      return Double.NaN;
    }
    return numerator / denominator;
  }
}
