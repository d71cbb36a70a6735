package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;

/** Converts Flight failures to {@link ApiException}, whatever status metadata they carry. */
@Internal
public final class FlightErrors {
  private FlightErrors() {}

  /**
   * Like {@link Errors#fromFlight}, but also for failures whose status metadata lacks the
   * Pyralog error key (a reset connection, a cancelled call): Arrow's {@code
   * ErrorFlightMetadata.get} throws for an absent key, so such metadata is dropped first and the
   * Flight status code decides.
   */
  public static ApiException fromFlight(FlightRuntimeException e) {
    CallStatus status = e.status();
    ErrorFlightMetadata md = status.metadata();
    if (md != null && !md.containsKey(Errors.METADATA_KEY)) {
      FlightRuntimeException plain = new CallStatus(status.code(), status.cause(),
          status.description(), null).toRuntimeException();
      ApiException api = Errors.fromFlight(plain);
      return new ApiException(api.error(), api.getMessage(), e);
    }
    return Errors.fromFlight(e);
  }
}
