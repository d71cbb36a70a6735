package io.pyralog.common.errors;

import io.pyralog.common.annotation.PublicEvolving;

/** Root of every exception Pyralog throws. */
@PublicEvolving
public class PyralogException extends RuntimeException {
  public PyralogException(String message) {
    super(message);
  }

  public PyralogException(String message, Throwable cause) {
    super(message, cause);
  }
}
