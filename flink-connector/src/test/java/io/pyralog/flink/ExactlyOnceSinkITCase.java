package io.pyralog.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.PyralogClient;
import io.pyralog.common.protocol.Actions.TransactionInfo;
import io.pyralog.flink.sink.PyralogRecordSerializationSchema;
import io.pyralog.flink.sink.PyralogSink;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.PyralogSource;
import io.pyralog.node.testing.PyralogClusterExtension;
import io.pyralog.node.testing.TopicReader;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once delivery through failures. A job reads a bounded input topic, maps it, and writes
 * it with {@code EXACTLY_ONCE}, while three failures hit it: an exception mid-stream, a failure
 * after a checkpoint was taken but before it was committed, and a failure when a checkpoint
 * completes. A {@code read_committed} read of the output must equal the input, record for
 * record. The same job and failures with {@code AT_LEAST_ONCE} write duplicates, which shows that
 * the comparison can fail.
 */
class ExactlyOnceSinkITCase {
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceSinkITCase.class);

  @RegisterExtension
  static final PyralogClusterExtension NODE = PyralogClusterExtension.builder().build();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestFlink.miniCluster();

  private static final int RECORDS = 20_000;
  private static final int PARTITIONS = 4;

  @Test
  void exactlyOnceWritesEveryRecordOnceThroughFailuresAndAtLeastOnceDuplicates()
      throws Exception {
    TestTopics.create(NODE.bootstrap(), "eo-in", PARTITIONS);
    List<String> input = TestTopics.write(NODE.bootstrap(), "eo-in", "r-", 0, RECORDS);

    TestTopics.create(NODE.bootstrap(), "eo-out", PARTITIONS);
    run(DeliveryGuarantee.EXACTLY_ONCE, "eo-out");
    assertThat(FailureInjector.failures()).as("failures injected").isEqualTo(3);
    assertThat(FailureInjector.failedBeforeCommit.get())
        .as("one failure came after a checkpoint and before its commit").isPositive();
    assertThat(FailureInjector.restoredFrom)
        .as("the job was restored from that checkpoint, whose transactions were committed "
            + "only after the restore").contains(FailureInjector.failedBeforeCommit.get());
    List<String> committed = read("eo-out", "read_committed");
    assertThat(committed).containsExactlyInAnyOrderElementsOf(input);
    List<String> uncommitted = read("eo-out", "read_uncommitted");
    LOG.info("Exactly-once: {} records committed, {} stored (the rest are aborted duplicates)",
        committed.size(), uncommitted.size());
    try (PyralogClient client = PyralogClient.create(NODE.bootstrap())) {
      List<TransactionInfo> open = client.admin().listTransactions("eo-job-", true);
      assertThat(open).as("no transaction is left open").isEmpty();
    }

    TestTopics.create(NODE.bootstrap(), "alo-out", PARTITIONS);
    run(DeliveryGuarantee.AT_LEAST_ONCE, "alo-out");
    assertThat(FailureInjector.failures()).isEqualTo(3);
    List<String> atLeastOnce = read("alo-out", "read_committed");
    LOG.info("At-least-once: {} records for {} inputs", atLeastOnce.size(), input.size());
    assertThat(new HashSet<>(atLeastOnce)).isEqualTo(new HashSet<>(input));
    assertThat(atLeastOnce).as("at-least-once wrote duplicates").hasSizeGreaterThan(RECORDS);
  }

  private static void run(DeliveryGuarantee guarantee, String output) throws Exception {
    FailureInjector.reset();
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
    env.setParallelism(2);
    env.enableCheckpointing(200);
    PyralogSource<String> source = PyralogSource.<String>builder()
        .setBootstrap(NODE.bootstrap())
        .setTopics("eo-in")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "eo-in")
        .map(new FailureInjector())
        .sinkTo(PyralogSink.<String>builder()
            .setBootstrap(NODE.bootstrap())
            .setDeliveryGuarantee(guarantee)
            .setTransactionalIdPrefix("eo-job-" + output)
            .setRecordSerializer(PyralogRecordSerializationSchema.<String>builder()
                .setTopic(output)
                .setValueSerializationSchema(new SimpleStringSchema())
                .build())
            .build());
    env.execute("exactly-once-" + output);
  }

  /** Every value of the topic, read from the start up to the end offsets of its isolation. */
  private static List<String> read(String topic, String isolation) {
    return TopicReader.readAllStored(NODE.bootstrap(), topic, PARTITIONS, isolation).stream()
        .map(TopicReader.Stored::value).toList();
  }

  /**
   * Passes records through, slowly enough for many checkpoints, and fails three times in all:
   * once after {@value #FIRST} records; once between a checkpoint and its commit, after
   * {@value #SECOND} records; and once when a checkpoint completes, after {@value #THIRD}
   * records. Counts are across subtasks and attempts (one JVM).
   *
   * <p>The second failure: on the first record after this subtask took a checkpoint, it holds
   * the task thread for a second, long enough for the checkpoint to complete on the job
   * manager, whose notification then waits in this task's mailbox; the sink's committer, in the
   * same task, has therefore not committed the checkpoint's transaction when the task fails. The
   * job is restored from that checkpoint and must commit the transaction then.
   */
  static final class FailureInjector extends RichMapFunction<String, String>
      implements CheckpointedFunction, CheckpointListener {
    static final int FIRST = 3_000;
    static final int SECOND = 8_000;
    static final int THIRD = 14_000;
    static final AtomicInteger processed = new AtomicInteger();
    static final AtomicBoolean first = new AtomicBoolean();
    static final AtomicBoolean second = new AtomicBoolean();
    static final AtomicBoolean third = new AtomicBoolean();
    static final AtomicLong failedBeforeCommit = new AtomicLong();
    static final java.util.Set<Long> restoredFrom =
        java.util.concurrent.ConcurrentHashMap.newKeySet();

    private long pendingCheckpoint = -1;

    static void reset() {
      processed.set(0);
      first.set(false);
      second.set(false);
      third.set(false);
      failedBeforeCommit.set(0);
      restoredFrom.clear();
    }

    static int failures() {
      return (first.get() ? 1 : 0) + (second.get() ? 1 : 0) + (third.get() ? 1 : 0);
    }

    @Override
    public String map(String value) throws Exception {
      int n = processed.incrementAndGet();
      if (n % 10 == 0) {
        Thread.sleep(1);
      }
      if (n >= FIRST && first.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure 1: mid-stream at record " + n);
      }
      if (n >= SECOND && pendingCheckpoint > 0 && second.compareAndSet(false, true)) {
        Thread.sleep(1000);
        failedBeforeCommit.set(pendingCheckpoint);
        throw new IllegalStateException("Injected failure 2: checkpoint " + pendingCheckpoint
            + " was taken and is not committed yet");
      }
      return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      pendingCheckpoint = context.getCheckpointId();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
      pendingCheckpoint = -1;
      context.getRestoredCheckpointId().ifPresent(restoredFrom::add);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (checkpointId >= pendingCheckpoint) {
        pendingCheckpoint = -1;
      }
      if (processed.get() >= THIRD && third.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure 3: as checkpoint " + checkpointId
            + " completes");
      }
    }
  }
}
