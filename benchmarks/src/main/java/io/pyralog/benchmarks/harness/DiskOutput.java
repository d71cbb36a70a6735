package io.pyralog.benchmarks.harness;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the summary of {@code dd if=/dev/zero of=FILE bs=1M count=N conv=fdatasync}: {@code
 * 1073741824 bytes (1.1 GB, 1.0 GiB) copied, 1.27 s, 844 MB/s}.
 */
public final class DiskOutput {
  private static final Pattern DD_SUMMARY =
      Pattern.compile("^(\\d+) bytes .*copied, ([0-9]+(?:[.,][0-9]+)?) s, .*$");

  private DiskOutput() {}

  /** Megabytes (10^6 bytes) per second, computed from the byte count and the seconds. */
  public static double parseDdMbPerSec(String output) {
    for (String line : output.split("\\R")) {
      Matcher m = DD_SUMMARY.matcher(line.strip());
      if (m.matches()) {
        double bytes = Double.parseDouble(m.group(1));
        double seconds = Double.parseDouble(m.group(2).replace(',', '.'));
        if (seconds <= 0) {
          throw new IllegalArgumentException("dd reports no elapsed time: " + line);
        }
        return bytes / seconds / 1e6;
      }
    }
    throw new IllegalArgumentException(
        "No dd summary line (\"N bytes ... copied, S s, R MB/s\"): " + KafkaPerfOutput.tail(output));
  }
}
