package io.pyralog.flink.testframe;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SinkTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's own sink test suite (basic, start from savepoint, scale up and down, metrics) against
 * a real node, at the sink's at-least-once and exactly-once guarantees; at exactly-once the
 * suite reads the topic with {@code read_committed} and expects every record exactly once.
 */
class PyralogSinkTestSuiteITCase extends SinkTestSuiteBase<String> {
  private static final AtomicInteger CASES = new AtomicInteger();

  @TestEnv
  MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

  @TestExternalSystem
  PyralogExternalSystem node = new PyralogExternalSystem();

  @TestSemantics
  CheckpointingMode[] semantics = new CheckpointingMode[] {CheckpointingMode.AT_LEAST_ONCE,
      CheckpointingMode.EXACTLY_ONCE};

  @TestContext
  ExternalContextFactory<PyralogSinkExternalContext> contexts = testName ->
      new PyralogSinkExternalContext(node.bootstrap(), "suite-sink-" + CASES.incrementAndGet());
}
