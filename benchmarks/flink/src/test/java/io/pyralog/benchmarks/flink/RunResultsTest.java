package io.pyralog.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunResultsTest {
  private static String line(String workload, String system, String variant, int rep,
      long records, double seconds) {
    return new Result(workload, system, variant, rep, records, seconds, seconds + 1, 0).line();
  }

  @Test
  void readsTheResultLinesOfEveryOutputFile(@TempDir Path out) throws Exception {
    Files.writeString(out.resolve("projection-pyralog-r1.out"), String.join("\n",
        "plan of 2-of-20: TableSourceScan(table=[[...]], project=[id, c13])",
        "warm-up (not measured): 100,000 rows/s",
        line(Result.PROJECTION, Result.PYRALOG, Result.TWO_OF_20, 1, 1000, 0.5),
        "12:00:00.000 WARN  some.Logger - a warning",
        line(Result.PROJECTION, Result.PYRALOG, Result.ALL_20, 1, 1000, 1.0)));
    Files.writeString(out.resolve("sink-kafka-r1.out"), String.join("\n",
        line(Result.SINK, Result.KAFKA, Result.AT_LEAST_ONCE, 1, 500, 0.25),
        line(Result.SINK, Result.KAFKA, Result.EXACTLY_ONCE, 1, 500, 0.5)));
    Files.writeString(out.resolve("notes.txt"),
        line(Result.SINK, Result.KAFKA, Result.EXACTLY_ONCE, 9, 1, 1));

    RunResults runs = new RunResults(out);

    assertThat(runs.problems()).isEmpty();
    assertThat(runs.results()).extracting(Result::variant).containsExactly(
        Result.TWO_OF_20, Result.ALL_20, Result.AT_LEAST_ONCE, Result.EXACTLY_ONCE);
    assertThat(runs.results().get(1).rate()).isEqualTo(1000.0);
  }

  @Test
  void aRunMissingResultsIsReportedWithTheEndOfItsOutput() {
    RunResults runs = new RunResults(
        List.of("fill.out", "sink-pyralog-r2.out", "projection-kafka-r1.out"),
        List.of(
            List.of(line(Result.FILL, Result.PYRALOG, "", 0, 10, 1)),
            List.of(line(Result.SINK, Result.PYRALOG, Result.EXACTLY_ONCE, 2, 10, 1),
                "Error: sink failed", "java.lang.IllegalStateException: topic ends early", ""),
            List.of()));

    assertThat(runs.results()).hasSize(2);
    assertThat(runs.problems()).containsExactly(
        "fill.out: no result for kafka; its output ends with: " + line(Result.FILL,
            Result.PYRALOG, "", 0, 10, 1),
        "sink-pyralog-r2.out: no result for at-least-once; its output ends with: "
            + "java.lang.IllegalStateException: topic ends early",
        "projection-kafka-r1.out: no result for 2-of-20, 20-of-20; its output ends with: "
            + "(no output)");
  }

  @Test
  void aMalformedResultLineIsAProblemNotACrash() {
    RunResults runs = new RunResults(List.of("sink-kafka-r1.out"),
        List.of(List.of("RESULT {\"workload\":\"sink\"}",
            line(Result.SINK, Result.KAFKA, Result.AT_LEAST_ONCE, 1, 10, 1),
            line(Result.SINK, Result.KAFKA, Result.EXACTLY_ONCE, 1, 10, 2))));
    assertThat(runs.results()).hasSize(2);
    assertThat(runs.problems()).singleElement().asString()
        .startsWith("sink-kafka-r1.out: Malformed result line: RESULT {\"workload\":\"sink\"}");
  }
}
