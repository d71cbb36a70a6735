package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromTheInitialWaitUpToOneSecond() {
    Backoff b = new Backoff(100, Backoff.DEFAULT_MAX_MS);
    assertThat(b.delayMs(0)).isEqualTo(100);
    assertThat(b.delayMs(1)).isEqualTo(200);
    assertThat(b.delayMs(2)).isEqualTo(400);
    assertThat(b.delayMs(3)).isEqualTo(800);
    assertThat(b.delayMs(4)).isEqualTo(1000);
    assertThat(b.delayMs(50)).isEqualTo(1000);
    assertThat(b.delayMs(Integer.MAX_VALUE)).isEqualTo(1000);
  }

  @Test
  void anInitialWaitAboveTheCapIsKept() {
    Backoff b = new Backoff(5000, Backoff.DEFAULT_MAX_MS);
    assertThat(b.delayMs(0)).isEqualTo(5000);
    assertThat(b.delayMs(3)).isEqualTo(5000);
  }

  @Test
  void comesFromRetryBackoffMs() {
    ClientConfig config = new ClientConfig(java.util.Map.of("retry.backoff.ms", "30"));
    Backoff b = config.backoff();
    assertThat(b.delayMs(0)).isEqualTo(30);
    assertThat(b.delayMs(1)).isEqualTo(60);
    assertThat(b.delayMs(10)).isEqualTo(1000);
  }
}
