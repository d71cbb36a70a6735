package io.pyralog.node.cli;

import io.pyralog.client.PyralogAdmin;
import io.pyralog.client.PyralogClient;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.ClusterInfo;
import io.pyralog.common.protocol.Actions.GroupStatus;
import io.pyralog.common.protocol.Actions.NodeInfo;
import io.pyralog.common.protocol.Actions.NodeStatus;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import io.pyralog.common.protocol.Actions.TopicInfo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pyralog cluster start|status}. */
@Command(name = "cluster", description = "Run a local cluster, or show the state of one.",
    mixinStandardHelpOptions = true,
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Status.class})
final class ClusterCommand {

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start N node processes on loopback ports, as one cluster, in the "
          + "foreground; Ctrl-C stops them all.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--nodes", description = "Number of nodes (default: 3).")
    int nodes = 3;

    @Option(names = "--base-dir", paramLabel = "DIR",
        description = "Node i keeps its data in DIR/node-i and logs to DIR/node-i.log "
            + "(default: ~/.pyralog/cluster).")
    Path baseDir = Path.of(System.getProperty("user.home"), ".pyralog", "cluster");

    @Option(names = "--base-port", description = "Node i listens for clients on "
        + "BASE + 2(i-1) and for Raft on the port after it (default: 7070).")
    int basePort = 7070;

    @Option(names = {"-X", "--property"}, paramLabel = "KEY=VALUE",
        description = "A node option for every node, e.g. -X segment.bytes=67108864.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--node-heap", paramLabel = "SIZE",
        description = "Maximum heap of each node JVM (default: 512m).")
    String nodeHeap = "512m";

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || nodes > 9) {
        throw Errors.INVALID_CONFIG.exception("--nodes must be between 1 and 9, got " + nodes);
      }
      if (basePort < 1 || basePort + 2 * nodes > 65535) {
        throw Errors.INVALID_CONFIG.exception("--base-port " + basePort
            + " leaves no room for " + nodes + " nodes");
      }
      StringJoiner peers = new StringJoiner(",");
      StringJoiner bootstrap = new StringJoiner(",");
      for (int i = 1; i <= nodes; i++) {
        peers.add(i + "@127.0.0.1:" + raftPort(i));
        bootstrap.add("127.0.0.1:" + port(i));
      }
      Files.createDirectories(baseDir);
      List<Process> processes = new ArrayList<>();
      Thread stopAll = new Thread(() -> stop(processes), "pyralog-cluster-stop");
      Runtime.getRuntime().addShutdownHook(stopAll);
      for (int i = 1; i <= nodes; i++) {
        Path log = baseDir.resolve("node-" + i + ".log");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx" + nodeHeap,
            "-XX:+UseG1GC", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-jar", ownJar(),
            "node", "start", "--node-id", Integer.toString(i),
            "--data-dir", baseDir.resolve("node-" + i).toString(),
            "--port", Integer.toString(port(i)), "--raft-port", Integer.toString(raftPort(i)),
            "--peers", peers.toString()));
        properties.forEach((k, v) -> cmd.addAll(List.of("-X", k + "=" + v)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        processes.add(p);
        System.out.printf("Starting node %d: clients on 127.0.0.1:%d, Raft on %d, log %s%n", i,
            port(i), raftPort(i), log);
      }
      for (int i = 1; i <= nodes; i++) {
        awaitUp(i, processes.get(i - 1), baseDir.resolve("node-" + i + ".log"));
      }
      System.out.println("Cluster of " + nodes + " node(s) is up. Bootstrap: " + bootstrap);
      System.out.println("Try: pyralog cluster status --bootstrap " + bootstrap);
      System.out.println("Press Ctrl-C to stop every node.");
      System.out.flush();
      // Runs until Ctrl-C; a node that dies on its own is reported, the others keep running.
      boolean[] reported = new boolean[nodes];
      while (true) {
        for (int i = 0; i < nodes; i++) {
          Process p = processes.get(i);
          if (!p.isAlive() && !reported[i]) {
            reported[i] = true;
            System.out.printf("Node %d exited with code %d; see %s%n", i + 1, p.exitValue(),
                baseDir.resolve("node-" + (i + 1) + ".log"));
          }
        }
        Thread.sleep(500);
      }
    }

    private int port(int node) {
      return basePort + 2 * (node - 1);
    }

    private int raftPort(int node) {
      return port(node) + 1;
    }

    private static void awaitUp(int id, Process p, Path log) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (Files.exists(log) && Files.readString(log).contains("is up")) {
          return;
        }
        if (!p.isAlive()) {
          throw Errors.UNKNOWN_SERVER_ERROR.exception("Node " + id + " exited with code "
              + p.exitValue() + " during start-up: " + lastLine(log));
        }
        Thread.sleep(100);
      }
      throw Errors.REQUEST_TIMED_OUT.exception("Node " + id + " did not start within 60 s; see "
          + log);
    }

    private static String lastLine(Path log) throws IOException {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith("Error:")) {
          return lines.get(i);
        }
      }
      return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1) + " (see " + log + ")";
    }

    private static void stop(List<Process> processes) {
      System.out.println("Stopping " + processes.size() + " node(s)");
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        try {
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static String javaBinary() {
      return ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String ownJar() throws URISyntaxException {
      Path jar = Path.of(PyralogCli.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      if (!Files.isRegularFile(jar)) {
        throw Errors.INVALID_CONFIG.exception("cluster start runs from the packaged jar (bin/"
            + "pyralog); this CLI runs from " + jar);
      }
      return jar.toString();
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the nodes, the leader, term and replication lag of every replica set, "
          + "and the replica set of every partition.")
  static final class Status implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      try (PyralogClient c = client.connect()) {
        PyralogAdmin admin = c.admin();
        ClusterInfo info = admin.clusterInfo();
        Map<Integer, NodeStatus> statuses = new TreeMap<>();
        Map<Integer, String> errors = new TreeMap<>();
        System.out.println("NODES");
        System.out.printf("%-4s %-22s %s%n", "ID", "ADDRESS", "STATUS");
        for (NodeInfo n : info.nodes()) {
          String address = n.port() < 0 ? null : n.host() + ":" + n.port();
          String state;
          if (address == null) {
            state = "not registered yet";
          } else {
            try {
              statuses.put(n.id(), admin.nodeStatus(address));
              state = "up";
            } catch (ApiException e) {
              errors.put(n.id(), e.getMessage());
              state = "down";
            }
          }
          System.out.printf("%-4d %-22s %s%n", n.id(), address == null ? "-" : address, state);
        }
        printGroups(statuses);
        printPartitions(admin.listTopics());
        return statuses.size() == info.nodes().size() ? 0 : 2;
      }
    }

    private static void printGroups(Map<Integer, NodeStatus> statuses) {
      // Every member reports the groups it belongs to; the leader's report has the commits.
      Map<String, Map<Integer, GroupStatus>> byGroup = new TreeMap<>(ClusterCommand::byName);
      statuses.forEach((id, s) -> s.groups().forEach(
          g -> byGroup.computeIfAbsent(g.name(), k -> new TreeMap<>()).put(id, g)));
      System.out.println();
      System.out.println("REPLICA SETS");
      System.out.printf("%-9s %-3s %-8s %-7s %-6s %-7s %-9s %-12s %-12s %s%n", "SET", "RF",
          "MEMBERS", "LEADER", "TERM", "MEMBER", "ROLE", "COMMIT", "APPLIED", "LAG");
      byGroup.forEach((name, views) -> {
        GroupStatus any = views.values().iterator().next();
        int leader = -1;
        long term = -1;
        for (Map.Entry<Integer, GroupStatus> e : views.entrySet()) {
          if (e.getValue().role().equals("LEADER") && e.getValue().term() > term) {
            leader = e.getKey();
            term = e.getValue().term();
          }
        }
        GroupStatus leaderView = leader < 0 ? null : views.get(leader);
        boolean first = true;
        for (int member : any.members()) {
          GroupStatus g = views.get(member);
          String lag;
          if (g == null) {
            lag = "down";
          } else if (leaderView == null) {
            lag = "no leader";
          } else {
            lag = Long.toString(Math.max(0, leaderView.commitIndex() - g.commitIndex()));
          }
          System.out.printf("%-9s %-3s %-8s %-7s %-6s %-7d %-9s %-12s %-12s %s%n",
              first ? name : "", first ? Integer.toString(any.replicationFactor()) : "",
              first ? join(any.members()) : "", first ? (leader < 0 ? "none" : leader) : "",
              first ? (term < 0 ? "-" : Long.toString(term)) : "", member,
              g == null ? "-" : g.role(), g == null ? "-" : Long.toString(g.commitIndex()),
              g == null ? "-" : Long.toString(g.appliedIndex()), lag);
          first = false;
        }
      });
    }

    private static void printPartitions(List<TopicInfo> topics) {
      System.out.println();
      System.out.println("PARTITIONS");
      System.out.printf("%-24s %-10s %-3s %-12s %s%n", "TOPIC", "PARTITION", "RF", "REPLICA SET",
          "LEADER");
      for (TopicInfo t : topics) {
        for (PartitionInfo p : t.partitionInfo()) {
          System.out.printf("%-24s %-10d %-3d %-12s %s%n", t.name(), p.partition(),
              t.replicationFactor(), p.replicaSet(), p.leader() < 0 ? "none" : p.leader());
        }
      }
    }
  }

  private static int byName(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals("metadata") || b.equals("metadata")) {
      return a.equals("metadata") ? -1 : 1;
    }
    return Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3)));
  }

  private static String join(List<Integer> ids) {
    StringJoiner j = new StringJoiner(",");
    ids.forEach(i -> j.add(Integer.toString(i)));
    return j.toString();
  }
}
