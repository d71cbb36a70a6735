package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.Errors;

/**
 * Which offset {@link PyralogAdmin#listOffsets} looks up: the log start, the log end, or the first
 * offset whose batch holds a record at or after a timestamp.
 */
@PublicEvolving
public final class OffsetSpec {
  /** The kinds of lookup, with the names they have on the wire. */
  public enum Kind {
    EARLIEST("earliest"),
    LATEST("latest"),
    TIMESTAMP("timestamp");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  private static final OffsetSpec EARLIEST = new OffsetSpec(Kind.EARLIEST, null);
  private static final OffsetSpec LATEST = new OffsetSpec(Kind.LATEST, null);

  private final Kind kind;
  private final Long timestamp;

  private OffsetSpec(Kind kind, Long timestamp) {
    this.kind = kind;
    this.timestamp = timestamp;
  }

  /** The first offset still in the log. */
  public static OffsetSpec earliest() {
    return EARLIEST;
  }

  /** The log end: the offset the next record will get. */
  public static OffsetSpec latest() {
    return LATEST;
  }

  /**
   * The first offset whose batch has a timestamp at or after {@code timestampMs} (epoch
   * milliseconds), or the log end when there is none.
   */
  public static OffsetSpec forTimestamp(long timestampMs) {
    if (timestampMs < 0) {
      throw Errors.INVALID_REQUEST.exception("timestampMs must be >= 0 (epoch milliseconds) but was "
          + timestampMs + "; use OffsetSpec.earliest() for the log start");
    }
    return new OffsetSpec(Kind.TIMESTAMP, timestampMs);
  }

  public Kind kind() {
    return kind;
  }

  /** The timestamp of a {@link Kind#TIMESTAMP} spec, else null. */
  public Long timestamp() {
    return timestamp;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OffsetSpec other && kind == other.kind
        && java.util.Objects.equals(timestamp, other.timestamp);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, timestamp);
  }

  @Override
  public String toString() {
    return kind == Kind.TIMESTAMP ? "timestamp(" + timestamp + ")" : kind.wireName();
  }
}
