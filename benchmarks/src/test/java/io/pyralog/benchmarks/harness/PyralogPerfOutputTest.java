package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PyralogPerfOutputTest {
  @Test
  void produceReadsTheLastJsonLine() {
    String output = """
        15408 records acknowledged, 13185.6 records/sec (13.50 MB/sec), 1116.7 ms p50, 1905.3 ms p99 latency
        300000 records sent, 26335.7 records/sec (26.97 MB/sec), 2279.81 ms avg latency, 7390.36 ms max latency, 1900.02 ms 50th, 6660.55 ms 99th, 7361.00 ms 99.9th.
        {"records":300000,"recordSize":1024,"elapsedSec":11.391,"recordsPerSec":26335.695,"mbPerSec":26.968,"latencyAvgMs":2279.809,"latencyP50Ms":1900.02,"latencyP99Ms":6660.555,"latencyP999Ms":7361.004,"latencyMaxMs":7390.364,"sendLatencyP50Ms":120.5,"sendLatencyP99Ms":480.25,"sendLatencyP999Ms":512.0}
        """;

    ProduceResult r = PyralogPerfOutput.parseProduce(output);

    assertThat(r).isEqualTo(
        new ProduceResult(300_000, 26335.695, 2279.809, 1900.02, 6660.555, 7361.004, 7390.364));
    ProduceResult fromSend = PyralogPerfOutput.parseProduceFromSend(output);
    assertThat(fromSend.latencyP50Ms()).isEqualTo(120.5);
    assertThat(fromSend.latencyP99Ms()).isEqualTo(480.25);
    assertThat(fromSend.latencyP999Ms()).isEqualTo(512.0);
    assertThat(fromSend.recordsPerSec()).isEqualTo(26335.695);
  }

  @Test
  void consumeReadsRecordsAndRate() {
    String output = """
        48438 records consumed, 37830.0 records/sec
        300000 records consumed in 4.32 s, 69457.3 records/sec (72.55 MB/sec).
        {"records":300000,"elapsedSec":4.319,"recordsPerSec":69457.335,"mbPerSec":72.553}
        """;

    assertThat(PyralogPerfOutput.parseConsume(output))
        .isEqualTo(new ConsumeResult(300_000, 69457.335));
  }

  @Test
  void anErrorInsteadOfTheSummaryFails() {
    assertThatThrownBy(() -> PyralogPerfOutput.parseProduce(
        "Error: Produce failed after 12 acknowledged records: timed out\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No JSON summary line")
        .hasMessageContaining("Produce failed after 12");
  }

  @Test
  void aSummaryWithoutLatenciesFailsForProduce() {
    assertThatThrownBy(() -> PyralogPerfOutput.parseProduce("{\"records\":1,\"recordsPerSec\":2}"))
        .hasMessageContaining("latencyAvgMs");
  }
}
