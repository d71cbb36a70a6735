package io.pyralog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.node.testing.PyralogClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pyralog demo}: the Flink SQL job counts every click, with or without a running node. */
class PyralogDemoITCase {
  @RegisterExtension
  static final PyralogClusterExtension NODE = PyralogClusterExtension.builder().build();

  private static final Pattern ROW = Pattern.compile(
      "\\{\"window_start\":\"2026-01-01 12:00:(\\d0)(?:\\.000)?\",\"window_end\":\"[^\"]+\","
          + "\"page\":\"(/[a-z]+)\",\"view_count\":(\\d+)\\}");

  private static String runDemo(String bootstrap) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exit = PyralogDemo.run(bootstrap, out);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    return output;
  }

  private static void assertCountsEveryClick(String output) {
    long sum = 0;
    int rows = 0;
    Matcher m = ROW.matcher(output);
    while (m.find()) {
      assertThat(List.of(PyralogDemo.PAGES)).contains(m.group(2));
      sum += Long.parseLong(m.group(3));
      rows++;
    }
    // 3000 clicks, one every 20 ms: one minute, six windows, five pages
    assertThat(sum).as(output).isEqualTo(PyralogDemo.CLICKS);
    assertThat(rows).isEqualTo(6 * PyralogDemo.PAGES.length);
    assertThat(output).contains("Done: 3000 clicks counted");
  }

  @Test
  void withARunningNodeItUsesThatNode() throws Exception {
    String output = runDemo(NODE.bootstrap());
    assertThat(output).contains("Using the node at " + NODE.bootstrap());
    assertCountsEveryClick(output);
  }

  @Test
  void withoutANodeItStartsOneInItsOwnProcessAndRemovesItAfterwards() throws Exception {
    String output = runDemo("127.0.0.1:" + PyralogClusterExtension.freePort());
    assertThat(output).contains("starting one in this process")
        .contains("Stopped the demo node and deleted its data");
    assertCountsEveryClick(output);
  }
}
