package io.pyralog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.node.testing.PyralogClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quickstart example runs against a real node and reads back what it wrote. */
class ClientQuickstartITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder().build();

  @Test
  void readsBackEveryRecordItWrote() throws Exception {
    List<String> lines = ClientQuickstart.run(CLUSTER.bootstrap(), "orders");
    assertThat(lines).hasSize(10);
    for (int i = 0; i < 10; i++) {
      String expected = "customer-" + (i % 3) + " {\"order\": " + i + ", \"amount\": "
          + (10 * i) + "}";
      assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(expected));
    }
    // same key, same partition
    assertThat(lines.stream().filter(l -> l.contains("customer-0 "))
        .map(l -> l.substring(0, l.indexOf('/'))).distinct()).hasSize(1);
    // running it again appends ten more and reads all twenty
    assertThat(ClientQuickstart.run(CLUSTER.bootstrap(), "orders")).hasSize(20);
  }
}
