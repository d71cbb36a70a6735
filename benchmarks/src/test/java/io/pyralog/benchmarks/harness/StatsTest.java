package io.pyralog.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(7.0))).isEqualTo(7.0);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void missingSamplesAreSkippedAndNoneGivesNaN() {
    assertThat(Stats.median(List.of(Double.NaN, 5.0, 1.0))).isEqualTo(3.0);
    assertThat(Stats.median(List.of())).isNaN();
    assertThat(Stats.median(List.of(Double.NaN))).isNaN();
  }

  @Test
  void ratioIsNaNWhenEitherSideIsMissingOrTheDenominatorIsZero() {
    assertThat(Stats.ratio(3, 2)).isEqualTo(1.5);
    assertThat(Stats.ratio(Double.NaN, 2)).isNaN();
    assertThat(Stats.ratio(3, Double.NaN)).isNaN();
    assertThat(Stats.ratio(3, 0)).isNaN();
  }
}
