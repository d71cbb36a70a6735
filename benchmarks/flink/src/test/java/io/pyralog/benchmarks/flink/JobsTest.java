package io.pyralog.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class JobsTest {
  @Test
  void theNarrowQuerySelectsTwoColumnsAndTheWideOneAll() {
    assertThat(ProjectionJob.insert(Result.TWO_OF_20, "wide"))
        .isEqualTo("INSERT INTO sink_2 SELECT id, c13 FROM wide");
    assertThat(ProjectionJob.insert(Result.ALL_20, "wide"))
        .isEqualTo("INSERT INTO sink_20 SELECT * FROM wide");
    assertThatThrownBy(() -> ProjectionJob.insert("3-of-20", "wide"))
        .hasMessageContaining("3-of-20");
  }

  @Test
  void thePyralogTableHasNoFormatAndTheKafkaTableReadsJson() {
    String pyralog = ProjectionJob.sourceDdl(Result.PYRALOG, "127.0.0.1:1", "t", "wide");
    assertThat(pyralog).contains("'connector' = 'pyralog'", "'bootstrap' = '127.0.0.1:1'",
        "'topic' = 'wide'", "'scan.bounded.mode' = 'latest-offset'",
        "'scan.startup.mode' = 'earliest-offset'", "id BIGINT NOT NULL", "c19 STRING");
    assertThat(pyralog).doesNotContain("format");
    String kafka = ProjectionJob.sourceDdl(Result.KAFKA, "127.0.0.1:2", "t", "wide");
    assertThat(kafka).contains("'connector' = 'kafka'",
        "'properties.bootstrap.servers' = '127.0.0.1:2'", "'format' = 'json'",
        "'scan.bounded.mode' = 'latest-offset'", "'scan.startup.mode' = 'earliest-offset'");
  }

  @Test
  void sinkRecordsAreAHundredBytesAndDiffer() {
    assertThat(SinkJob.record(1)).hasSize(100).endsWith("x1");
    assertThat(SinkJob.record(5_000_000)).hasSize(100).endsWith("x5000000");
    assertThat(SinkJob.record(Long.MAX_VALUE)).hasSize(100);
    assertThat(SinkJob.record(7)).isNotEqualTo(SinkJob.record(8));
  }

  @Test
  void guaranteesByName() {
    assertThat(SinkJob.guarantee("exactly-once")).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(SinkJob.guarantee("at-least-once")).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThatThrownBy(() -> SinkJob.guarantee("none")).hasMessageContaining("none");
  }

  @Test
  void optionsAreKeyValuePairs() {
    Map<String, String> opts = FlinkBench.options(
        new String[] {"sink", "--system", "kafka", "--records", "300000"});
    assertThat(opts).containsEntry("--system", "kafka").containsEntry("--records", "300000");
    assertThat(FlinkBench.longOpt(opts, "--records", -1)).isEqualTo(300_000L);
    assertThat(FlinkBench.longOpt(opts, "--partitions", 4)).isEqualTo(4L);
    assertThatThrownBy(() -> FlinkBench.options(new String[] {"sink", "--system"}))
        .hasMessageContaining("--system");
    assertThatThrownBy(() -> FlinkBench.longOpt(opts, "--system", 1))
        .hasMessageContaining("--system");
  }
}
