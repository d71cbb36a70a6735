package io.pyralog.benchmarks.harness;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the output of Kafka's {@code ProducerPerformance} and {@code ConsumerPerformance}. */
public final class KafkaPerfOutput {
  private static final String NUM = "([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN)";

  /**
   * The final summary line: {@code N records sent, X records/sec (Y MB/sec), Z ms avg latency,
   * W ms max latency, a ms 50th, b ms 95th, c ms 99th, d ms 99.9th.} Progress lines stop after
   * the max latency, so they never match.
   */
  private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
      "^\\s*(\\d+) records sent, " + NUM + " records/sec \\(" + NUM + " MB/sec\\), "
          + NUM + " ms avg latency, " + NUM + " ms max latency, " + NUM + " ms 50th, "
          + NUM + " ms 95th, " + NUM + " ms 99th, " + NUM + " ms 99\\.9th\\.\\s*$");

  private static final String RECORDS_COLUMN = "data.consumed.in.nMsg";
  /** Records per second while fetching, without the time the consumer group took to form. */
  private static final String RATE_COLUMN = "fetch.nMsg.sec";

  private KafkaPerfOutput() {}

  /** The summary of a {@code ProducerPerformance} run; fails if the output has none. */
  public static ProduceResult parseProducer(String output) {
    Matcher last = null;
    for (String line : output.split("\\R")) {
      Matcher m = PRODUCER_SUMMARY.matcher(line);
      if (m.matches()) {
        last = m;
      }
    }
    if (last == null) {
      throw new IllegalArgumentException(
          "No ProducerPerformance summary line (\"N records sent, ... ms 99.9th.\") in the "
              + "output; the run probably failed: " + tail(output));
    }
    return new ProduceResult(
        Long.parseLong(last.group(1)),
        Double.parseDouble(last.group(2)),
        Double.parseDouble(last.group(4)),
        Double.parseDouble(last.group(6)),
        Double.parseDouble(last.group(8)),
        Double.parseDouble(last.group(9)),
        Double.parseDouble(last.group(5)));
  }

  /**
   * The totals of a {@code ConsumerPerformance} run. Its output is a CSV header, {@code
   * start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
   * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec}, and one row of totals. The
   * rate is {@code fetch.nMsg.sec}: it leaves out the consumer group's join, as Pyralog's
   * assign-and-seek consumer has none.
   */
  public static ConsumeResult parseConsumer(String output) {
    List<String> header = null;
    List<String> row = null;
    for (String line : output.split("\\R")) {
      List<String> cells = Arrays.stream(line.split(",")).map(String::trim).toList();
      if (cells.contains(RECORDS_COLUMN) && cells.contains(RATE_COLUMN)) {
        header = cells;
        row = null;
      } else if (header != null && cells.size() == header.size()) {
        row = cells;
      }
    }
    if (header == null || row == null) {
      throw new IllegalArgumentException("No ConsumerPerformance header (with " + RECORDS_COLUMN
          + " and " + RATE_COLUMN + ") followed by a row of totals in the output; the run "
          + "probably failed: " + tail(output));
    }
    try {
      return new ConsumeResult(
          Long.parseLong(row.get(header.indexOf(RECORDS_COLUMN))),
          Double.parseDouble(row.get(header.indexOf(RATE_COLUMN))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Malformed ConsumerPerformance totals: " + row, e);
    }
  }

  /** The last few lines of a tool's output, for an error message. */
  static String tail(String output) {
    String[] lines = output.strip().split("\\R");
    String last = String.join(" | ",
        Arrays.copyOfRange(lines, Math.max(0, lines.length - 3), lines.length));
    return last.isEmpty() ? "(no output)" : last;
  }
}
