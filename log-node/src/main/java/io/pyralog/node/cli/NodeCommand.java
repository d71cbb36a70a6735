package io.pyralog.node.cli;

import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.common.errors.Errors;
import io.pyralog.node.server.NodeConfig;
import io.pyralog.node.server.PyralogNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyralog node start}. */
@Command(name = "node", description = "Run a log node.", mixinStandardHelpOptions = true,
    subcommands = NodeCommand.Start.class)
final class NodeCommand {

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start a node in the foreground; Ctrl-C stops it cleanly.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Data directory (default: ~/.pyralog/data).")
    Path dataDir;

    @Option(names = "--port", description = "Arrow Flight port for clients (default: 7070).")
    Integer port;

    @Option(names = "--raft-port", description = "Ratis port between nodes (default: port + 1).")
    Integer raftPort;

    @Option(names = "--host", description = "Address to bind and advertise (default: 127.0.0.1).")
    String host;

    @Option(names = "--node-id", description = "Id of this node (default: 1).")
    Integer nodeId;

    @Option(names = "--peers", paramLabel = "ID@HOST:RAFT_PORT,...",
        description = "Every member of a static cluster, this node included, the same list on "
            + "each node, e.g. 1@10.0.0.1:7071,2@10.0.0.2:7071,3@10.0.0.3:7071. Without it the "
            + "node is a cluster of one.")
    String peers;

    @Option(names = "--config", paramLabel = "FILE",
        description = "A properties file of node options (see docs/configuration.md).")
    Path configFile;

    @Option(names = {"-X", "--property"}, paramLabel = "KEY=VALUE",
        description = "A node option, e.g. -X segment.bytes=67108864.")
    Map<String, String> properties = new HashMap<>();

    @Option(names = {"-v", "--verbose"}, description = "Debug logging and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
      Map<String, String> props = new HashMap<>();
      if (configFile != null) {
        if (!Files.isRegularFile(configFile)) {
          throw Errors.INVALID_CONFIG.exception("Config file " + configFile + " does not exist");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(configFile)) {
          p.load(r);
        } catch (IOException e) {
          throw Errors.INVALID_CONFIG.exception("Cannot read config file " + configFile + ": "
              + e.getMessage());
        }
        p.forEach((k, v) -> props.put(k.toString(), v.toString()));
      }
      props.putAll(properties);
      putIf(props, PyralogConfigOptions.DATA_DIR.key(), dataDir);
      putIf(props, PyralogConfigOptions.PORT.key(), port);
      putIf(props, PyralogConfigOptions.RAFT_PORT.key(), raftPort);
      putIf(props, PyralogConfigOptions.HOST.key(), host);
      putIf(props, PyralogConfigOptions.NODE_ID.key(), nodeId);
      putIf(props, PyralogConfigOptions.PEERS.key(), peers);
      for (String key : props.keySet()) {
        if (PyralogConfigOptions.all().stream().noneMatch(o -> o.key().equals(key))) {
          throw Errors.INVALID_CONFIG.exception("Unknown node option '" + key
              + "'; see docs/configuration.md for the list");
        }
      }
      NodeConfig config = NodeConfig.fromMap(props);
      PyralogNode node = new PyralogNode(config);
      Thread hook = new Thread(node::close, "pyralog-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      node.start();
      System.out.println("Pyralog node " + config.nodeId() + " is up. Clients connect to "
          + config.advertisedAddress() + "; data is in " + config.dataDir()
          + ". Press Ctrl-C to stop.");
      System.out.flush();
      node.awaitTermination();
      return 0;
    }

    private static void putIf(Map<String, String> props, String key, Object value) {
      if (value != null) {
        props.put(key, value.toString());
      }
    }
  }
}
