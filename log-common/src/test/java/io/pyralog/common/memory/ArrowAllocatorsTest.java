package io.pyralog.common.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.BufferLedger;
import org.junit.jupiter.api.Test;

class ArrowAllocatorsTest {

  private static String managerOf(BufferAllocator allocator) {
    try (ArrowBuf buf = allocator.buffer(1 << 20)) {
      buf.setLong(0, 42L);
      assertThat(buf.getLong(0)).isEqualTo(42L);
      return ((BufferLedger) buf.getReferenceManager()).getAllocationManager().getClass()
          .getSimpleName();
    }
  }

  @Test
  void buffersComeFromTheRecyclingAllocationManager() {
    String expected = RecyclingAllocationManager.class.getSimpleName();
    try (BufferAllocator root = ArrowAllocators.newRoot()) {
      assertThat(managerOf(root)).isEqualTo(expected);
      try (BufferAllocator child = root.newChildAllocator("child", 0, Long.MAX_VALUE)) {
        assertThat(managerOf(child)).isEqualTo(expected);
      }
    }
  }

  /** Arrow reads the property once per JVM, so this asks a JVM started with it. */
  @Test
  void aManagerTypeTheJvmWasStartedWithIsKept() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-D" + ArrowAllocators.PROPERTY + "=Netty",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), PrintManager.class.getName())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.strip().lines().reduce((a, b) -> b).orElse(""))
        .isEqualTo("NettyAllocationManager");
  }

  /** Prints the allocation manager behind {@link ArrowAllocators#newRoot()}. */
  public static final class PrintManager {
    public static void main(String[] args) {
      try (BufferAllocator root = ArrowAllocators.newRoot()) {
        System.out.println(managerOf(root));
      }
    }
  }
}
