package io.pyralog.flink.testframe;

import io.pyralog.node.testing.PyralogClusterExtension;
import org.apache.flink.connector.testframe.TestResource;

/** A real Pyralog node on loopback ports, as the external system of Flink's test suites. */
public final class PyralogExternalSystem implements TestResource {
  private final PyralogClusterExtension node = PyralogClusterExtension.builder().build();

  @Override
  public void startUp() throws Exception {
    node.beforeAll(null); // the extension does not use its JUnit context
  }

  @Override
  public void tearDown() throws Exception {
    node.afterAll(null);
  }

  public String bootstrap() {
    return node.bootstrap();
  }
}
