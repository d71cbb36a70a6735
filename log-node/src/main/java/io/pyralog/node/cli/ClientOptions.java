package io.pyralog.node.cli;

import io.pyralog.client.PyralogClient;
import io.pyralog.common.config.PyralogConfigOptions;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every client command shares: where the cluster is, and how loud to be. */
final class ClientOptions {
  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "A node to connect to (default: $PYRALOG_BOOTSTRAP or 127.0.0.1:7070).")
  String bootstrap;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces and debug logs.")
  boolean verbose;

  @Option(names = {"-X", "--property"}, paramLabel = "KEY=VALUE",
      description = "A client option, e.g. -X linger.ms=10 (see docs/configuration.md).")
  Map<String, String> properties = new HashMap<>();

  String bootstrap() {
    if (bootstrap != null && !bootstrap.isBlank()) {
      return bootstrap;
    }
    String env = System.getenv("PYRALOG_BOOTSTRAP");
    return env != null && !env.isBlank() ? env : PyralogConfigOptions.BOOTSTRAP.defaultValue();
  }

  PyralogClient connect() {
    Map<String, String> config = new HashMap<>(properties);
    config.put(PyralogConfigOptions.BOOTSTRAP.key(), bootstrap());
    // A person is waiting: give up on an unreachable node sooner than a long-running client.
    config.putIfAbsent(PyralogConfigOptions.REQUEST_TIMEOUT_MS.key(), "10000");
    return PyralogClient.create(config);
  }
}
