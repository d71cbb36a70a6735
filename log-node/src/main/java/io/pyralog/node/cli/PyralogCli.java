package io.pyralog.node.cli;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.errors.PyralogException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/pyralog}. */
@Command(
    name = "pyralog",
    mixinStandardHelpOptions = true,
    versionProvider = PyralogCli.Version.class,
    description = "Pyralog: an Arrow-native replicated log.",
    subcommands = {
      NodeCommand.class,
      ClusterCommand.class,
      TopicCommand.class,
      ProduceCommand.class,
      ConsumeCommand.class,
      TransactionsCommand.class,
      PerfCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class PyralogCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  public static void main(String[] args) {
    boolean verbose = false;
    for (String a : args) {
      verbose |= a.equals("--verbose") || a.equals("-v");
    }
    boolean node = args.length >= 1 && args[0].equals("node");
    boolean cluster = args.length >= 2 && args[0].equals("cluster") && args[1].equals("start");
    if (System.getProperty("pyralog.log.level") == null) {
      System.setProperty("pyralog.log.level", verbose ? "DEBUG" : node || cluster ? "INFO" : "WARN");
    }
    int code;
    try {
      code = execute(args);
    } catch (Throwable t) {
      // an Error that escaped a command, e.g. a native library that cannot be loaded: one line
      // and a non-zero exit, instead of a stack trace and a JVM left running
      System.err.println("Error: " + describe(t));
      code = 1;
    }
    System.exit(code);
  }

  /** Runs the CLI and returns its exit code, without exiting. */
  public static int execute(String... args) {
    boolean verbose = false;
    for (String a : args) {
      verbose |= a.equals("--verbose") || a.equals("-v");
    }
    boolean showTrace = verbose;
    CommandLine cli = new CommandLine(new PyralogCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      err.println("Error: " + describe(e));
      if (showTrace) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cli.execute(args);
  }

  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiException api) {
      String m = api.getMessage();
      boolean unreachable = (api.error() == Errors.UNAVAILABLE
          || api.error() == Errors.REQUEST_TIMED_OUT) && m != null && m.contains("io exception");
      if (unreachable) {
        return "Cannot reach a Pyralog node: " + m + ". Is a node running there? Start one with "
            + "'pyralog node start', or pass --bootstrap HOST:PORT";
      }
      return m;
    }
    if (t instanceof PyralogException) {
      return t.getMessage();
    }
    String m = t.getMessage();
    return (m == null || m.isBlank()) ? t.getClass().getSimpleName() : m.split("\n")[0];
  }

  /** Prints the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PyralogCli.class.getPackage().getImplementationVersion();
      return new String[] {"pyralog " + (v == null ? "development build" : v)};
    }
  }
}
