package io.pyralog.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Checksum;
import org.apache.ratis.util.PureJavaCrc32C;
import org.junit.jupiter.api.Test;

/**
 * The node's {@code org.apache.ratis.util.PureJavaCrc32C} replaces Ratis's own: it must be the
 * class that loads, and it must give exactly the checksums of the original, or Raft logs written
 * before (or by another version) would fail to verify.
 */
class RatisCrcTest {

  private static File ratisCommonJar() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(File::new)
        .filter(f -> f.getName().startsWith("ratis-common-") && f.getName().endsWith(".jar"))
        .findFirst().orElseThrow(() -> new AssertionError("ratis-common is not on the class path"));
  }

  @Test
  void theNodesClassIsTheOneThatLoads() {
    URL loaded = PureJavaCrc32C.class.getProtectionDomain().getCodeSource().getLocation();
    URL node = RatisCrc.class.getProtectionDomain().getCodeSource().getLocation();
    assertThat(loaded).isEqualTo(node);
    assertThat(RatisCrc.isReplaced()).isTrue();
  }

  @Test
  void checksumsEqualRatisOwn() throws Exception {
    try (URLClassLoader isolated = new URLClassLoader(
        new URL[] {ratisCommonJar().toURI().toURL()}, null)) {
      Class<?> original = isolated.loadClass("org.apache.ratis.util.PureJavaCrc32C");
      assertThat(original).isNotEqualTo(PureJavaCrc32C.class);
      Checksum theirs = (Checksum) original.getDeclaredConstructor().newInstance();
      Checksum ours = new PureJavaCrc32C();
      Random random = new Random(7);
      for (int round = 0; round < 500; round++) {
        byte[] data = new byte[random.nextInt(5000)];
        random.nextBytes(data);
        int off = data.length == 0 ? 0 : random.nextInt(data.length);
        int len = data.length - off == 0 ? 0 : random.nextInt(data.length - off);
        theirs.reset();
        ours.reset();
        theirs.update(data, off, len);
        ours.update(data, off, len);
        assertThat(ours.getValue()).as("round %d, %d bytes", round, len)
            .isEqualTo(theirs.getValue());
        // continuing the same checksum with single bytes and a direct buffer
        int b = random.nextInt(256);
        theirs.update(b);
        ours.update(b);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        theirs.update(direct.duplicate());
        ours.update(direct.duplicate());
        assertThat(ours.getValue()).as("round %d, continued", round).isEqualTo(theirs.getValue());
      }
      // the standard CRC-32C check value
      ours.reset();
      ours.update("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 9);
      assertThat(ours.getValue()).isEqualTo(0xE3069283L);
    }
  }
}
