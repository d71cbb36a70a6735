package io.pyralog.benchmarks.flink;

import io.pyralog.benchmarks.flink.FlinkFigures.Comparison;
import io.pyralog.benchmarks.flink.FlinkFigures.Guarantees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Java half of {@code benchmarks/flink.sh}: each command but {@code report} is one JVM run
 * against servers the script started, and prints a line {@code RESULT {json}} per measured job
 * (see {@link Result}).
 *
 * <pre>
 * fill --pyralog B --kafka B --topic T --rows N --warmup-topic W --warmup-rows N
 *      [--partitions 4] [--batch-rows 8192]
 *     the typed Pyralog topic and the Kafka topic of JSON records, both named T, and the
 *     smaller warm-up topics W
 * projection --system pyralog|kafka --bootstrap B --topic T --rows N --warmup-topic W
 *      --warmup-rows N --rep R [--parallelism 2]
 *     warm-up jobs over W, then SELECT of 2 and of all 20 columns of T (the order alternates
 *     with R)
 * sink --system pyralog|kafka --bootstrap B --records N --warmup-records N --rep R
 *      [--partitions 4] [--parallelism 2]
 *     warm-up jobs, then the sink at at-least-once and at exactly-once (the order alternates)
 * report --out DIR --results-md FILE --latest-json FILE --revision R --mode M --cores N
 *      --df LINE [--meminfo FILE] [--settings TEXT]
 *     prints the tables, appends to RESULTS.md, writes the JSON
 * </pre>
 */
public final class FlinkBench {
  static final int DEFAULT_PARTITIONS = 4;
  static final int DEFAULT_PARALLELISM = 2;
  static final int DEFAULT_BATCH_ROWS = 8192;

