package io.pyralog.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void theMedianOfAnOddCountIsTheMiddleValue() {
    assertThat(Stats.median(List.of(300.0, 100.0, 200.0))).isEqualTo(200.0);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void missingSamplesAreLeftOut() {
    assertThat(Stats.median(Arrays.asList(Double.NaN, 5.0, null, 7.0, 9.0))).isEqualTo(7.0);
    assertThat(Stats.median(List.of(Double.NaN))).isNaN();
    assertThat(Stats.median(List.of())).isNaN();
  }

  @Test
  void aRatioWithAMissingSideOrAZeroDenominatorIsMissing() {
    assertThat(Stats.ratio(3.0, 2.0)).isEqualTo(1.5);
    assertThat(Stats.ratio(Double.NaN, 2.0)).isNaN();
    assertThat(Stats.ratio(3.0, Double.NaN)).isNaN();
    assertThat(Stats.ratio(3.0, 0.0)).isNaN();
  }
}
