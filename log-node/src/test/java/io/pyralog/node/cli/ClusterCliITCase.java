package io.pyralog.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.node.testing.NodeProcess;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code pyralog cluster start} launches real node processes as one cluster; {@code pyralog
 * cluster status} reports them; stopping the launcher stops every node.
 */
class ClusterCliITCase {

  @Test
  void clusterStartStatusAndStop() throws Exception {
    Path base = Files.createTempDirectory("pyralog-cluster-cli-");
    int basePort = freeRange(6);
    Path out = base.resolve("launcher.out");
    Process launcher = new ProcessBuilder(NodeProcess.cli("cluster", "start", "--nodes", "3",
        "--base-dir", base.toString(), "--base-port", Integer.toString(basePort)))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      Awaitility.await("the launcher reports the cluster up").atMost(Duration
          .ofSeconds(90)).until(() -> Files.readString(out).contains("is up. Bootstrap:")
              || !launcher.isAlive());
      String printed = Files.readString(out);
      assertThat(launcher.isAlive()).as(printed).isTrue();
      String bootstrap = "127.0.0.1:" + basePort + ",127.0.0.1:" + (basePort + 2) + ",127.0.0.1:"
          + (basePort + 4);
      assertThat(printed).contains("Bootstrap: " + bootstrap);

      Result created = run("topic", "create", "t3", "--partitions", "3",
          "--replication-factor", "3", "--bootstrap", bootstrap);
      assertThat(created.exitCode()).as(created.output()).isZero();

      // Every node registers, and every replica set of factor 3 gets a leader.
      Result[] status = new Result[1];
      Awaitility.await("status shows three nodes up and leaders").atMost(
          Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> {
            status[0] = run("cluster", "status", "--bootstrap", bootstrap);
            return status[0].exitCode() == 0 && !status[0].output().contains(" none");
          });
      String s = status[0].output();
      assertThat(s).contains("NODES", "REPLICA SETS", "PARTITIONS");
      assertThat(s.lines().filter(l -> l.matches("^[123] +127\\.0\\.0\\.1:\\d+ +up$")).count())
          .as(s).isEqualTo(3);
      assertThat(s).containsPattern("(?m)^metadata +3 +1,2,3 +[123] ");
      assertThat(s).containsPattern("(?m)^t3 +0 +3 +rs-\\d+ +[123]$");
    } finally {
      launcher.destroy();
      assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    // The launcher stopped its nodes on the way out: their ports are free again.
    for (int i = 0; i < 3; i++) {
      int port = basePort + 2 * i;
      Awaitility.await("port " + port + " released").atMost(Duration.ofSeconds(30))
          .until(() -> isFree(port));
    }
    String logs = Files.readString(base.resolve("node-1.log"), StandardCharsets.UTF_8);
    assertThat(logs).contains("Pyralog node 1 stopped");
    PyralogClusterExtension.deleteRecursively(base);
  }

  record Result(int exitCode, String output) {}

  static Result run(String... args) throws Exception {
    Process p = new ProcessBuilder(NodeProcess.cli(args)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }

  /** The first port of {@code count} consecutive free ports. */
  static int freeRange(int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = PyralogClusterExtension.freePort();
      if (first + count >= 65535) {
        continue;
      }
      boolean all = true;
      for (int p = first; p < first + count && all; p++) {
        all = isFree(p);
      }
      if (all) {
        return first;
      }
    }
    throw new IllegalStateException("no range of " + count + " free ports");
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
