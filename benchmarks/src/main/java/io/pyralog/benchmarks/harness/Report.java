package io.pyralog.benchmarks.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders figures as a console table, a section of {@code RESULTS.md}, and JSON. */
public final class Report {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String[] HEADER = {"figure", "Pyralog", "Kafka", "ratio", "unit"};

  private Report() {}

  /** A plain-text table with aligned columns, one figure per row. */
  public static String table(List<Figure> figures) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Figure f : figures) {
      rows.add(cells(f));
    }
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        boolean numeric = i >= 1 && i <= 3;
        out.append(pad(row[i], width[i], numeric)).append(i == row.length - 1 ? "" : "  ");
      }
      out.append('\n');
    }
    return out.toString().replaceAll(" +\n", "\n");
  }

  /**
   * One section of {@code RESULTS.md}: a heading with the date, revision and mode, the machine,
   * the settings, the table, each figure's samples, and the runs that failed.
   */
  /**
   * What must come between the text of a results file and a new section, so that the section's
   * heading stands after a blank line even when the file was edited by hand.
   */
  public static String separatorAfter(String existing) {
    if (existing.isEmpty() || existing.endsWith("\n\n")) {
      return "";
    }
    return existing.endsWith("\n") ? "\n" : "\n\n";
  }

  public static String markdown(List<Figure> figures, String heading, String machine,
      String settings, List<String> problems) {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(heading).append("\n\n");
    out.append("Machine: ").append(machine).append("\n\n");
    if (!settings.isBlank()) {
      out.append("Settings: ").append(settings).append("\n\n");
    }
    out.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    out.append("| --- | ---: | ---: | ---: | --- |\n");
    for (Figure f : figures) {
      out.append("| ").append(String.join(" | ", cells(f))).append(" |\n");
    }
    out.append("\nSamples (Pyralog; Kafka), in repetition order:\n\n");
    for (Figure f : figures) {
      out.append("- ").append(f.name()).append(": ").append(samples(f.pyralogSamples(), f.unit()))
          .append("; ").append(samples(f.kafkaSamples(), f.unit())).append('\n');
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
   * {@code latest.json}: an object from figure name to {@code {"pyralog", "kafka", "ratio",
   * "unit"}}, in table order. A missing value is null.
   */
  public static String json(List<Figure> figures) {
    Map<String, Map<String, Object>> root = new LinkedHashMap<>();
    for (Figure f : figures) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("pyralog", round(f.pyralog()));
      entry.put("kafka", round(f.kafka()));
      entry.put("ratio", round(f.ratio()));
      entry.put("unit", f.unit());
      root.put(f.name(), entry);
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String format(double value, String unit) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return switch (unit) {
      case Figures.RECORDS_PER_SEC -> String.format(Locale.ROOT, "%,.0f", value);
      case "MB/s" -> String.format(Locale.ROOT, "%,.1f", value);
      case "fraction" -> String.format(Locale.ROOT, "%.3f", value);
      default -> String.format(Locale.ROOT, "%.2f", value);
    };
  }

  private static String[] cells(Figure f) {
    String ratio = Double.isNaN(f.ratio()) ? "n/a" : String.format(Locale.ROOT, "%.2f", f.ratio());
    return new String[] {
      f.name(), format(f.pyralog(), f.unit()), format(f.kafka(), f.unit()), ratio, f.unit()
    };
  }

  private static String samples(List<Double> values, String unit) {
    return values.isEmpty() ? "none"
        : values.stream().map(v -> format(v, unit)).collect(Collectors.joining(", "));
  }

  private static Double round(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1000.0) / 1000.0;
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(Math.max(0, width - s.length()));
    return right ? spaces + s : s + spaces;
  }
}
