package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;

/**
 * Exponential backoff: {@code initialMs}, doubling per attempt, capped at {@code maxMs} (1 s by
 * default, or {@code initialMs} when that is larger).
 */
@Internal
public final class Backoff {
  public static final long DEFAULT_MAX_MS = 1000L;

  private final long initialMs;
  private final long maxMs;

  public Backoff(long initialMs, long maxMs) {
    if (initialMs <= 0) {
      throw new IllegalArgumentException("initialMs must be > 0");
    }
    this.initialMs = initialMs;
    this.maxMs = Math.max(initialMs, maxMs);
  }

  /** Wait before retry number {@code attempt} (0 for the first retry). */
  public long delayMs(int attempt) {
    long d = initialMs;
    for (int i = 0; i < attempt && d < maxMs; i++) {
      d = d > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : d * 2;
    }
    return Math.min(d, maxMs);
  }

  public long initialMs() {
    return initialMs;
  }

  public long maxMs() {
    return maxMs;
  }
}
