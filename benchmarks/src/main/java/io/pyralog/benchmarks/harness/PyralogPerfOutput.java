package io.pyralog.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads the output of {@code pyralog perf produce|consume}, whose last line is one JSON object
 * with {@code records}, {@code recordsPerSec} and, for produce, {@code latencyAvgMs}, {@code
 * latencyP50Ms}, {@code latencyP99Ms}, {@code latencyP999Ms} and {@code latencyMaxMs}.
 */
public final class PyralogPerfOutput {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PyralogPerfOutput() {}

  public static ProduceResult parseProduce(String output) {
    JsonNode json = lastJsonLine(output);
    return new ProduceResult(
        json.path("records").asLong(),
        required(json, "recordsPerSec"),
        required(json, "latencyAvgMs"),
        required(json, "latencyP50Ms"),
        required(json, "latencyP99Ms"),
        required(json, "latencyP999Ms"),
        required(json, "latencyMaxMs"));
  }

  /**
   * The same run with its latencies counted from the {@code send()} call ({@code sendLatency*}),
   * as Kafka's {@code ProducerPerformance} counts them; with {@code --rate} the usual latencies
   * count from each record's due time instead. Average and maximum are not measured that way and
   * are NaN.
   */
  public static ProduceResult parseProduceFromSend(String output) {
    JsonNode json = lastJsonLine(output);
    return new ProduceResult(
        json.path("records").asLong(),
        required(json, "recordsPerSec"),
        Double.NaN,
        required(json, "sendLatencyP50Ms"),
        required(json, "sendLatencyP99Ms"),
        required(json, "sendLatencyP999Ms"),
        Double.NaN);
  }

  public static ConsumeResult parseConsume(String output) {
    JsonNode json = lastJsonLine(output);
    return new ConsumeResult(json.path("records").asLong(), required(json, "recordsPerSec"));
  }

  private static JsonNode lastJsonLine(String output) {
    String[] lines = output.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      if (line.startsWith("{") && line.endsWith("}")) {
        try {
          return MAPPER.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException("Malformed pyralog perf JSON line: " + line, e);
        }
      }
    }
    throw new IllegalArgumentException("No JSON summary line in the pyralog perf output; the "
        + "run probably failed: " + KafkaPerfOutput.tail(output));
  }

  private static double required(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException(
          "The pyralog perf JSON line has no number \"" + field + "\": " + json);
    }
    return value.asDouble();
  }
}
