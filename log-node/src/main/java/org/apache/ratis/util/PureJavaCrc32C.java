package org.apache.ratis.util;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Replaces the Ratis class of the same name, which computes CRC-32C table by table in Java. Ratis
 * (3.3.0) creates it by name for every Raft log entry it writes and reads, with no option to
 * choose another checksum. Under produce load it took a quarter of the node's CPU, all of it on
 * the single thread that writes the Raft log of a replica set, which caps the throughput of the
 * set.
 *
 * <p>This class keeps the same name and public methods and computes the same CRC-32C (the
 * Castagnoli polynomial) with {@link CRC32C}, which the JVM runs on the CPU's CRC instructions.
 * Logs written by either class verify with the other. It is found first because the node's
 * classes precede its dependencies on the class path ({@code pyralog-node.jar} lists {@code lib/}
 * in its manifest; Maven puts {@code target/classes} first). {@code RatisCrcTest} checks both:
 * that this class is the one loaded, and that its checksums equal the original's.
 */
public class PureJavaCrc32C implements Checksum {
  private final CRC32C crc = new CRC32C();

  @Override
  public long getValue() {
    return crc.getValue();
  }

  @Override
  public void reset() {
    crc.reset();
  }

  @Override
  public void update(byte[] b, int off, int len) {
    crc.update(b, off, len);
  }

  @Override
  public void update(ByteBuffer buffer) {
    crc.update(buffer);
  }

  @Override
  public final void update(int b) {
    crc.update(b);
  }
}
