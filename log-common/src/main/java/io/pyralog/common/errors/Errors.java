package io.pyralog.common.errors;

import io.pyralog.common.annotation.PublicEvolving;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;

/**
 * Every error code of the Pyralog protocol, in one place: its wire name, whether a retry may
 * help, and the Arrow Flight status it travels as. The wire name is sent in the {@value
 * #METADATA_KEY} status metadata and as a {@code [NAME]} prefix of the status description, so
 * plain Flight clients can read it too.
 */
@PublicEvolving
public enum Errors {
  UNKNOWN_SERVER_ERROR(false, FlightStatusCode.INTERNAL),
  UNKNOWN_TOPIC_OR_PARTITION(false, FlightStatusCode.NOT_FOUND),
  TOPIC_ALREADY_EXISTS(false, FlightStatusCode.ALREADY_EXISTS),
  INVALID_TOPIC(false, FlightStatusCode.INVALID_ARGUMENT),
  INVALID_CONFIG(false, FlightStatusCode.INVALID_ARGUMENT),
  INVALID_REQUEST(false, FlightStatusCode.INVALID_ARGUMENT),
  INVALID_REPLICATION_FACTOR(false, FlightStatusCode.INVALID_ARGUMENT),
  SCHEMA_MISMATCH(false, FlightStatusCode.INVALID_ARGUMENT),
  CORRUPT_RECORD(false, FlightStatusCode.INVALID_ARGUMENT),
  RECORD_TOO_LARGE(false, FlightStatusCode.INVALID_ARGUMENT),
  OFFSET_OUT_OF_RANGE(false, FlightStatusCode.INVALID_ARGUMENT),
  OUT_OF_ORDER_SEQUENCE(false, FlightStatusCode.INVALID_ARGUMENT),
  UNKNOWN_PRODUCER_ID(false, FlightStatusCode.INVALID_ARGUMENT),
  /** A newer producer with the same transactional id has started; this one must close. */
  PRODUCER_FENCED(false, FlightStatusCode.INVALID_ARGUMENT),
  /** The transaction is not in a state that allows the request (e.g. commit after abort). */
  INVALID_TXN_STATE(false, FlightStatusCode.INVALID_ARGUMENT),
  /** The transaction is still completing an earlier commit or abort; retry shortly. */
  CONCURRENT_TRANSACTIONS(true, FlightStatusCode.UNAVAILABLE),
  NOT_LEADER(true, FlightStatusCode.UNAVAILABLE),
  NOT_ENOUGH_REPLICAS(true, FlightStatusCode.UNAVAILABLE),
  UNAVAILABLE(true, FlightStatusCode.UNAVAILABLE),
  REQUEST_TIMED_OUT(true, FlightStatusCode.TIMED_OUT);

  /** Status metadata key that carries the error name. */
  public static final String METADATA_KEY = "pyralog-error";

  private final boolean retriable;
  private final FlightStatusCode flightCode;

  Errors(boolean retriable, FlightStatusCode flightCode) {
    this.retriable = retriable;
    this.flightCode = flightCode;
  }

  public boolean isRetriable() {
    return retriable;
  }

  public FlightStatusCode flightCode() {
    return flightCode;
  }

  /** The exception a client raises for this code. */
  public ApiException exception(String message) {
    return new ApiException(this, message);
  }

  /** Converts to the Flight exception that a node sends back. */
  public FlightRuntimeException toFlight(String message) {
    ErrorFlightMetadata metadata = new ErrorFlightMetadata();
    metadata.insert(METADATA_KEY, name());
    return new CallStatus(flightCode, null, "[" + name() + "] " + message, metadata)
        .toRuntimeException();
  }

  /** Looks a wire name up; unknown names become {@link #UNKNOWN_SERVER_ERROR}. */
  public static Errors forName(String name) {
    if (name == null) {
      return UNKNOWN_SERVER_ERROR;
    }
    try {
      return Errors.valueOf(name);
    } catch (IllegalArgumentException e) {
      return UNKNOWN_SERVER_ERROR;
    }
  }

  /** Server side: the Flight exception to send for any throwable. */
  public static FlightRuntimeException toFlight(Throwable t) {
    if (t instanceof FlightRuntimeException fre) {
      return fre;
    }
    if (t instanceof ApiException api) {
      return api.error().toFlight(api.getMessage());
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return UNKNOWN_SERVER_ERROR.toFlight(message);
  }

  /**
   * Client side: turns a Flight failure into an {@link ApiException}, reading the Pyralog code
   * from the status metadata or the description prefix, and falling back on the Flight status.
   */
  public static ApiException fromFlight(FlightRuntimeException e) {
    CallStatus status = e.status();
    String description = status.description() == null ? "" : status.description();
    Errors error = null;
    ErrorFlightMetadata md = status.metadata();
    if (md != null && md.containsKey(METADATA_KEY)) {
      error = forName(md.get(METADATA_KEY));
    }
    String message = description;
    if (description.startsWith("[")) {
      int end = description.indexOf("] ");
      if (end > 0) {
        if (error == null) {
          error = forName(description.substring(1, end));
        }
        message = description.substring(end + 2);
      }
    }
    if (error == null) {
      error = switch (status.code()) {
        case UNAVAILABLE -> UNAVAILABLE;
        case TIMED_OUT -> REQUEST_TIMED_OUT;
        case NOT_FOUND -> UNKNOWN_TOPIC_OR_PARTITION;
        case INVALID_ARGUMENT -> INVALID_REQUEST;
        case CANCELLED -> UNAVAILABLE;
        default -> UNKNOWN_SERVER_ERROR;
      };
      if (message.isEmpty()) {
        message = status.code() + (e.getCause() != null ? ": " + e.getCause().getMessage() : "");
      }
    }
    return new ApiException(error, message, e);
  }
}
