package io.pyralog.benchmarks.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pyralog.benchmarks.flink.FlinkFigures.Comparison;
import io.pyralog.benchmarks.flink.FlinkFigures.Guarantees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the Flink figures as console tables, a section of {@code RESULTS.md}, and {@code
 * flink-latest.json}.
 */
public final class FlinkReport {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String[] COMPARISON_HEADER =
      {"figure", "Pyralog", "Kafka", "ratio", "unit"};
  private static final Pattern MEM_TOTAL =
      Pattern.compile("(?m)^MemTotal:\\s+(\\d+)\\s*kB\\s*$");
  private static final String[] GUARANTEE_HEADER =
      {"figure", "exactly-once", "at-least-once", "ratio", "unit"};

  private FlinkReport() {}

  /** Two plain-text tables with aligned columns: the projections, then the sinks. */
  public static String table(List<Comparison> projections, List<Guarantees> sinks) {
    List<String[]> first = new ArrayList<>();
    first.add(COMPARISON_HEADER);
    projections.forEach(c -> first.add(cells(c)));
    List<String[]> second = new ArrayList<>();
    second.add(GUARANTEE_HEADER);
    sinks.forEach(g -> second.add(cells(g)));
    return align(first) + "\n" + align(second);
  }

  /**
   * One section of {@code RESULTS.md}: heading, machine, settings, both tables, the source data
   * rates, every sample, and the runs without a result.
   */
  public static String markdown(List<Comparison> projections, List<Guarantees> sinks,
      String heading, String machine, String settings, List<String> problems) {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(heading).append("\n\n");
    out.append("Machine: ").append(machine).append("\n\n");
    if (!settings.isBlank()) {
      out.append("Settings: ").append(settings).append("\n\n");
    }
    out.append(markdownTable(COMPARISON_HEADER,
        projections.stream().map(FlinkReport::cells).toList()));
    out.append('\n');
    out.append(markdownTable(GUARANTEE_HEADER, sinks.stream().map(FlinkReport::cells).toList()));
    out.append("\nSource data read (the topic's bytes as written, at the median rate):\n\n");
    for (Comparison c : projections) {
      out.append("- ").append(c.name()).append(": Pyralog ").append(mb(c.pyralogMbPerSec()))
          .append(", Kafka ").append(mb(c.kafkaMbPerSec())).append('\n');
    }
    out.append("\nSamples, in repetition order:\n\n");
    for (Comparison c : projections) {
      out.append("- ").append(c.name()).append(": Pyralog ")
          .append(samples(c.pyralogSamples(), c.unit())).append("; Kafka ")
          .append(samples(c.kafkaSamples(), c.unit())).append('\n');
    }
    for (Guarantees g : sinks) {
      out.append("- ").append(g.name()).append(": exactly-once ")
          .append(samples(g.exactlyOnceSamples(), g.unit())).append("; at-least-once ")
          .append(samples(g.atLeastOnceSamples(), g.unit())).append('\n');
    }
    if (!problems.isEmpty()) {
      out.append("\nRuns without a result:\n\n");
      for (String p : problems) {
        out.append("- ").append(p.replace('\n', ' ')).append('\n');
      }
    }
    return out.append('\n').toString();
  }

  /**
   * {@code flink-latest.json}: projection figures as {@code {"pyralog", "kafka", "ratio",
   * "unit", "pyralog_mb_s", "kafka_mb_s"}}, sink figures as {@code {"exactly_once",
   * "at_least_once", "ratio", "unit"}}. A missing value is null.
   */
  public static String json(List<Comparison> projections, List<Guarantees> sinks) {
    Map<String, Map<String, Object>> root = new LinkedHashMap<>();
    for (Comparison c : projections) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("pyralog", round(c.pyralog()));
      entry.put("kafka", round(c.kafka()));
      entry.put("ratio", round(c.ratio()));
      entry.put("unit", c.unit());
      entry.put("pyralog_mb_s", round(c.pyralogMbPerSec()));
      entry.put("kafka_mb_s", round(c.kafkaMbPerSec()));
      root.put(c.name(), entry);
    }
    for (Guarantees g : sinks) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("exactly_once", round(g.exactlyOnce()));
      entry.put("at_least_once", round(g.atLeastOnce()));
      entry.put("ratio", round(g.ratio()));
      entry.put("unit", g.unit());
      root.put(g.name(), entry);
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The machine line: {@code nproc}'s cores, {@code MemTotal} of {@code /proc/meminfo} in GiB,
   * and the disk of the run directory from the data line of {@code df -P -h DIR}.
   */
  public static String machine(int cores, String meminfo, String dfLine) {
    Matcher m = MEM_TOTAL.matcher(meminfo);
    String memory = m.find() ? String.format(Locale.ROOT, "%.1f GiB",
        Long.parseLong(m.group(1)) / 1024.0 / 1024.0) : "unknown";
    String[] f = dfLine.trim().split("\\s+");
    String disk = f.length < 6 ? (dfLine.isBlank() ? "unknown" : dfLine.trim())
        : f[0] + " (" + f[1] + ", " + f[3] + " free, mounted on " + f[5] + ")";
    return cores + " cores, " + memory + " memory, disk " + disk;
  }

  static String rate(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
  }

  static String ratio(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
  }

  static String mb(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.1f MB/s", value);
  }

  private static String[] cells(Comparison c) {
    return new String[] {c.name(), rate(c.pyralog()), rate(c.kafka()), ratio(c.ratio()),
        c.unit()};
  }

  private static String[] cells(Guarantees g) {
    return new String[] {g.name(), rate(g.exactlyOnce()), rate(g.atLeastOnce()),
        ratio(g.ratio()), g.unit()};
  }

  private static String align(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        boolean numeric = i >= 1 && i <= 3;
        String spaces = " ".repeat(width[i] - row[i].length());
        out.append(numeric ? spaces + row[i] : row[i] + spaces)
            .append(i == row.length - 1 ? "" : "  ");
      }
      out.append('\n');
    }
    return out.toString().replaceAll(" +\n", "\n");
  }

  private static String markdownTable(String[] header, List<String[]> rows) {
    StringBuilder out = new StringBuilder();
    out.append("| ").append(String.join(" | ", header)).append(" |\n");
    out.append("| --- | ---: | ---: | ---: | --- |\n");
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return out.toString();
  }

  private static String samples(List<Double> values, String unit) {
    return values.isEmpty() ? "none"
        : values.stream().map(FlinkReport::rate).collect(Collectors.joining(", ")) + " " + unit;
  }

  private static Double round(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1000.0) / 1000.0;
  }
}
