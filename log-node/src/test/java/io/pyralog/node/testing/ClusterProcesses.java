package io.pyralog.node.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A static cluster of real node processes on loopback ports, each with its own data directory,
 * so tests can {@code kill -9} any of them in the middle of traffic and start it again.
 */
public final class ClusterProcesses implements AutoCloseable {
  private final Path baseDir;
  private final int[] ports;
  private final int[] raftPorts;
  private final String peers;
  private final List<String> extraArgs;
  private final NodeProcess[] nodes;
  /** The output of each node's earlier processes, before its restarts. */
  private final StringBuilder[] history;

  public ClusterProcesses(int size, List<String> extraArgs) throws IOException {
    this.baseDir = Files.createTempDirectory("pyralog-cluster-");
    this.ports = new int[size];
    this.raftPorts = new int[size];
    this.extraArgs = extraArgs;
    this.nodes = new NodeProcess[size];
    this.history = new StringBuilder[size];
    StringJoiner p = new StringJoiner(",");
    int[] free = PyralogClusterExtension.freePorts(2 * size);
    for (int i = 0; i < size; i++) {
      ports[i] = free[2 * i];
      raftPorts[i] = free[2 * i + 1];
      p.add((i + 1) + "@127.0.0.1:" + raftPorts[i]);
    }
    this.peers = p.toString();
  }

  /** Starts every node; each comes up without waiting for the others. */
  public ClusterProcesses start() throws IOException, InterruptedException {
    for (int id = 1; id <= nodes.length; id++) {
      start(id);
    }
    return this;
  }

  /** Starts node {@code id} (1-based) on its ports and data directory. */
  public NodeProcess start(int id) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--node-id", Integer.toString(id), "--peers",
        peers));
    args.addAll(extraArgs);
    if (history[id - 1] == null) {
      history[id - 1] = new StringBuilder();
    }
    if (nodes[id - 1] != null) {
      nodes[id - 1].close();
      history[id - 1].append(nodes[id - 1].output()).append("---- restarted ----\n");
    }
    nodes[id - 1] = new NodeProcess(dataDir(id), ports[id - 1], raftPorts[id - 1], args).start();
    return nodes[id - 1];
  }

  public NodeProcess node(int id) {
    return nodes[id - 1];
  }

  public Path dataDir(int id) {
    return baseDir.resolve("node-" + id);
  }

  /** {@code kill -9} of node {@code id}. */
  public void kill(int id) throws IOException, InterruptedException {
    nodes[id - 1].killHard();
  }

  /** Every node's client address, comma-separated: a bootstrap list that survives node loss. */
  public String bootstrap() {
    StringJoiner j = new StringJoiner(",");
    for (int port : ports) {
      j.add("127.0.0.1:" + port);
    }
    return j.toString();
  }

  /** The node id whose client address is {@code address}, or -1. */
  public int idOf(String address) {
    for (int i = 0; i < ports.length; i++) {
      if (address != null && address.endsWith(":" + ports[i])) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * Stops every node and keeps their output in {@code target/cluster-logs/<test>/node-N.log}, so
   * that a failure can be read after the run.
   */
  @Override
  public void close() throws Exception {
    Path logs = Path.of("target", "cluster-logs", baseDir.getFileName().toString());
    Files.createDirectories(logs);
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        nodes[i].close();
        Files.writeString(logs.resolve("node-" + (i + 1) + ".log"),
            history[i] + nodes[i].output());
      }
    }
    PyralogClusterExtension.deleteRecursively(baseDir);
  }
}
