package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final List<Figure> FIGURES = List.of(
      new Figure("produce-1kib-fsync-parity", "records/s", true,
          List.of(120_000.0, 100_000.0, 110_000.0), List.of(90_000.0, 100_000.0, 95_000.0)),
      new Figure("p99-latency-fixed-rate", "ms", false, List.of(4.0), List.of(8.0)),
      new Figure("consume-1kib", "records/s", true, List.of(), List.of(400_000.0)),
      new Figure("disk-efficiency", "fraction", true, List.of(0.12345), List.of(0.1)));

  @Test
  void tableAlignsColumnsAndSaysNaForMissingValues() {
    String table = Report.table(FIGURES);

    assertThat(table.lines()).containsExactly(
        "figure                     Pyralog    Kafka  ratio  unit",
        "produce-1kib-fsync-parity  110,000   95,000   1.16  records/s",
        "p99-latency-fixed-rate        4.00     8.00   0.50  ms",
        "consume-1kib                   n/a  400,000    n/a  records/s",
        "disk-efficiency              0.123    0.100   1.23  fraction");
  }

  @Test
  void markdownHasHeadingMachineTableSamplesAndProblems() {
    String md = Report.markdown(FIGURES, "2026-11-26 08:40 UTC, revision abc1234, full run",
        "2 cores, 23.4 GiB memory, disk /dev/vda", "3 repetitions",
        List.of("pyralog/consume-1kib-r1.out: no JSON"));

    assertThat(md).startsWith("## 2026-11-26 08:40 UTC, revision abc1234, full run\n\n"
        + "Machine: 2 cores, 23.4 GiB memory, disk /dev/vda\n\nSettings: 3 repetitions\n\n"
        + "| figure | Pyralog | Kafka | ratio | unit |\n| --- | ---: | ---: | ---: | --- |\n"
        + "| produce-1kib-fsync-parity | 110,000 | 95,000 | 1.16 | records/s |\n");
    assertThat(md)
        .contains("- produce-1kib-fsync-parity: 120,000, 100,000, 110,000; 90,000, 100,000, "
            + "95,000\n")
        .contains("- consume-1kib: none; 400,000\n")
        .contains("Runs without a result:\n\n- pyralog/consume-1kib-r1.out: no JSON\n");
  }

  @Test
  void jsonMapsEachFigureToItsValuesRatioAndUnit() throws Exception {
    JsonNode json = new ObjectMapper().readTree(Report.json(FIGURES));

    assertThat(json.fieldNames()).toIterable().containsExactly("produce-1kib-fsync-parity",
        "p99-latency-fixed-rate", "consume-1kib", "disk-efficiency");
    JsonNode produce = json.get("produce-1kib-fsync-parity");
    assertThat(produce.get("pyralog").asDouble()).isEqualTo(110_000);
    assertThat(produce.get("kafka").asDouble()).isEqualTo(95_000);
    assertThat(produce.get("ratio").asDouble()).isEqualTo(1.158);
    assertThat(produce.get("unit").asText()).isEqualTo("records/s");
    assertThat(json.get("consume-1kib").get("pyralog").isNull()).isTrue();
    assertThat(json.get("consume-1kib").get("ratio").isNull()).isTrue();
    assertThat(json.get("disk-efficiency").get("pyralog").asDouble()).isEqualTo(0.123);
  }

  @Test
  void aNewSectionStartsAfterABlankLineWhateverTheFileEndsWith() {
    assertThat(Report.separatorAfter("")).isEmpty();
    assertThat(Report.separatorAfter("# Results\n\n")).isEmpty();
    assertThat(Report.separatorAfter("a paragraph\n")).isEqualTo("\n");
    assertThat(Report.separatorAfter("a paragraph")).isEqualTo("\n\n");
  }
}
