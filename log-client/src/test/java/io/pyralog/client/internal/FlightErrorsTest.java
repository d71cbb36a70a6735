package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

class FlightErrorsTest {

  @Test
  void readsThePyralogCodeTheNodeSent() {
    ApiException e = FlightErrors.fromFlight(Errors.NOT_LEADER.toFlight("leader is node 2"));
    assertThat(e.error()).isEqualTo(Errors.NOT_LEADER);
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("leader is node 2");
  }

  @Test
  void aResetConnectionWithForeignMetadataIsRetriableUnavailable() {
    ErrorFlightMetadata md = new ErrorFlightMetadata();
    md.insert("grpc-something", "x");
    ApiException e = FlightErrors.fromFlight(new CallStatus(FlightStatusCode.UNAVAILABLE, null,
        "connection reset", md).toRuntimeException());
    assertThat(e.error()).isEqualTo(Errors.UNAVAILABLE);
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("connection reset");
  }

  @Test
  void aPlainTimeoutIsRetriable() {
    ApiException e = FlightErrors.fromFlight(CallStatus.TIMED_OUT.withDescription("deadline")
        .toRuntimeException());
    assertThat(e.error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
    assertThat(e.isRetriable()).isTrue();
  }
}
