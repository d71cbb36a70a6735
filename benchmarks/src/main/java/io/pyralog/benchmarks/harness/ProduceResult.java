package io.pyralog.benchmarks.harness;

/**
 * The summary of one produce run, whichever tool measured it. Latencies are in milliseconds,
 * from send to acknowledgement.
 */
public record ProduceResult(
    long records,
    double recordsPerSec,
    double latencyAvgMs,
    double latencyP50Ms,
    double latencyP99Ms,
    double latencyP999Ms,
    double latencyMaxMs) {}
