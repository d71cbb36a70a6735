package io.pyralog.benchmarks.flink;

import java.io.PrintStream;
import java.util.Arrays;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The projection workload of one system: Flink SQL reads a topic of {@link WideRows} from its
 * earliest to its latest offsets (bounded) and writes the selected columns to a sink that drops
 * them. Each query is its own Flink job on a local MiniCluster in this JVM.
 *
 * <p>The Pyralog table has no format (a typed topic): the connector pushes the projection down,
 * so the node sends only the selected Arrow columns. The Kafka table reads JSON records.
 */
final class ProjectionJob {
  /** The two columns of the narrow query: the key and a string column. */
  static final int[] TWO_COLUMNS = {0, 13};

  private final String system;
  private final String bootstrap;
  private final int parallelism;
  private final PrintStream out;
  private final StreamTableEnvironment tables;

  ProjectionJob(String system, String bootstrap, int parallelism, PrintStream out) {
    if (!system.equals(Result.PYRALOG) && !system.equals(Result.KAFKA)) {
      throw new IllegalArgumentException("Unknown system " + system
          + "; expected pyralog or kafka");
    }
    this.system = system;
    this.bootstrap = bootstrap;
    this.parallelism = parallelism;
    this.out = out;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    this.tables = StreamTableEnvironment.create(env);
    tables.executeSql("CREATE TABLE sink_2 (" + WideRows.ddlColumns(TWO_COLUMNS)
        + ") WITH ('connector' = '" + CountingBlackholeTableFactory.IDENTIFIER + "')");
    tables.executeSql("CREATE TABLE sink_20 (" + WideRows.ddlColumns(WideRows.allColumns())
        + ") WITH ('connector' = '" + CountingBlackholeTableFactory.IDENTIFIER + "')");
  }

  /** The source table's DDL for {@code topic}, named {@code table}. */
  static String sourceDdl(String system, String bootstrap, String table, String topic) {
    String columns = WideRows.ddlColumns(WideRows.allColumns());
    String bounds = "'scan.startup.mode' = 'earliest-offset', "
        + "'scan.bounded.mode' = 'latest-offset'";
    if (system.equals(Result.PYRALOG)) {
      return "CREATE TABLE " + table + " (" + columns + ") WITH ('connector' = 'pyralog', "
          + "'bootstrap' = '" + bootstrap + "', 'topic' = '" + topic + "', " + bounds + ")";
    }
    return "CREATE TABLE " + table + " (" + columns + ") WITH ('connector' = 'kafka', "
        + "'properties.bootstrap.servers' = '" + bootstrap + "', 'topic' = '" + topic + "', "
        + "'properties.group.id' = 'flink-bench', 'format' = 'json', " + bounds + ")";
  }

  /** The INSERT of a variant: {@code 2-of-20} or {@code 20-of-20}. */
  static String insert(String variant, String table) {
    return switch (variant) {
      case Result.TWO_OF_20 -> "INSERT INTO sink_2 SELECT "
          + String.join(", ", Arrays.stream(TWO_COLUMNS).mapToObj(c -> WideRows.names().get(c))
              .toList()) + " FROM " + table;
      case Result.ALL_20 -> "INSERT INTO sink_20 SELECT * FROM " + table;
      default -> throw new IllegalArgumentException("Unknown projection " + variant
          + "; expected " + Result.TWO_OF_20 + " or " + Result.ALL_20);
    };
  }

  /** Registers {@code topic} as table {@code table}. */
  void register(String table, String topic) {
    tables.executeSql(sourceDdl(system, bootstrap, table, topic));
  }

  /** Prints the source scan of the variant's plan: it shows which columns are fetched. */
  void explain(String variant, String table) {
    for (String line : tables.explainSql(insert(variant, table)).split("\n")) {
      if (line.contains("TableSourceScan")) {
        out.println("plan of " + variant + ": " + line.strip());
        return;
      }
    }
  }

  /**
   * Runs the variant's job over {@code table}, which holds {@code rows} rows, and checks that the
   * sink got every one of them.
   */
  Result run(String variant, String table, long rows, int rep) throws Exception {
    CountingBlackholeTableFactory.takeCount();
    long start = System.nanoTime();
    TableResult submitted = tables.executeSql(insert(variant, table));
    JobExecutionResult done = submitted.getJobClient().orElseThrow()
        .getJobExecutionResult().get();
    double wall = (System.nanoTime() - start) / 1e9;
    long read = CountingBlackholeTableFactory.takeCount();
    if (read != rows) {
      throw new IllegalStateException("The " + system + " job " + variant + " read " + read
          + " rows; the topic has " + rows);
    }
    return new Result(Result.PROJECTION, system, variant, rep, rows,
        done.getNetRuntime() / 1000.0, wall, 0);
  }

  int parallelism() {
    return parallelism;
  }
}
