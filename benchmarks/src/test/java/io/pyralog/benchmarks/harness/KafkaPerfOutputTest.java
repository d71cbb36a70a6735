package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaPerfOutputTest {
  /** Captured from Kafka 4.1.1's ProducerPerformance: a progress line, then the summary. */
  private static final String PRODUCER = """
      108285 records sent, 21557.8 records/sec (21.05 MB/sec), 1237.7 ms avg latency, 3293.0 ms max latency.
      300000 records sent, 37005.1 records/sec (36.14 MB/sec), 793.89 ms avg latency, 3293.00 ms max latency, 650 ms 50th, 1911 ms 95th, 3055 ms 99th, 3213 ms 99.9th.
      """;

  /** Captured from Kafka 4.1.1's ConsumerPerformance, default options. */
  private static final String CONSUMER = """
      start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
      2026-11-26 08:27:50:323, 2026-11-26 08:27:51:691, 292.9688, 214.1584, 300000, 219298.2456, 604, 764, 383.4670, 392670.1571
      """;

  @Test
  void producerSummaryIsTheLineWithPercentiles() {
    ProduceResult r = KafkaPerfOutput.parseProducer(PRODUCER);

    assertThat(r.records()).isEqualTo(300_000);
    assertThat(r.recordsPerSec()).isEqualTo(37005.1);
    assertThat(r.latencyAvgMs()).isEqualTo(793.89);
    assertThat(r.latencyMaxMs()).isEqualTo(3293.0);
    assertThat(r.latencyP50Ms()).isEqualTo(650);
    assertThat(r.latencyP99Ms()).isEqualTo(3055);
    assertThat(r.latencyP999Ms()).isEqualTo(3213);
  }

  @Test
  void producerSummaryAmongLogLinesAndWithDecimalPercentiles() {
    String output = "[2026-11-26 08:27:50,100] WARN something (org.apache.kafka.X)\n"
        + "10 records sent, 5.0 records/sec (0.00 MB/sec), 1.5 ms avg latency, "
        + "3.0 ms max latency, 1.2 ms 50th, 2 ms 95th, 3 ms 99th, 3.0 ms 99.9th.\r\n"
        + "Some trailing line\n";

    ProduceResult r = KafkaPerfOutput.parseProducer(output);

    assertThat(r.records()).isEqualTo(10);
    assertThat(r.latencyP50Ms()).isEqualTo(1.2);
  }

  @Test
  void producerOutputWithoutSummaryFailsWithItsTail() {
    assertThatThrownBy(() -> KafkaPerfOutput.parseProducer(
        "108285 records sent, 21557.8 records/sec (21.05 MB/sec), 1237.7 ms avg latency, "
            + "3293.0 ms max latency.\nException in thread main: TimeoutException\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No ProducerPerformance summary")
        .hasMessageContaining("TimeoutException");
  }

  @Test
  void consumerTotalsUseTheFetchRate() {
    ConsumeResult r = KafkaPerfOutput.parseConsumer(CONSUMER);

    assertThat(r.records()).isEqualTo(300_000);
    assertThat(r.recordsPerSec()).isEqualTo(392670.1571);
  }

  @Test
  void consumerColumnsAreFoundByName() {
    String output = "WARN a log line, with a comma\n"
        + "fetch.nMsg.sec, data.consumed.in.nMsg\n"
        + "1000.5, 42\n";

    ConsumeResult r = KafkaPerfOutput.parseConsumer(output);

    assertThat(r.records()).isEqualTo(42);
    assertThat(r.recordsPerSec()).isEqualTo(1000.5);
  }

  @Test
  void consumerOutputWithoutTotalsFails() {
    String headerOnly = CONSUMER.lines().findFirst().orElseThrow() + "\n";

    assertThatThrownBy(() -> KafkaPerfOutput.parseConsumer(headerOnly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row of totals");
    assertThatThrownBy(() -> KafkaPerfOutput.parseConsumer(""))
        .hasMessageContaining("(no output)");
  }
}
