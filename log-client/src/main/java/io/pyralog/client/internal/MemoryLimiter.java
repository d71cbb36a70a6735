package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.util.concurrent.TimeUnit;

/** Bounds the bytes of records a producer holds ({@code buffer.memory}). */
@Internal
final class MemoryLimiter {
  private final long limit;
  private long used;

  MemoryLimiter(long limit) {
    this.limit = limit;
  }

  /**
   * Takes {@code bytes}, waiting until they are free or the deadline passes.
   *
   * @throws ApiException {@code RECORD_TOO_LARGE} when {@code bytes} exceeds the whole buffer,
   *     {@code REQUEST_TIMED_OUT} when the wait times out
   */
  synchronized void reserve(long bytes, long deadlineNanos) {
    if (bytes > limit) {
      throw Errors.RECORD_TOO_LARGE.exception("The record is " + bytes + " bytes, more than "
          + limit + ", the value of buffer.memory; raise buffer.memory or send smaller records");
    }
    while (used + bytes > limit) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        throw Errors.REQUEST_TIMED_OUT.exception("Waited delivery.timeout.ms for " + bytes
            + " bytes of buffer.memory (" + limit + " bytes, " + used + " in use): the node is "
            + "not keeping up or unreachable; raise buffer.memory or slow down");
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, remaining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(Errors.REQUEST_TIMED_OUT, "Interrupted while waiting for "
            + "buffer.memory", e);
      }
    }
    used += bytes;
  }

  synchronized void release(long bytes) {
    used -= bytes;
    if (used < 0) {
      used = 0;
    }
    notifyAll();
  }

  synchronized long used() {
    return used;
  }

  long limit() {
    return limit;
  }
}
