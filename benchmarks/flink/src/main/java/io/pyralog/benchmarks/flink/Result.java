package io.pyralog.benchmarks.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One measured run, printed by {@link FlinkBench} as a line {@code RESULT {json}} and read back
 * by the report.
 *
 * @param workload {@link #FILL}, {@link #PROJECTION} or {@link #SINK}
 * @param system {@code pyralog} or {@code kafka}
 * @param variant the projection ({@code 2-of-20}, {@code 20-of-20}) or the delivery guarantee
 *     ({@code at-least-once}, {@code exactly-once}); empty for {@link #FILL}
 * @param rep the repetition, from 1; 0 for {@link #FILL}
 * @param records rows read or records written
 * @param seconds the job's run time as Flink reports it (from submission to the end), or for
 *     {@link #FILL} the time from the first write to the last acknowledgement
 * @param wallSeconds the time from handing the job to Flink (SQL planning included) to its end
 * @param bytes for {@link #FILL}: the bytes written (Arrow buffers, or JSON values); else 0
 */
public record Result(String workload, String system, String variant, int rep, long records,
    double seconds, double wallSeconds, long bytes) {
  public static final String FILL = "fill";
  public static final String PROJECTION = "projection";
  public static final String SINK = "sink";
  public static final String PYRALOG = "pyralog";
  public static final String KAFKA = "kafka";
  public static final String TWO_OF_20 = "2-of-20";
  public static final String ALL_20 = "20-of-20";
  public static final String AT_LEAST_ONCE = "at-least-once";
  public static final String EXACTLY_ONCE = "exactly-once";

  static final String PREFIX = "RESULT ";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Records (or rows) per second; NaN when the run took no measurable time. */
  public double rate() {
    return seconds > 0 ? records / seconds : Double.NaN;
  }

  /** The line that {@link #parse} reads back. */
  public String line() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("workload", workload);
    json.put("system", system);
    json.put("variant", variant);
    json.put("rep", rep);
    json.put("records", records);
    json.put("seconds", seconds);
    json.put("wallSeconds", wallSeconds);
    json.put("bytes", bytes);
    try {
      return PREFIX + MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The result on {@code line}, or empty when the line is not a result line (log output). A
   * result line that is malformed fails with a message naming the line.
   */
  public static Optional<Result> parse(String line) {
    if (!line.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      JsonNode n = MAPPER.readTree(line.substring(PREFIX.length()));
      return Optional.of(new Result(text(n, "workload"), text(n, "system"),
          n.path("variant").asText(""), n.path("rep").asInt(0), number(n, "records").asLong(),
          number(n, "seconds").asDouble(), n.path("wallSeconds").asDouble(Double.NaN),
          n.path("bytes").asLong(0)));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Malformed result line: " + line + " (" + e.getMessage()
          + ")", e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("no text field '" + field + "'");
    }
    return v.asText();
  }

  private static JsonNode number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException("no number field '" + field + "'");
    }
    return v;
  }
}
