package io.pyralog.node.replication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Wakes long-polling fetches when new batches are applied. */
public final class DataSignal {
  private volatile CompletableFuture<Void> next = new CompletableFuture<>();

  /** The future that completes at the next apply; take it before checking for data. */
  public CompletableFuture<Void> nextApply() {
    return next;
  }

  void fire() {
    CompletableFuture<Void> fired = next;
    next = new CompletableFuture<>();
    fired.complete(null);
  }

  /** Waits for {@code f} up to {@code millis}; returns early when it completes. */
  public static void await(CompletableFuture<Void> f, long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      f.get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception timeoutOrDone) {
      // timed out: the caller re-checks and returns what it has
    }
  }
}
