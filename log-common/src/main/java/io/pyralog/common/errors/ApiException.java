package io.pyralog.common.errors;

import io.pyralog.common.annotation.PublicEvolving;

/**
 * An error that crossed the wire: it carries the {@link Errors} code the node sent, so a caller
 * can branch on {@link #error()} instead of parsing messages.
 */
@PublicEvolving
public class ApiException extends PyralogException {
  private final Errors error;

  public ApiException(Errors error, String message) {
    super(message);
    this.error = error;
  }

  public ApiException(Errors error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public Errors error() {
    return error;
  }

  /** True when the same request may succeed if retried later (leader moved, node busy). */
  public boolean isRetriable() {
    return error.isRetriable();
  }
}
