package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {
  @Test
  void describesCoresMemoryAndDisk() {
    String meminfo = "MemTotal:       24567892 kB\nMemFree:        23000000 kB\n";
    String df = "/dev/vda          252G   23G   79G  23% /";

    assertThat(Machine.describe(2, meminfo, df))
        .isEqualTo("2 cores, 23.4 GiB memory, disk /dev/vda (252G, 79G free, mounted on /)");
  }

  @Test
  void unknownPartsSaySo() {
    assertThat(Machine.memory("nothing here")).isEqualTo("unknown");
    assertThat(Machine.disk("")).isEqualTo("unknown");
    assertThat(Machine.disk("overlay 10G")).isEqualTo("overlay 10G");
  }
}
