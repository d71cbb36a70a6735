package io.pyralog.benchmarks.harness;

/** The summary of one consume run: how many records arrived, and how fast. */
public record ConsumeResult(long records, double recordsPerSec) {}
