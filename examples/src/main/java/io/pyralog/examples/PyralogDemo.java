package io.pyralog.examples;

import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.TopicPartition;
import io.pyralog.node.server.NodeConfig;
import io.pyralog.node.server.PyralogNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * {@code pyralog demo}: the first thing to run. In one process it finds a node (or starts one in
 * a temporary directory), writes click events, runs {@link PageViewsPerWindow} on a local Flink,
 * and prints the page views per window as the job writes them.
 */
public final class PyralogDemo {
  static final int CLICKS = 3_000;
  static final String[] PAGES = {"/home", "/search", "/cart", "/checkout", "/help"};
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  /** Ratis's gRPC logs through java.util.logging; the demo keeps it to warnings. */
  private static final java.util.logging.Logger RATIS_GRPC =
      java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

  private PyralogDemo() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args.length > 0 ? args[0]
        : System.getenv().getOrDefault("PYRALOG_BOOTSTRAP", "127.0.0.1:7070");
    System.exit(run(bootstrap, System.out));
  }

  /** Runs the demo against {@code bootstrap}, or an embedded node if none answers there. */
  public static int run(String bootstrap, PrintStream out) throws Exception {
    RATIS_GRPC.setLevel(java.util.logging.Level.WARNING);
    EmbeddedNode embedded = null;
    if (!answers(bootstrap)) {
      out.println("No node answers at " + bootstrap + "; starting one in this process...");
      embedded = EmbeddedNode.start();
      bootstrap = embedded.bootstrap();
      out.println("Started a single node at " + bootstrap + " (data in " + embedded.dir + ")");
    } else {
      out.println("Using the node at " + bootstrap);
    }
    try {
      return demo(bootstrap, out);
    } finally {
      if (embedded != null) {
        embedded.close();
        out.println("Stopped the demo node and deleted its data");
      }
    }
  }

  private static int demo(String bootstrap, PrintStream out) throws Exception {
    String suffix = Long.toString(System.currentTimeMillis(), 36);
    String clicks = "demo-clicks-" + suffix;
    String views = "demo-page-views-" + suffix;
    try (PyralogClient client = PyralogClient.create(bootstrap)) {
      client.admin().createTopic(NewTopic.builder(clicks).partitions(3).build());
      client.admin().createTopic(NewTopic.builder(views).partitions(1).build());
      out.println("Created topics " + clicks + " (3 partitions) and " + views);
      writeClicks(client, clicks, out);

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(2);
      StreamTableEnvironment tables = StreamTableEnvironment.create(env);
      PageViewsPerWindow.createTables(tables, bootstrap, clicks, views);
      out.println("Starting the Flink SQL job: views per page in 10-second windows...");
      TableResult job = PageViewsPerWindow.start(tables);
      long total = printViews(client, views, job, out);
      out.printf("Done: %d clicks counted in %s windows of %s%n", total,
          "10-second", clicks);
      return total == CLICKS ? 0 : 1;
    }
  }

  /** Writes {@link #CLICKS} clicks spread over one minute of event time. */
  private static void writeClicks(PyralogClient client, String topic, PrintStream out) {
    Random random = new Random(42);
    LocalDateTime start = LocalDateTime.ofInstant(Instant.parse("2026-01-01T12:00:00Z"),
        ZoneOffset.UTC);
    List<CompletableFuture<?>> acks = new ArrayList<>();
    try (PyralogProducer producer = client.producer()) {
      for (int i = 0; i < CLICKS; i++) {
        String user = "user-" + random.nextInt(50);
        String page = PAGES[random.nextInt(PAGES.length)];
        LocalDateTime ts = start.plusNanos(i * 20_000_000L); // one click every 20 ms
        String json = "{\"user_id\":\"" + user + "\",\"page\":\"" + page + "\",\"ts\":\""
            + TIMESTAMP.format(ts) + "\"}";
        acks.add(producer.send(ProducerRecord.ofStrings(topic, user, json)));
        if ((i + 1) % 1000 == 0) {
          out.printf("  wrote %,d of %,d clicks%n", i + 1, CLICKS);
        }
      }
      producer.flush();
    }
    acks.forEach(CompletableFuture::join);
    out.println("All " + CLICKS + " clicks acknowledged (committed and fsync'd)");
  }

  /** Prints each row of the output topic as it arrives, until the job ends; returns the sum. */
  private static long printViews(PyralogClient client, String topic, TableResult job,
      PrintStream out) throws Exception {
    long total = 0;
    int rows = 0;
    try (PyralogConsumer consumer = client.consumer()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seek(tp, 0);
      CompletableFuture<?> done = job.getJobClient().orElseThrow().getJobExecutionResult();
      while (true) {
        boolean finished = done.isDone();
        try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
          for (ConsumerRecord r : batches) {
            String row = r.valueAsString();
            total += Long.parseLong(row.replaceAll(".*\"view_count\":(\\d+).*", "$1"));
            rows++;
            out.println("  " + row);
          }
        }
        if (finished && consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp)) {
          break;
        }
      }
      done.get(); // rethrows a job failure
    }
    out.printf("The job wrote %d rows%n", rows);
    return total;
  }

  private static boolean answers(String bootstrap) {
    try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", bootstrap,
        "request.timeout.ms", "2000", "delivery.timeout.ms", "3000"))) {
      client.admin().listTopics();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A single node in this process, on free loopback ports, with its data in a temp dir. */
  private static final class EmbeddedNode implements AutoCloseable {
    final Path dir;
    final PyralogNode node;
    final int port;

    private EmbeddedNode(Path dir, PyralogNode node, int port) {
      this.dir = dir;
      this.node = node;
      this.port = port;
    }

    static EmbeddedNode start() throws IOException {
      Path dir = Files.createTempDirectory("pyralog-demo-");
      int port;
      int raftPort;
      try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
        port = a.getLocalPort();
        raftPort = b.getLocalPort();
      }
      PyralogNode node = new PyralogNode(NodeConfig.fromMap(Map.of("data.dir", dir.toString(),
          "port", Integer.toString(port), "raft.port", Integer.toString(raftPort)))).start();
      return new EmbeddedNode(dir, node, port);
    }

    String bootstrap() {
      return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
      node.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