  private FlinkBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      fail("Usage: FlinkBench fill|projection|sink|report [options]; see the javadoc of "
          + FlinkBench.class.getName());
    }
    // Flink's and the clients' non-daemon threads must not keep a finished or failed run alive,
    // hence the explicit exits.
    try {
      Map<String, String> opts = options(args);
      switch (args[0]) {
        case "fill" -> fill(opts);
        case "projection" -> projection(opts);
        case "sink" -> sink(opts);
        case "report" -> report(opts);
        default -> fail("Unknown command " + args[0]
            + "; expected fill, projection, sink or report");
      }
    } catch (Throwable t) {
      System.out.flush();
      System.err.println("Error: " + args[0] + " failed");
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void fill(Map<String, String> opts) throws Exception {
    String pyralog = required(opts, "--pyralog");
    String kafka = required(opts, "--kafka");
    String topic = required(opts, "--topic");
    String warmup = required(opts, "--warmup-topic");
    long rows = longOpt(opts, "--rows", -1);
    long warmupRows = longOpt(opts, "--warmup-rows", -1);
    int partitions = (int) longOpt(opts, "--partitions", DEFAULT_PARTITIONS);
    int batchRows = (int) longOpt(opts, "--batch-rows", DEFAULT_BATCH_ROWS);
    TopicFill.pyralog(pyralog, warmup, partitions, warmupRows, batchRows);
    TopicFill.kafka(kafka, warmup, partitions, warmupRows, batchRows);
    log("warm-up topics filled: " + warmupRows + " rows each");
    for (Result r : List.of(TopicFill.pyralog(pyralog, topic, partitions, rows, batchRows),
        TopicFill.kafka(kafka, topic, partitions, rows, batchRows))) {
      log(String.format(Locale.ROOT, "%s fill: %,d rows, %,d bytes in %.1f s", r.system(),
          r.records(), r.bytes(), r.seconds()));
      System.out.println(r.line());
    }
  }

  private static void projection(Map<String, String> opts) throws Exception {
    String system = required(opts, "--system");
    int rep = (int) longOpt(opts, "--rep", -1);
    long rows = longOpt(opts, "--rows", -1);
    ProjectionJob job = new ProjectionJob(system, required(opts, "--bootstrap"),
        (int) longOpt(opts, "--parallelism", DEFAULT_PARALLELISM), System.out);
    job.register("warmup", required(opts, "--warmup-topic"));
    job.register("wide", required(opts, "--topic"));
    job.explain(Result.TWO_OF_20, "wide");
    for (String variant : List.of(Result.TWO_OF_20, Result.ALL_20)) {
      Result w = job.run(variant, "warmup", longOpt(opts, "--warmup-rows", -1), rep);
      log(String.format(Locale.ROOT, "warm-up %s (not measured): %,.0f rows/s", variant,
          w.rate()));
    }
    List<String> order = rep % 2 == 1 ? List.of(Result.TWO_OF_20, Result.ALL_20)
        : List.of(Result.ALL_20, Result.TWO_OF_20);
    for (String variant : order) {
      Result r = job.run(variant, "wide", rows, rep);
      log(String.format(Locale.ROOT, "%s %s: %,.0f rows/s (job %.2f s, with planning %.2f s)",
          system, variant, r.rate(), r.seconds(), r.wallSeconds()));
      System.out.println(r.line());
    }
  }

  private static void sink(Map<String, String> opts) throws Exception {
    String system = required(opts, "--system");
    int rep = (int) longOpt(opts, "--rep", -1);
    long records = longOpt(opts, "--records", -1);
    SinkJob job = new SinkJob(system, required(opts, "--bootstrap"),
        (int) longOpt(opts, "--parallelism", DEFAULT_PARALLELISM),
        (int) longOpt(opts, "--partitions", DEFAULT_PARTITIONS));
    String runId = Long.toString(System.currentTimeMillis(), 36);
    for (String variant : List.of(Result.AT_LEAST_ONCE, Result.EXACTLY_ONCE)) {
      Result w = job.run(variant, "sink-" + system + "-warmup-" + variant + "-r" + rep,
          longOpt(opts, "--warmup-records", -1), rep, runId);
      log(String.format(Locale.ROOT, "warm-up %s (not measured): %,.0f records/s", variant,
          w.rate()));
    }
    List<String> order = rep % 2 == 1 ? List.of(Result.AT_LEAST_ONCE, Result.EXACTLY_ONCE)
        : List.of(Result.EXACTLY_ONCE, Result.AT_LEAST_ONCE);
    for (String variant : order) {
      Result r = job.run(variant, "sink-" + system + "-" + variant + "-r" + rep, records, rep,
          runId);
      log(String.format(Locale.ROOT, "%s %s: %,.0f records/s (job %.2f s)", system, variant,
          r.rate(), r.seconds()));
      System.out.println(r.line());
    }
  }

  private static void report(Map<String, String> opts) throws IOException {
    RunResults runs = new RunResults(Path.of(required(opts, "--out")));
    List<Comparison> projections = FlinkFigures.projections(runs.results());
    List<Guarantees> sinks = FlinkFigures.sinks(runs.results());
    System.out.print(FlinkReport.table(projections, sinks));
    for (String problem : runs.problems()) {
      System.out.println("No result: " + problem);
    }
    String meminfo = Files.readString(Path.of(opts.getOrDefault("--meminfo", "/proc/meminfo")));
    String machine = FlinkReport.machine(
        Integer.parseInt(required(opts, "--cores")), meminfo, required(opts, "--df"));
    String date = ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT));
    String heading = date + ", revision " + required(opts, "--revision") + ", Flink workloads ("
        + "`benchmarks/flink.sh`), " + required(opts, "--mode") + " run";

    Path resultsMd = Path.of(required(opts, "--results-md"));
    if (!Files.exists(resultsMd)) {
      Files.writeString(resultsMd, "# Benchmark results\n\n", StandardCharsets.UTF_8);
    }
    String existing = Files.readString(resultsMd, StandardCharsets.UTF_8);
    String separator = existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
    Files.writeString(resultsMd, separator + FlinkReport.markdown(projections, sinks, heading,
            machine, opts.getOrDefault("--settings", ""), runs.problems()),
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Path json = Path.of(required(opts, "--latest-json"));
    Files.createDirectories(json.toAbsolutePath().getParent());
    Files.writeString(json, FlinkReport.json(projections, sinks), StandardCharsets.UTF_8);
  }

  /** {@code --key value} pairs after the command name. */
  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    List<String> stray = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--") && i + 1 < args.length) {
        opts.put(args[i], args[++i]);
      } else {
        stray.add(args[i]);
      }
    }
    if (!stray.isEmpty()) {
      throw new IllegalArgumentException("Expected --option value pairs; cannot read "
          + String.join(" ", stray));
    }
    return opts;
  }

  static long longOpt(Map<String, String> opts, String name, long defaultValue) {
    String v = opts.get(name);
    if (v == null) {
      if (defaultValue < 0) {
        fail("Missing option " + name);
      }
      return defaultValue;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Option " + name + " must be a whole number, not " + v);
    }
  }

  private static String required(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) {
      fail("Missing option " + name);
    }
    return value;
  }

  private static void log(String message) {
    System.out.println(message);
  }

  private static void fail(String message) {
    System.err.println("Error: " + message);
    System.exit(1);
  }
}
