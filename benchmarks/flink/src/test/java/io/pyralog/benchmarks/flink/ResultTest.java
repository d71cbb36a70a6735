package io.pyralog.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResultTest {
  @Test
  void aResultLineReadsBackAsTheSameResult() {
    Result r = new Result(Result.PROJECTION, Result.PYRALOG, Result.TWO_OF_20, 2, 200_000,
        0.8, 3.25, 0);
    String line = r.line();
    assertThat(line).startsWith("RESULT {\"workload\":\"projection\"");
    assertThat(Result.parse(line)).contains(r);
  }

  @Test
  void theRateIsRecordsOverTheJobsSeconds() {
    Result r = new Result(Result.SINK, Result.KAFKA, Result.EXACTLY_ONCE, 1, 300_000, 1.5,
        2.0, 0);
    assertThat(r.rate()).isCloseTo(200_000.0, within(1e-6));
    assertThat(new Result(Result.SINK, Result.KAFKA, Result.EXACTLY_ONCE, 1, 300_000, 0, 0, 0)
        .rate()).isNaN();
  }

  @Test
  void logLinesAreNotResults() {
    assertThat(Result.parse("12:00:01.123 WARN  o.a.f.runtime - RESULT lost")).isEmpty();
    assertThat(Result.parse("warm-up (not measured): 123 rows/s")).isEmpty();
  }

  @Test
  void aResultLineWithoutItsNumbersFailsNamingTheLine() {
    String line = "RESULT {\"workload\":\"sink\",\"system\":\"kafka\",\"records\":\"many\"}";
    assertThatThrownBy(() -> Result.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(line)
        .hasMessageContaining("records");
    assertThatThrownBy(() -> Result.parse("RESULT {not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RESULT {not json");
  }

  @Test
  void optionalFieldsDefault() {
    Result r = Result.parse("RESULT {\"workload\":\"fill\",\"system\":\"kafka\","
        + "\"records\":10,\"seconds\":2.0}").orElseThrow();
    assertThat(r.variant()).isEmpty();
    assertThat(r.rep()).isZero();
    assertThat(r.bytes()).isZero();
    assertThat(r.wallSeconds()).isNaN();
  }
}
