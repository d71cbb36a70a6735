package io.pyralog.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real node process started from the packaged jar, as {@code bin/pyralog node start} would,
 * so tests can {@code kill -9} it in the middle of traffic.
 */
public final class NodeProcess implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final int raftPort;
  private final List<String> extraArgs;
  private Process process;
  private final StringBuffer output = new StringBuffer();

  public NodeProcess(Path dataDir, int port, int raftPort, List<String> extraArgs) {
    this.dataDir = dataDir;
    this.port = port;
    this.raftPort = raftPort;
    this.extraArgs = extraArgs;
  }

  public static Path jar() {
    String jar = System.getProperty("pyralog.node.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("pyralog.node.jar is not set or missing (" + jar
          + "); run the integration tests through Maven's verify phase");
    }
    return Path.of(jar);
  }

  /**
   * The java command line that runs the CLI from the packaged jar. It has no add-opens flag: the
   * jar's manifest opens java.nio to Arrow, and every test run through here checks that it does.
   */
  public static List<String> cli(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseG1GC"));
    // -Dpyralog.ratis.log.level=INFO on the test JVM shows Ratis's own log in the nodes' output
    String ratisLevel = System.getProperty("pyralog.ratis.log.level");
    if (ratisLevel != null) {
      cmd.add("-Dpyralog.ratis.log.level=" + ratisLevel);
    }
    cmd.addAll(List.of("-jar", jar().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts the node and waits until it serves clients. */
  public NodeProcess start() throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("node", "start", "--data-dir", dataDir.toString(),
        "--port", Integer.toString(port), "--raft-port", Integer.toString(raftPort)));
    args.addAll(extraArgs);
    process = new ProcessBuilder(cli(args.toArray(new String[0]))).redirectErrorStream(true)
        .start();
    CountDownLatch up = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
          if (line.contains("is up")) {
            up.countDown();
          }
        }
      } catch (IOException ignored) {
        // the process died; its output so far is kept
      }
    }, "node-output-" + port);
    reader.setDaemon(true);
    reader.start();
    if (!up.await(60, TimeUnit.SECONDS)) {
      // nobody holds this process yet: stop it here, or it outlives the test
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
      throw new IllegalStateException("Node did not come up within 60 s. Output:\n" + output);
    }
    return this;
  }

  public long pid() {
    return process.pid();
  }

  /** {@code kill -9}: no shutdown hook, no flush, no checkpoint. */
  public void killHard() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -9 " + process.pid() + " failed");
    }
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public String output() {
    return output.toString();
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
