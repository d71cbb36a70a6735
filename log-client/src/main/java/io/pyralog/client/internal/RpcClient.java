package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DoAction calls with retries: a retriable failure ({@link ApiException#isRetriable()}, which
 * includes a broken connection) is retried with exponential backoff until {@code
 * request.timeout.ms} has passed. Calls go to the bootstrap nodes, moving to the next one after a
 * failure.
 */
@Internal
public final class RpcClient {
  private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);
  /** Calls that take at least this long are logged at debug level. */
  private static final long SLOW_CALL_MS = 100;

  private final Connections connections;
  private final List<String> bootstrap;
  private final Backoff backoff;
  private final long requestTimeoutMs;
  private final AtomicInteger next = new AtomicInteger();

  public RpcClient(Connections connections, ClientConfig config) {
    this.connections = connections;
    this.bootstrap = config.bootstrap();
    this.backoff = config.backoff();
    this.requestTimeoutMs = config.requestTimeoutMs();
  }

  /** Calls {@code type} with {@code request} as JSON body (null for an empty body). */
  public <T> T call(String type, Object request, Class<T> responseType) {
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
    byte[] body = request == null ? new byte[0] : Json.write(request);
    return retrying(type, deadlineNanos, () -> callOnce(currentNode(), type, body, responseType),
        () -> next.incrementAndGet());
  }

  /** One attempt of {@code type} at the node {@code address}; no retry. */
  public <T> T callAt(String address, String type, Object request, Class<T> responseType) {
    return callOnce(address, type, request == null ? new byte[0] : Json.write(request),
        responseType);
  }

  public long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  private String currentNode() {
    return bootstrap.get(Math.floorMod(next.get(), bootstrap.size()));
  }

  private <T> T callOnce(String address, String type, byte[] body, Class<T> responseType) {
    long start = System.nanoTime();
    try {
      Iterator<Result> results = connections.get(address).doAction(new Action(type, body),
          CallOptions.timeout(requestTimeoutMs, TimeUnit.MILLISECONDS));
      if (!results.hasNext()) {
        throw Errors.UNKNOWN_SERVER_ERROR.exception("Node " + address + " sent no result for "
            + type);
      }
      byte[] response = results.next().getBody();
      while (results.hasNext()) {
        results.next(); // drain so the call completes
      }
      logIfSlow(type, address, start);
      return Json.read(response, responseType);
    } catch (FlightRuntimeException e) {
      logIfSlow(type, address, start);
      ApiException api = Errors.fromFlight(e);
      if (api.isRetriable()) {
        // name the node, so that "io exception" and the like say where it happened
        throw new ApiException(api.error(), api.getMessage() + " (node " + address + ")", e);
      }
      throw api;
    }
  }

  private static void logIfSlow(String type, String address, long startNanos) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    if (ms >= SLOW_CALL_MS && LOG.isDebugEnabled()) {
      LOG.debug("{} at node {} took {} ms", type, address, ms);
    }
  }

  /**
   * Runs {@code attempt} until it succeeds, fails with a non-retriable error, or the deadline
   * passes; {@code onRetriable} runs before each retry (e.g. to refresh metadata).
   */
  public <T> T retrying(String what, long deadlineNanos, Supplier<T> attempt,
      Runnable onRetriable) {
    return retrying(what, deadlineNanos, backoff, attempt, onRetriable);
  }

  public static <T> T retrying(String what, long deadlineNanos, Backoff backoff,
      Supplier<T> attempt, Runnable onRetriable) {
    int attempts = 0;
    while (true) {
      ApiException failure;
      try {
        return attempt.get();
      } catch (ApiException e) {
        failure = e;
      } catch (FlightRuntimeException e) {
        failure = Errors.fromFlight(e);
      }
      if (!failure.isRetriable()) {
        throw failure;
      }
      long delayMs = backoff.delayMs(attempts++);
      long remainingNanos = deadlineNanos - System.nanoTime();
      if (remainingNanos <= TimeUnit.MILLISECONDS.toNanos(delayMs)) {
        // the exception says all of this; logging it too would report every failure twice
        LOG.debug("Giving up on {} after {} attempt(s): {} {}", what, attempts, failure.error(),
            failure.getMessage());
        throw new ApiException(Errors.REQUEST_TIMED_OUT, what + " did not succeed within "
            + "request.timeout.ms (" + attempts + " attempts); last error " + failure.error()
            + ": " + failure.getMessage(), failure);
      }
      LOG.debug("Retrying {} in {} ms (attempt {}): {} {}", what, delayMs, attempts,
          failure.error(), failure.getMessage());
      if (onRetriable != null) {
        onRetriable.run();
      }
      sleep(delayMs);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(Errors.REQUEST_TIMED_OUT, "Interrupted while waiting to retry", e);
    }
  }
}
