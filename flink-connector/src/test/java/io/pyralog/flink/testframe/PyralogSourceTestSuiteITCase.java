package io.pyralog.flink.testframe;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's own source test suite (single and multiple splits, savepoint, scale up and down,
 * metrics, idle readers, task manager failure) against a real node.
 */
class PyralogSourceTestSuiteITCase extends SourceTestSuiteBase<String> {
  private static final AtomicInteger CASES = new AtomicInteger();

  @TestEnv
  MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

  @TestExternalSystem
  PyralogExternalSystem node = new PyralogExternalSystem();

  @TestSemantics
  CheckpointingMode[] semantics = new CheckpointingMode[] {CheckpointingMode.EXACTLY_ONCE};

  @TestContext
  ExternalContextFactory<PyralogSourceExternalContext> contexts = testName ->
      new PyralogSourceExternalContext(node.bootstrap(), "suite-src-" + CASES.incrementAndGet());
}
