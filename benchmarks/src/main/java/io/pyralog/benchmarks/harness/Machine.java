package io.pyralog.benchmarks.harness;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A one-line description of the machine for {@code RESULTS.md}: cores, memory and disk. */
public final class Machine {
  private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+)\\s*kB\\s*$");

  private Machine() {}

  /**
   * @param cores what {@code nproc} says
   * @param meminfo the text of {@code /proc/meminfo}
   * @param dfLine the data line of {@code df -P -h DIR}: source, size, used, available, use%,
   *     mount point
   */
  public static String describe(int cores, String meminfo, String dfLine) {
    return cores + " cores, " + memory(meminfo) + " memory, disk " + disk(dfLine);
  }

  /** {@code MemTotal} of {@code /proc/meminfo} in GiB, for example {@code 23.4 GiB}. */
  static String memory(String meminfo) {
    Matcher m = MEM_TOTAL.matcher(meminfo);
    if (!m.find()) {
      return "unknown";
    }
    return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(m.group(1)) / 1024.0 / 1024.0);
  }

  static String disk(String dfLine) {
    String[] f = dfLine.trim().split("\\s+");
    if (f.length < 6) {
      return dfLine.isBlank() ? "unknown" : dfLine.trim();
    }
    return f[0] + " (" + f[1] + ", " + f[3] + " free, mounted on " + f[5] + ")";
  }
}
