package io.pyralog.node.cli;

/**
 * The open-loop schedule of {@code pyralog perf produce --rate}: record {@code i} is due at
 * {@code start + i / rate}, whatever happened to the records before it.
 *
 * <p>A generator that parks until each record is due wakes once per record, and on 2 cores the
 * wake-ups cost more than the sends: at 77,000 records/s three quarters of the generator thread's
 * CPU was spent switching contexts. So it parks only when the next record is at least {@link
 * #MIN_PARK_NANOS} ahead of the clock, and sends the records due within that margin at once, a
 * little early (Kafka's {@code ProducerPerformance} sleeps in steps of at least 2 ms the same
 * way). An early record's latency counts from its {@code send()} call, so sending early never
 * makes a latency look shorter; a late record's counts from its due time, so a stall stays in
 * the figures.
 */
final class SendSchedule {
  /** Parks shorter than this are not taken: the records they would wait for go out at once. */
  static final long MIN_PARK_NANOS = 1_000_000;

  private final long startNanos;
  private final double nanosPerRecord;

  /** A schedule of {@code recordsPerSecond} from {@code startNanos} ({@link System#nanoTime}). */
  SendSchedule(long startNanos, double recordsPerSecond) {
    if (!(recordsPerSecond > 0)) {
      throw new IllegalArgumentException("the rate must be positive: " + recordsPerSecond);
    }
    this.startNanos = startNanos;
    this.nanosPerRecord = 1e9 / recordsPerSecond;
  }

  /** When record {@code i} is due. */
  long dueNanos(long i) {
    return startNanos + (long) (i * nanosPerRecord);
  }

  /** How long to park before record {@code i} at {@code nowNanos}: 0 to send it now. */
  long parkNanos(long i, long nowNanos) {
    long ahead = dueNanos(i) - nowNanos;
    return ahead >= MIN_PARK_NANOS ? ahead : 0;
  }

  /**
   * Where record {@code i}'s latency starts, given the time its {@code send()} was called: the
   * due time, or the call when it came earlier.
   */
  long latencyStartNanos(long i, long sendCallNanos) {
    return Math.min(dueNanos(i), sendCallNanos);
  }
}
