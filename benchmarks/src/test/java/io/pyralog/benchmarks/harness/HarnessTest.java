package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HarnessTest {
  @Test
  void optionsArePairsAfterTheCommand() {
    assertThat(Harness.options(new String[] {"report", "--out", "/tmp/o", "--mode", "quick"}))
        .containsEntry("--out", "/tmp/o")
        .containsEntry("--mode", "quick")
        .hasSize(2);
  }
}
