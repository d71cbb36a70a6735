package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DiskOutputTest {
  @Test
  void megabytesPerSecondComeFromBytesAndSeconds() {
    String dd = """
        1024+0 records in
        1024+0 records out
        1073741824 bytes (1.1 GB, 1.0 GiB) copied, 1.27283 s, 844 MB/s
        """;

    assertThat(DiskOutput.parseDdMbPerSec(dd)).isCloseTo(843.58, within(0.01));
  }

  @Test
  void aDecimalCommaIsAccepted() {
    assertThat(DiskOutput.parseDdMbPerSec(
        "1000000 bytes (1,0 MB, 977 KiB) copied, 0,5 s, 2,0 MB/s\n")).isEqualTo(2.0);
  }

  @Test
  void anErrorFails() {
    assertThatThrownBy(() -> DiskOutput.parseDdMbPerSec("dd: failed to open 'x': No space\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No space");
  }
}
