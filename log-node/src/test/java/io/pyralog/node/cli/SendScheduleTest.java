package io.pyralog.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SendScheduleTest {
  private static final long START = 5_000_000_000L;
  /** 80,000 records/s: one record every 12.5 µs. */
  private final SendSchedule schedule = new SendSchedule(START, 80_000);

  @Test
  void recordIIsDueAtStartPlusIOverTheRate() {
    assertThat(schedule.dueNanos(0)).isEqualTo(START);
    assertThat(schedule.dueNanos(2)).isEqualTo(START + 25_000);
    assertThat(schedule.dueNanos(80_000)).isEqualTo(START + 1_000_000_000L);
  }

  @Test
  void parksOnlyWhenTheRecordIsAtLeastAMillisecondAhead() {
    // 80 records = 1 ms ahead of the clock: park until the record is due
    assertThat(schedule.parkNanos(80, START)).isEqualTo(1_000_000);
    assertThat(schedule.parkNanos(800, START + 1_000)).isEqualTo(9_999_000);
    // due within the millisecond: sent at once
    assertThat(schedule.parkNanos(79, START)).isZero();
    assertThat(schedule.parkNanos(1, START)).isZero();
    // late: sent at once
    assertThat(schedule.parkNanos(0, START + 7_000_000)).isZero();
  }

  @Test
  void latencyStartsAtTheDueTimeOrAtAnEarlierSend() {
    // sent 3 µs early: from the send() call, never from the later due time
    assertThat(schedule.latencyStartNanos(80, START + 997_000)).isEqualTo(START + 997_000);
    // sent 2 ms late: from the due time, so the wait counts
    assertThat(schedule.latencyStartNanos(80, START + 3_000_000)).isEqualTo(START + 1_000_000);
  }

  @Test
  void aRateMustBePositive() {
    assertThatThrownBy(() -> new SendSchedule(START, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
