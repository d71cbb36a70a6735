package io.pyralog.benchmarks.cluster;

import io.pyralog.benchmarks.harness.Harness;
import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures of a 3-node cluster of real node processes on this machine:
 *
 * <ol>
 *   <li>{@code failover}: unavailability after {@code kill -9} of a partition's leader, from the
 *       kill to the first acknowledgement on that partition, over N kills (p50, p99, max);
 *   <li>{@code rf}: produce throughput at replication factor 3 against 1, with {@code pyralog
 *       perf produce};
 *   <li>{@code scale}: each node's resident memory and thread count with 16 partitions and with
 *       3 topics x 64 partitions at replication factor 3.
 * </ol>
 *
 * Usage: {@code ClusterBenchmark JAR WORK_DIR [kills] [records]}; run it through {@code
 * benchmarks/cluster.sh}.
 */
public final class ClusterBenchmark {
  private final Path jar;
  private final Path work;
  private final int[] ports = new int[3];
  private final int[] raftPorts = new int[3];
  private final Process[] nodes = new Process[3];
  private final String peers;
  private final String bootstrap;

  /** Six distinct ports: a client and a Raft port for each node. */
  private static List<Integer> freePorts() {
    try {
      return Harness.freePorts(6);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ClusterBenchmark(Path jar, Path work) {
    this.jar = jar;
    this.work = work;
    StringJoiner p = new StringJoiner(",");
    StringJoiner b = new StringJoiner(",");
    List<Integer> free = freePorts();
    for (int i = 0; i < 3; i++) {
      ports[i] = free.get(2 * i);
      raftPorts[i] = free.get(2 * i + 1);
      p.add((i + 1) + "@127.0.0.1:" + raftPorts[i]);
      b.add("127.0.0.1:" + ports[i]);
    }
    this.peers = p.toString();
    this.bootstrap = b.toString();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: ClusterBenchmark JAR WORK_DIR [kills] [records] "
          + "[phases, default scale,rf,failover]");
      System.exit(2);
    }
    int kills = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int records = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
    ClusterBenchmark b = new ClusterBenchmark(Path.of(args[0]), Path.of(args[1]));
    Runtime.getRuntime().addShutdownHook(new Thread(b::stopAll));
    try {
      for (int id = 1; id <= 3; id++) {
        b.start(id);
      }
      String phases = args.length > 4 ? args[4] : "scale,rf,failover";
      if (phases.contains("scale")) {
        b.scale();
      }
      if (phases.contains("rf")) {
        b.rf(records);
      }
      if (phases.contains("failover")) {
        b.failover(kills);
      }
    } finally {
      b.stopAll();
    }
  }

  // ---- memory and threads ----------------------------------------------------------------------

  private void scale() throws Exception {
    try (PyralogClient client = client()) {
      client.admin().createTopic(NewTopic.builder("scale-16").partitions(16)
          .replicationFactor(3).build());
      awaitLeaders(client, "scale-16");
      settle();
      report("scale", "16 partitions at RF=3", processFigures());
      for (int t = 0; t < 3; t++) {
        client.admin().createTopic(NewTopic.builder("scale-64-" + t).partitions(64)
            .replicationFactor(3).build());
        awaitLeaders(client, "scale-64-" + t);
      }
      settle();
      report("scale", "16 + 192 partitions at RF=3", processFigures());
    }
  }

