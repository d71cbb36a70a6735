package io.pyralog.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-sync bookkeeping of {@link FollowerLagGate}, driven with explicit indexes and times. */
class FollowerLagGateTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final FollowerLagGate gate = new FollowerLagGate("rs-test", () -> null, 10, 1000);

  private long lag(long term, long last, long[] match, long nowMs) {
    return gate.slowestInSyncLag(term, last, match, nowMs * MS, i -> "n" + i);
  }

  @Test
  void aFollowerWithinTheBoundJoinsAndThenHoldsTheLeaderBack() {
    assertThat(lag(1, 100, new long[] {95, 98}, 0)).isEqualTo(5);
    // Both are in sync now; the leader runs ahead, so the slower one closes the gate (lag > 10).
    assertThat(lag(1, 120, new long[] {100, 119}, 10)).isEqualTo(20);
    // It catches up: the gate opens again.
    assertThat(lag(1, 120, new long[] {115, 119}, 20)).isEqualTo(5);
  }

  @Test
  void aFollowerThatFallsBehindWhileOutOfSyncDoesNotHoldWritesBack() {
    // A returning follower far behind is not in sync and so not waited for.
    assertThat(lag(1, 5000, new long[] {10, 4999}, 0)).isEqualTo(1);
    assertThat(lag(1, 6000, new long[] {900, 5999}, 100)).isEqualTo(1);
    // Once within the bound it joins.
    assertThat(lag(1, 6000, new long[] {5995, 5999}, 200)).isEqualTo(5);
    assertThat(lag(1, 6100, new long[] {6000, 6099}, 300)).isEqualTo(100);
  }

  @Test
  void aFollowerWithoutProgressLeavesAfterTheLagTime() {
    lag(1, 100, new long[] {100, 100}, 0);
    // Follower 0 stops (killed); within the bound it holds nothing back and stays in sync.
    assertThat(lag(1, 110, new long[] {100, 109}, 100)).isEqualTo(10);
    // Past the bound it holds writes back while its match index stands still...
    assertThat(lag(1, 200, new long[] {100, 199}, 500)).isEqualTo(100);
    assertThat(lag(1, 200, new long[] {100, 199}, 1100)).isEqualTo(100);
    // ... until it has made no progress for longer than replica.lag.time.max.ms.
    assertThat(lag(1, 200, new long[] {100, 199}, 1101)).isEqualTo(1);
    assertThat(lag(1, 900, new long[] {100, 899}, 2000)).isEqualTo(1);
  }

  @Test
  void aSlowFollowerThatKeepsMovingStaysInSync() {
    lag(1, 100, new long[] {100, 100}, 0);
    for (int t = 1; t <= 10; t++) {
      // 50 entries behind the bound, but it moves every half second: it keeps holding writes
      assertThat(lag(1, 160 + 10 * t, new long[] {100 + 10 * t, 159 + 10 * t}, 500L * t))
          .isEqualTo(60);
    }
  }

  @Test
  void anIdleFollowerWithinTheBoundStaysInSync() {
    lag(1, 50, new long[] {49, 50}, 0);
    // No writes for a long time: one entry behind and no progress, yet still in sync.
    assertThat(lag(1, 50, new long[] {49, 50}, 60_000)).isEqualTo(1);
    assertThat(lag(1, 80, new long[] {49, 79}, 60_001)).isEqualTo(31);
    assertThat(lag(1, 80, new long[] {49, 79}, 60_002)).isEqualTo(31);
  }

  @Test
  void aNewTermStartsWithNobodyInSync() {
    lag(1, 100, new long[] {100, 100}, 0);
    assertThat(lag(1, 150, new long[] {100, 150}, 10)).isEqualTo(50);
    // A new leadership: the follower 50 behind is not in sync until it is within the bound.
    assertThat(lag(2, 150, new long[] {100, 150}, 20)).isEqualTo(0);
  }

  @Test
  void aGateThatCannotReachRaftNeverHoldsWritesBack() {
    // running stays true: a gate that waited here would never return, so the test bounds it
    for (long bound : new long[] {0, 64}) {
      FollowerLagGate gate = new FollowerLagGate("rs-off", () -> {
        throw new IllegalStateException("the division is not running");
      }, bound, 1000);
      assertThat(gate.slowestInSyncLag()).as("lag seen without a division").isZero();
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          java.time.Duration.ofSeconds(30), () -> gate.awaitOpen(() -> true),
          "a gate that cannot reach Raft held writes back");
    }
  }
}
