package io.pyralog.node.testing;

import io.pyralog.node.server.NodeConfig;
import io.pyralog.node.server.PyralogNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real Pyralog node in this JVM on free loopback ports with its own data directory,
 * for the duration of a test class. Use with {@code @RegisterExtension static}.
 */
public final class PyralogClusterExtension implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> overrides;
  private Path dataDir;
  private PyralogNode node;
  private int port;
  private int raftPort;

  private PyralogClusterExtension(Map<String, String> overrides) {
    this.overrides = overrides;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of the extension; {@link #option} sets any node option. */
  public static final class Builder {
    private final Map<String, String> overrides = new HashMap<>();

    public Builder option(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    public PyralogClusterExtension build() {
      return new PyralogClusterExtension(overrides);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("pyralog-test-");
    int[] free = freePorts(2);
    port = free[0];
    raftPort = free[1];
    start();
  }

  private void start() {
    Map<String, String> props = new HashMap<>(overrides);
    props.put("data.dir", dataDir.toString());
    props.put("port", Integer.toString(port));
    props.putIfAbsent("raft.port", Integer.toString(raftPort));
    node = new PyralogNode(NodeConfig.fromMap(props)).start();
  }

  /** Stops the node cleanly and starts it again on the same ports and data. */
  public void restart() {
    node.close();
    start();
  }

  public PyralogNode node() {
    return node;
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (node != null) {
      node.close();
    }
    deleteRecursively(dataDir);
  }

  /**
   * {@code n} distinct free ports. Each is held open until all are picked: picking them one at a
   * time can return the same port twice, and two nodes were once given the same Raft port.
   */
  public static int[] freePorts(int n) {
    java.util.List<ServerSocket> held = new java.util.ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