  private String processFigures() throws IOException {
    StringJoiner j = new StringJoiner("; ");
    for (int i = 0; i < 3; i++) {
      long rssKb = 0;
      int threads = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(nodes[i].pid()),
          "status"))) {
        if (line.startsWith("VmRSS:")) {
          rssKb = Long.parseLong(line.replaceAll("\\D", ""));
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("\\D", ""));
        }
      }
      j.add(String.format(Locale.ROOT, "node %d: %d MiB resident, %d threads", i + 1,
          rssKb / 1024, threads));
    }
    return j.toString();
  }

  // ---- RF=3 against RF=1 ----------------------------------------------------------------------

  private void rf(int records) throws Exception {
    // the nodes hand leaderships to the preferred leaders in their first seconds; those
    // hand-overs raise terms too, and are not elections under load
    awaitPreferredLeaders();
    long termsBefore = termSum();
    for (int rf : new int[] {1, 3, 1, 3, 1, 3}) {
      String topic = "rf" + rf + "-" + System.nanoTime();
      try (PyralogClient client = client()) {
        client.admin().createTopic(NewTopic.builder(topic).partitions(16).replicationFactor(rf)
            .build());
        awaitLeaders(client, topic);
      }
      List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g", "-XX:+UseG1GC",
          "--add-opens=java.base/java.nio=ALL-UNNAMED", "-jar", jar.toString(), "perf",
          "produce", "--bootstrap", bootstrap, "--topic", topic, "--records",
          Integer.toString(records), "--record-size", "1024", "-X", "linger.ms=5", "-X",
          "batch.size=262144"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
      if (json.isEmpty()) {
        String[] lines = out.split("\n");
        json = "FAILED: " + String.join(" / ", java.util.Arrays.copyOfRange(lines,
            Math.max(0, lines.length - 5), lines.length));
      }
      report("rf", "RF=" + rf, json);
    }
    // Every election raises its group's term; none should happen under load (no GC flapping).
    report("elections", "during the throughput runs", Long.toString(termSum() - termsBefore));
  }

  /**
   * Waits until every Raft group is led by its preferred leader (the first of its members), as
   * the leaders report it; after a minute, goes on and says so.
   */
  private void awaitPreferredLeaders() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      boolean balanced = true;
      try (PyralogClient client = client()) {
        for (int i = 0; i < 3 && balanced; i++) {
          for (var g : client.admin().nodeStatus("127.0.0.1:" + ports[i]).groups()) {
            if (g.members().get(0) == i + 1 && !g.role().equals("LEADER")) {
              balanced = false;
            }
          }
        }
      } catch (RuntimeException e) {
        balanced = false;
      }
      if (balanced) {
        return;
      }
      Thread.sleep(200);
    }
    System.out.println("  not every group was led by its preferred leader within 60 s");
  }

  /** The sum over all Raft groups of their current term, as their leaders report it. */
  private long termSum() {
    Map<String, Long> terms = new java.util.TreeMap<>();
    try (PyralogClient client = client()) {
      for (int i = 0; i < 3; i++) {
        for (var g : client.admin().nodeStatus("127.0.0.1:" + ports[i]).groups()) {
          terms.merge(g.name(), g.term(), Math::max);
        }
      }
    }
    return terms.values().stream().mapToLong(Long::longValue).sum();
  }

  // ---- failover --------------------------------------------------------------------------------

  private void failover(int kills) throws Exception {
    String topic = "failover";
    List<Long> unavailableMs = new ArrayList<>();
    try (PyralogClient admin = client()) {
      admin.admin().createTopic(NewTopic.builder(topic).partitions(1).replicationFactor(3)
          .build());
      awaitLeaders(admin, topic);
    }
    AtomicLong lastAckNanos = new AtomicLong();
    AtomicLong ackedAtNanos = new AtomicLong();
    try (PyralogClient client = PyralogClient.create(Map.of("bootstrap", bootstrap,
        "linger.ms", "0", "request.timeout.ms", "2000", "delivery.timeout.ms", "60000",
        "retry.backoff.ms", "10"));
        PyralogProducer producer = client.producer()) {
      Thread writer = new Thread(() -> {
        byte[] value = new byte[100];
        while (!Thread.currentThread().isInterrupted()) {
          long sentAt = System.nanoTime();
          producer.send(ProducerRecord.of(topic, value)).whenComplete((md, t) -> {
            if (t == null) {
              // the latest send time among acknowledged records: it passes the kill time only
              // once a record sent after the kill is acknowledged
              lastAckNanos.accumulateAndGet(sentAt, Math::max);
              ackedAtNanos.set(System.nanoTime());
            }
          });
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "failover-writer");
      writer.start();
      try (PyralogClient admin = client()) {
        awaitInSync(admin, topic);
        Thread.sleep(3000);
        for (int k = 1; k <= kills; k++) {
          // a leadership hand-over must not overlap a kill: wait until the preferred leader leads
          int leader = preferredLeaderLeading(admin, topic);
          long killedAt = System.nanoTime();
          kill(leader);
          long deadline = killedAt + TimeUnit.SECONDS.toNanos(60);
          while (lastAckNanos.get() <= killedAt && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
          boolean recovered = lastAckNanos.get() > killedAt;
          long ms = recovered ? (ackedAtNanos.get() - killedAt) / 1_000_000 : 60_000;
          unavailableMs.add(ms);
          System.out.printf(Locale.ROOT, "kill %d of %d: node %d, %s%n", k, kills, leader,
              recovered ? "first ack of a record sent after the kill " + ms + " ms after it"
                  : "no record sent after the kill acknowledged within 60 s");
          start(leader);
          // the figure is for a healthy cluster: every member caught up before the next kill
          long caughtUpMs = awaitInSync(admin, topic);
          if (caughtUpMs < 0) {
            // a member stopped replicating (see "Known limits" in docs/operations.md); the
            // next kill would measure a cluster without a spare member, so stop here
            System.out.printf(Locale.ROOT, "  node %d back, but a member of the replica set did "
                + "not catch up within 120 s; stopping after %d kills%n", leader, k);
            break;
          }
          System.out.printf(Locale.ROOT, "  node %d back and all members caught up in %d ms%n",
              leader, caughtUpMs);
          Thread.sleep(1000);
        }
      } finally {
        writer.interrupt();
        writer.join();
      }
    }
    Collections.sort(unavailableMs);
    report("failover", unavailableMs.size() + " leader kills", String.format(Locale.ROOT,
        "p50 %d ms, p99 %d ms, max %d ms; all: %s", percentile(unavailableMs, 50),
        percentile(unavailableMs, 99), unavailableMs.get(unavailableMs.size() - 1),
        unavailableMs));
  }

  static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  // ---- cluster ---------------------------------------------------------------------------------

  private static final long REBALANCE_INTERVAL_MS = 3_000;

  private void start(int id) throws Exception {
    Path log = work.resolve("node-" + id + ".log");
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g", "-Xms1g", "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=50", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dpyralog.ratis.log.level=" + System.getProperty("pyralog.ratis.log.level", "WARN"),
        "-jar",
        jar.toString(), "node", "start", "--node-id", Integer.toString(id), "--data-dir",
        work.resolve("node-" + id).toString(), "--port", Integer.toString(ports[id - 1]),
        "--raft-port", Integer.toString(raftPorts[id - 1]), "--peers", peers,
        // leadership goes back to the preferred leader within seconds, so that every kill of the
        // failover figure starts from the same healthy state
        "-X", "leader.imbalance.check.interval.ms=" + REBALANCE_INTERVAL_MS));
    // PYRALOG_NODE_OPTIONS="-X key=value ..." in cluster.sh: node options for a comparison run
    String extra = System.getProperty("pyralog.bench.node.options", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    nodes[id - 1] = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long from = Files.exists(log) ? Files.size(log) : 0;
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log);
      if (text.length() > from && text.substring((int) Math.min(from, text.length()))
          .contains("is up")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node " + id + " did not start; see " + log);
  }

  /**
   * SIGKILL (what {@code kill -9} sends), straight from this JVM: forking a {@code kill} process
   * took tens of milliseconds, during which the node still acknowledged records sent "after the
   * kill", so some kills measured a few milliseconds of unavailability that never was.
   */
  private void kill(int id) throws Exception {
    nodes[id - 1].destroyForcibly();
    nodes[id - 1].waitFor();
  }

  private void stopAll() {
    for (Process p : nodes) {
      if (p != null && p.isAlive()) {
        p.destroy();
        try {
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            System.out.println("  node " + p.pid() + " did not stop within 20 s; killing it");
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
        }
      }
    }
  }

  private PyralogClient client() {
    return PyralogClient.create(Map.of("bootstrap", bootstrap, "request.timeout.ms", "30000"));
  }

  private void awaitLeaders(PyralogClient client, String topic) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (client.admin().describeTopic(topic).partitionInfo().stream()
            .allMatch(p -> p.leaderAddress() != null)) {
          return;
        }
      } catch (RuntimeException e) {
        // a leader is being elected
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no leaders for " + topic);
  }

  /**
   * Waits until the leader of the topic's partition 0 hears from all three members, each within
   * 64 entries of its commit index; returns the time it took, or -1 after 120 s.
   */
  private long awaitInSync(PyralogClient client, String topic) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        PartitionInfo p = client.admin().describeTopic(topic).partitionInfo().get(0);
        if (p.leaderAddress() != null) {
          for (var g : client.admin().nodeStatus(p.leaderAddress()).groups()) {
            if (g.name().equals(p.replicaSet()) && g.memberCommits().size() == 3
                && g.memberCommits().stream()
                    .allMatch(m -> m.commitIndex() >= g.commitIndex() - 64)) {
              return (System.nanoTime() - start) / 1_000_000;
            }
          }
        }
      } catch (RuntimeException e) {
        // a leader is being elected
      }
      Thread.sleep(100);
    }
    return -1;
  }

  /**
   * Waits until the partition's replica set is led by its preferred leader (which the rebalancing
   * of the nodes brings back after a failover) and returns that node; after a minute, takes
   * whichever node leads.
   */
  private int preferredLeaderLeading(PyralogClient client, String topic)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      int leader = confirmedLeaderOf(client, topic);
      try {
        String set = client.admin().describeTopic(topic).partitionInfo().get(0).replicaSet();
        for (var g : client.admin().nodeStatus("127.0.0.1:" + ports[leader - 1]).groups()) {
          if (g.name().equals(set) && g.members().get(0) == leader) {
            Thread.sleep(1000); // let the hand-over settle
            return confirmedLeaderOf(client, topic);
          }
        }
      } catch (RuntimeException e) {
        // retry
      }
      Thread.sleep(200);
    }
    System.out.println("  the preferred leader did not take the partition back within 60 s");
    return confirmedLeaderOf(client, topic);
  }

  /** The leader of partition 0, as the node itself reports its role (not a cached view). */
  private int confirmedLeaderOf(PyralogClient client, String topic) throws InterruptedException {
    while (true) {
      int leader = leaderOf(client, topic);
      try {
        String set = client.admin().describeTopic(topic).partitionInfo().get(0).replicaSet();
        for (var g : client.admin().nodeStatus("127.0.0.1:" + ports[leader - 1]).groups()) {
          if (g.name().equals(set) && g.role().equals("LEADER")) {
            return leader;
          }
        }
      } catch (RuntimeException e) {
        // retry
      }
      Thread.sleep(50);
    }
  }

  private int leaderOf(PyralogClient client, String topic) throws InterruptedException {
    while (true) {
      try {
        PartitionInfo p = client.admin().describeTopic(topic).partitionInfo().get(0);
        for (int i = 0; i < 3; i++) {
          if (p.leaderAddress() != null && p.leaderAddress().endsWith(":" + ports[i])) {
            return i + 1;
          }
        }
      } catch (RuntimeException e) {
        // retry
      }
      Thread.sleep(50);
    }
  }

  private static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(5000);
  }

  private static void report(String figure, String what, String value) {
    System.out.printf(Locale.ROOT, "RESULT %s | %s | %s%n", figure, what, value);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
