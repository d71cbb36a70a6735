package io.pyralog.node.cli;

import io.pyralog.common.errors.Errors;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pyralog demo}: runs the Flink SQL demo of the examples module. It needs Flink on the
 * class path, which {@code bin/pyralog demo} provides; the node jar alone does not have it.
 */
@Command(name = "demo", description = "Write click events, run a Flink SQL job that counts page "
    + "views per 10-second window, and print its results; uses the node at HOST:PORT, or starts "
    + "one in this process when none answers. Run it as: ./bin/pyralog demo")
final class DemoCommand implements Callable<Integer> {
  static final String MAIN = "io.pyralog.examples.PyralogDemo";

  @Parameters(arity = "0..1", paramLabel = "HOST:PORT",
      description = "A node to use (default: $PYRALOG_BOOTSTRAP or 127.0.0.1:7070).")
  String bootstrap;

  @Override
  public Integer call() throws Exception {
    Class<?> demo;
    try {
      demo = Class.forName(MAIN);
    } catch (ClassNotFoundException e) {
      throw Errors.INVALID_CONFIG.exception("The demo needs Flink, which this jar does not "
          + "bundle; run it with ./bin/pyralog demo, which builds it and sets its class path");
    }
    String address = bootstrap != null ? bootstrap
        : System.getenv().getOrDefault("PYRALOG_BOOTSTRAP", "127.0.0.1:7070");
    Method run = demo.getMethod("run", String.class, java.io.PrintStream.class);
    try {
      return (Integer) run.invoke(null, address, System.out);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
