package io.pyralog.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pyralog.benchmarks.flink.FlinkFigures.Comparison;
import io.pyralog.benchmarks.flink.FlinkFigures.Guarantees;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlinkFiguresTest {
  private static Result projection(String system, String variant, int rep, double seconds) {
    return new Result(Result.PROJECTION, system, variant, rep, 1_000_000, seconds, seconds, 0);
  }

  private static Result sink(String system, String variant, int rep, double seconds) {
    return new Result(Result.SINK, system, variant, rep, 600_000, seconds, seconds, 0);
  }

  private static final List<Result> RUN = List.of(
      new Result(Result.FILL, Result.PYRALOG, "", 0, 1_000_000, 3, 3, 200_000_000),
      new Result(Result.FILL, Result.KAFKA, "", 0, 1_000_000, 4, 4, 400_000_000),
      // repetition 3 comes first in the file: samples are in repetition order
      projection(Result.PYRALOG, Result.TWO_OF_20, 3, 0.5),
      projection(Result.PYRALOG, Result.TWO_OF_20, 1, 0.25),
      projection(Result.PYRALOG, Result.TWO_OF_20, 2, 1.0),
      projection(Result.KAFKA, Result.TWO_OF_20, 1, 2.0),
      projection(Result.KAFKA, Result.TWO_OF_20, 2, 4.0),
      projection(Result.KAFKA, Result.TWO_OF_20, 3, 5.0),
      projection(Result.PYRALOG, Result.ALL_20, 1, 2.0),
      projection(Result.KAFKA, Result.ALL_20, 1, 4.0),
      sink(Result.PYRALOG, Result.AT_LEAST_ONCE, 1, 2.0),
      sink(Result.PYRALOG, Result.EXACTLY_ONCE, 1, 3.0),
      sink(Result.PYRALOG, Result.AT_LEAST_ONCE, 2, 3.0),
      sink(Result.PYRALOG, Result.EXACTLY_ONCE, 2, 6.0),
      sink(Result.KAFKA, Result.AT_LEAST_ONCE, 1, 1.0));

  @Test
  void projectionFiguresAreMediansOfEachSystemAndTheirRatio() {
    List<Comparison> figures = FlinkFigures.projections(RUN);
    Comparison two = figures.get(0);
    assertThat(two.name()).isEqualTo("flink-projection-2-of-20-cols");
    assertThat(two.unit()).isEqualTo("rows/s");
    assertThat(two.pyralogSamples()).containsExactly(4_000_000.0, 1_000_000.0, 2_000_000.0);
    assertThat(two.kafkaSamples()).containsExactly(500_000.0, 250_000.0, 200_000.0);
    assertThat(two.pyralog()).isEqualTo(2_000_000.0);
    assertThat(two.kafka()).isEqualTo(250_000.0);
    assertThat(two.ratio()).isCloseTo(8.0, within(1e-9));
    // 200 bytes a row for Pyralog, 400 for Kafka, as written
    assertThat(two.pyralogMbPerSec()).isCloseTo(400.0, within(1e-9));
    assertThat(two.kafkaMbPerSec()).isCloseTo(100.0, within(1e-9));

    Comparison all = figures.get(1);
    assertThat(all.name()).isEqualTo("flink-projection-20-of-20-cols");
    assertThat(all.pyralog()).isEqualTo(500_000.0);
    assertThat(all.kafka()).isEqualTo(250_000.0);
    assertThat(all.ratio()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void sinkFiguresCompareTheGuaranteesOfOneSystem() {
    List<Guarantees> figures = FlinkFigures.sinks(RUN);
    Guarantees pyralog = figures.get(0);
    assertThat(pyralog.name()).isEqualTo("flink-sink-exactly-once-vs-at-least-once");
    assertThat(pyralog.system()).isEqualTo(Result.PYRALOG);
    assertThat(pyralog.unit()).isEqualTo("records/s");
    assertThat(pyralog.exactlyOnceSamples()).containsExactly(200_000.0, 100_000.0);
    assertThat(pyralog.atLeastOnceSamples()).containsExactly(300_000.0, 200_000.0);
    assertThat(pyralog.exactlyOnce()).isEqualTo(150_000.0);
    assertThat(pyralog.atLeastOnce()).isEqualTo(250_000.0);
    assertThat(pyralog.ratio()).isCloseTo(0.6, within(1e-9));

    Guarantees kafka = figures.get(1);
    assertThat(kafka.name()).isEqualTo("flink-sink-exactly-once-vs-at-least-once-kafka");
    assertThat(kafka.atLeastOnce()).isEqualTo(600_000.0);
    assertThat(kafka.exactlyOnce()).isNaN();
    assertThat(kafka.ratio()).isNaN();
  }

  @Test
  void withoutAFillResultThereIsNoMbPerSecond() {
    Comparison two = FlinkFigures.projections(RUN.subList(2, RUN.size())).get(0);
    assertThat(two.pyralog()).isEqualTo(2_000_000.0);
    assertThat(two.pyralogMbPerSec()).isNaN();
  }
}
