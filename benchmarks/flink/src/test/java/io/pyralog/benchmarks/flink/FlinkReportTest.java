package io.pyralog.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyralog.benchmarks.flink.FlinkFigures.Comparison;
import io.pyralog.benchmarks.flink.FlinkFigures.Guarantees;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlinkReportTest {
  private static final List<Comparison> PROJECTIONS = List.of(
      new Comparison(FlinkFigures.PROJECTION_2, "rows/s", List.of(2_000_000.0, 1_800_000.0),
          List.of(400_000.0), 1_900_000.0, 400_000.0, 4.75, 380.0, 160.0),
      new Comparison(FlinkFigures.PROJECTION_20, "rows/s", List.of(), List.of(350_000.0),
          Double.NaN, 350_000.0, Double.NaN, Double.NaN, 140.0));
  private static final List<Guarantees> SINKS = List.of(
      new Guarantees(FlinkFigures.SINK_GUARANTEES, Result.PYRALOG, "records/s",
          List.of(150_000.0), List.of(250_000.0), 150_000.0, 250_000.0, 0.6),
      new Guarantees(FlinkFigures.SINK_GUARANTEES_KAFKA, Result.KAFKA, "records/s",
          List.of(500_000.0), List.of(1_000_000.0), 500_000.0, 1_000_000.0, 0.5));

  @Test
  void theConsoleTablesAlignNumbersToTheRight() {
    String table = FlinkReport.table(PROJECTIONS, SINKS);
    assertThat(table.split("\n")).containsExactly(
        "figure                            Pyralog    Kafka  ratio  unit",
        "flink-projection-2-of-20-cols   1,900,000  400,000   4.75  rows/s",
        "flink-projection-20-of-20-cols        n/a  350,000    n/a  rows/s",
        "",
        "figure                                          exactly-once  at-least-once  ratio  unit",
        "flink-sink-exactly-once-vs-at-least-once             150,000        250,000   0.60  "
            + "records/s",
        "flink-sink-exactly-once-vs-at-least-once-kafka       500,000      1,000,000   0.50  "
            + "records/s");
  }

  @Test
  void theJsonHasBothKindsOfEntryWithNullForMissingValues() throws Exception {
    JsonNode json = new ObjectMapper().readTree(FlinkReport.json(PROJECTIONS, SINKS));
    assertThat(json.fieldNames()).toIterable().containsExactly(
        "flink-projection-2-of-20-cols", "flink-projection-20-of-20-cols",
        "flink-sink-exactly-once-vs-at-least-once",
        "flink-sink-exactly-once-vs-at-least-once-kafka");
    JsonNode two = json.get("flink-projection-2-of-20-cols");
    assertThat(two.get("pyralog").asDouble()).isEqualTo(1_900_000.0);
    assertThat(two.get("kafka").asDouble()).isEqualTo(400_000.0);
    assertThat(two.get("ratio").asDouble()).isEqualTo(4.75);
    assertThat(two.get("unit").asText()).isEqualTo("rows/s");
    assertThat(two.get("pyralog_mb_s").asDouble()).isEqualTo(380.0);
    assertThat(json.get("flink-projection-20-of-20-cols").get("pyralog").isNull()).isTrue();
    JsonNode sink = json.get("flink-sink-exactly-once-vs-at-least-once");
    assertThat(sink.get("exactly_once").asDouble()).isEqualTo(150_000.0);
    assertThat(sink.get("at_least_once").asDouble()).isEqualTo(250_000.0);
    assertThat(sink.get("ratio").asDouble()).isEqualTo(0.6);
    assertThat(sink.get("unit").asText()).isEqualTo("records/s");
    assertThat(sink.has("pyralog")).isFalse();
  }

  @Test
  void theMarkdownSectionHasTablesSamplesAndProblems() {
    String md = FlinkReport.markdown(PROJECTIONS, SINKS, "2026-11-27 01:00 UTC, revision abc",
        "2 cores, 23.4 GiB memory", "quick", List.of("sink-kafka-r1.out: no result for x"));
    assertThat(md).startsWith("## 2026-11-27 01:00 UTC, revision abc\n\n"
        + "Machine: 2 cores, 23.4 GiB memory\n\nSettings: quick\n\n"
        + "| figure | Pyralog | Kafka | ratio | unit |\n");
    assertThat(md).contains(
        "| flink-projection-2-of-20-cols | 1,900,000 | 400,000 | 4.75 | rows/s |\n");
    assertThat(md).contains("| figure | exactly-once | at-least-once | ratio | unit |\n");
    assertThat(md).contains(
        "| flink-sink-exactly-once-vs-at-least-once | 150,000 | 250,000 | 0.60 | records/s |");
    assertThat(md).contains(
        "- flink-projection-2-of-20-cols: Pyralog 380.0 MB/s, Kafka 160.0 MB/s\n");
    assertThat(md).contains("- flink-projection-2-of-20-cols: Pyralog 2,000,000, 1,800,000 "
        + "rows/s; Kafka 400,000 rows/s\n");
    assertThat(md).contains("- flink-projection-20-of-20-cols: Pyralog none; Kafka");
    assertThat(md).contains(
        "\nRuns without a result:\n\n- sink-kafka-r1.out: no result for x\n");
  }

  @Test
  void theMachineLineNamesCoresMemoryAndDisk() {
    String meminfo = "MemTotal:       24554876 kB\nMemFree:         1234 kB\n";
    assertThat(FlinkReport.machine(2, meminfo,
        "/dev/vda1  100G  40G  60G  40% /work"))
        .isEqualTo("2 cores, 23.4 GiB memory, disk /dev/vda1 (100G, 60G free, mounted on /work)");
    assertThat(FlinkReport.machine(4, "", "")).isEqualTo("4 cores, unknown memory, disk unknown");
  }
}
