package io.pyralog.benchmarks.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * The Java half of {@code benchmarks/run.sh}: the script starts processes and runs the tools, and
 * calls this for everything it would otherwise parse or format in shell.
 *
 * <pre>
 * free-ports N                       N free TCP ports on loopback, one a line
 * kafka-config --log-dir D --port P --controller-port C [--node-id N --voters V]
 *                                    the broker's server.properties, on standard output; with
 *                                    --voters, node N of a 3-node cluster
 *                                    (V = 1@host:cport,2@host:cport,3@host:cport)
 * fixed-rate --out DIR [--fraction F] F (default 0.5) of Kafka's median 1 KiB produce rate
 * report --out DIR --results-md FILE --latest-json FILE --revision R --mode M
 *        --cores N --df LINE [--meminfo FILE] [--settings TEXT] [--figures single|replicated]
 *                                    prints the table, appends RESULTS.md, writes latest.json
 * </pre>
 */
public final class Harness {
  private static final String HOST = "127.0.0.1";

  private Harness() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      fail("Usage: Harness free-ports|kafka-config|fixed-rate|report [options]; see the javadoc "
          + "of io.pyralog.benchmarks.harness.Harness");
    }
    Map<String, String> opts = options(args);
    switch (args[0]) {
      case "free-ports" -> {
        for (int port : freePorts(Integer.parseInt(positional(args)))) {
          System.out.println(port);
        }
      }
      case "kafka-config" -> System.out.print(opts.containsKey("--voters")
          ? KafkaServerConfig.renderClusterNode(Path.of(required(opts, "--log-dir")), HOST,
              Integer.parseInt(required(opts, "--node-id")),
              Integer.parseInt(required(opts, "--port")),
              Integer.parseInt(required(opts, "--controller-port")), opts.get("--voters"))
          : KafkaServerConfig.render(Path.of(required(opts, "--log-dir")), HOST,
              Integer.parseInt(required(opts, "--port")),
              Integer.parseInt(required(opts, "--controller-port"))));
      case "fixed-rate" -> {
        RunOutputs runs = new RunOutputs(Path.of(required(opts, "--out")));
        double rate = Figures.fixedRate(runs,
            Double.parseDouble(opts.getOrDefault("--fraction", "0.5")));
        if (Double.isNaN(rate) || rate < 1) {
          fail("No Kafka produce-1kib-defaults result to derive the fixed rate from: "
              + String.join("; ", runs.problems()));
        }
        System.out.println(Math.round(rate));
      }
      case "report" -> report(opts);
      default -> fail("Unknown command " + args[0]
          + "; expected free-ports, kafka-config, fixed-rate or report");
    }
  }

  private static void report(Map<String, String> opts) throws IOException {
    RunOutputs runs = new RunOutputs(Path.of(required(opts, "--out")));
    String set = opts.getOrDefault("--figures", "single");
    List<Figure> figures = switch (set) {
      case "single" -> Figures.compute(runs);
      case "replicated" -> Figures.computeReplicated(runs);
      default -> {
        fail("Unknown --figures " + set + "; expected single or replicated");
        yield List.of();
      }
    };
    String table = Report.table(figures);
    System.out.print(table);
    for (String problem : runs.problems()) {
      System.out.println("No result: " + problem);
    }
    String meminfo = Files.readString(Path.of(opts.getOrDefault("--meminfo", "/proc/meminfo")));
    String machine = Machine.describe(
        Integer.parseInt(required(opts, "--cores")), meminfo, required(opts, "--df"));
    String date = ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT));
    String heading = date + ", revision " + required(opts, "--revision") + ", "
        + required(opts, "--mode") + " run";

    Path resultsMd = Path.of(required(opts, "--results-md"));
    if (!Files.exists(resultsMd)) {
      Files.writeString(resultsMd, "# Benchmark results\n\n"
          + "One section per run of `benchmarks/run.sh`, newest last. See README.md for the "
          + "workloads and how to read the figures.\n\n", StandardCharsets.UTF_8);
    }
    String separator = Report.separatorAfter(
        Files.readString(resultsMd, StandardCharsets.UTF_8));
    Files.writeString(resultsMd, separator + Report.markdown(figures, heading, machine,
            opts.getOrDefault("--settings", ""), runs.problems()),
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    Path latest = Path.of(required(opts, "--latest-json"));
    Files.createDirectories(latest.toAbsolutePath().getParent());
    Files.writeString(latest, Report.json(figures), StandardCharsets.UTF_8);
  }

  /** Ports that were free a moment ago: all bound at once, so they differ, then released. */
  public static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getByName(HOST)));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /** {@code --key value} pairs after the command name. */
  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          fail("Option " + args[i] + " needs a value");
        }
        opts.put(args[i], args[++i]);
      }
    }
    return opts;
  }

  private static String positional(String[] args) {
    if (args.length < 2 || args[1].startsWith("--")) {
      fail(args[0] + " needs an argument");
    }
    return args[1];
  }

  private static String required(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) {
      fail("Missing option " + name);
    }
    return value;
  }

  private static void fail(String message) {
    System.err.println("Error: " + message);
    System.exit(1);
  }
}
