package io.pyralog.common.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void everyErrorRoundTripsThroughFlight() {
    for (Errors e : Errors.values()) {
      FlightRuntimeException wire = e.toFlight("because " + e.name());
      assertThat(wire.status().code()).isEqualTo(e.flightCode());
      ApiException back = Errors.fromFlight(wire);
      assertThat(back.error()).isEqualTo(e);
      assertThat(back.getMessage()).isEqualTo("because " + e.name());
      assertThat(back.isRetriable()).isEqualTo(e.isRetriable());
    }
  }

  @Test
  void metadataWithoutThePyralogKeyMapsByStatus() {
    // a reset connection carries transport metadata but no Pyralog error name
    org.apache.arrow.flight.ErrorFlightMetadata md = new org.apache.arrow.flight.ErrorFlightMetadata();
    md.insert("grpc-something", "x");
    ApiException e = Errors.fromFlight(new CallStatus(FlightStatusCode.UNAVAILABLE, null,
        "connection reset", md).toRuntimeException());
    assertThat(e.error()).isEqualTo(Errors.UNAVAILABLE);
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("connection reset");
    assertThat(Errors.fromFlight(CallStatus.TIMED_OUT.withDescription("deadline")
        .toRuntimeException()).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
  }

  @Test
  void plainFlightFailuresMapByStatus() {
    FlightRuntimeException refused = CallStatus.UNAVAILABLE.withDescription("io exception")
        .toRuntimeException();
    assertThat(Errors.fromFlight(refused).error()).isEqualTo(Errors.UNAVAILABLE);
    assertThat(Errors.fromFlight(refused).isRetriable()).isTrue();
    FlightRuntimeException other = new CallStatus(FlightStatusCode.INTERNAL, null, null, null)
        .toRuntimeException();
    assertThat(Errors.fromFlight(other).error()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
  }
}
