package io.pyralog.flink.source;

import io.pyralog.client.OffsetSpec;
import io.pyralog.client.TopicPartition;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the source starts reading each partition, or where a bounded source stops: the log start,
 * the log end, the first record at or after a timestamp, the consumer group's committed offset,
 * or given offsets. The names follow the Flink Kafka connector's {@code OffsetsInitializer}.
 *
 * <p>The enumerator resolves them to numbers when it first sees a partition, so "latest" means
 * the end of the partition at that moment.
 */
public final class OffsetsInitializer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How offsets are found. */
  public enum Kind {
    EARLIEST, LATEST, TIMESTAMP, COMMITTED, SPECIFIC
  }

  /** The lookups the initializer needs; the enumerator answers them with its admin client. */
  public interface OffsetsLookup {
    /** Offsets of every partition of {@code topic} by {@code spec}. */
    Map<Integer, Long> list(String topic, OffsetSpec spec);

    /** The group's committed offsets for {@code topic}: only partitions that have one. */
    Map<Integer, Long> committed(String topic);
  }

  private final Kind kind;
  private final long timestamp;
  private final Kind fallback;
  private final HashMap<String, HashMap<Integer, Long>> specific;

  private OffsetsInitializer(Kind kind, long timestamp, Kind fallback,
      HashMap<String, HashMap<Integer, Long>> specific) {
    this.kind = kind;
    this.timestamp = timestamp;
    this.fallback = fallback;
    this.specific = specific;
  }

  /** The first offset of each partition (after retention). */
  public static OffsetsInitializer earliest() {
    return new OffsetsInitializer(Kind.EARLIEST, 0, null, null);
  }

  /** The end of each partition when it is first seen: only records written after that. */
  public static OffsetsInitializer latest() {
    return new OffsetsInitializer(Kind.LATEST, 0, null, null);
  }

  /** The first record whose batch has a timestamp at or after {@code timestampMs} (epoch ms). */
  public static OffsetsInitializer timestamp(long timestampMs) {
    return new OffsetsInitializer(Kind.TIMESTAMP, timestampMs, null, null);
  }

  /** The group's committed offsets; partitions without one start at the earliest offset. */
  public static OffsetsInitializer committedOffsets() {
    return committedOffsets(Kind.EARLIEST);
  }

  /**
   * The group's committed offsets; partitions without one start at {@code whenMissing}, which is
   * {@link Kind#EARLIEST} or {@link Kind#LATEST}.
   */
  public static OffsetsInitializer committedOffsets(Kind whenMissing) {
    return new OffsetsInitializer(Kind.COMMITTED, 0, requireReset(whenMissing), null);
  }

  /** Given offsets; partitions not in the map start at the earliest offset. */
  public static OffsetsInitializer offsets(Map<TopicPartition, Long> offsets) {
    return offsets(offsets, Kind.EARLIEST);
  }

  /** Given offsets; partitions not in the map start at {@code whenMissing}. */
  public static OffsetsInitializer offsets(Map<TopicPartition, Long> offsets, Kind whenMissing) {
    HashMap<String, HashMap<Integer, Long>> copy = new HashMap<>();
    offsets.forEach((tp, o) -> copy.computeIfAbsent(tp.topic(), t -> new HashMap<>())
        .put(tp.partition(), o));
    return new OffsetsInitializer(Kind.SPECIFIC, 0, requireReset(whenMissing), copy);
  }

  private static Kind requireReset(Kind k) {
    if (k != Kind.EARLIEST && k != Kind.LATEST) {
      throw new IllegalArgumentException("A missing offset can fall back to EARLIEST or LATEST, "
          + "not " + k);
    }
    return k;
  }

  public Kind kind() {
    return kind;
  }

  /** Resolves the offsets of {@code partitions}. */
  public Map<TopicPartition, Long> resolve(Collection<TopicPartition> partitions,
      OffsetsLookup lookup) {
    Map<String, List<TopicPartition>> byTopic = partitions.stream().collect(
        Collectors.groupingBy(TopicPartition::topic, TreeMap::new, Collectors.toList()));
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    byTopic.forEach((topic, tps) -> {
      Map<Integer, Long> found = switch (kind) {
        case EARLIEST -> lookup.list(topic, OffsetSpec.earliest());
        case LATEST -> lookup.list(topic, OffsetSpec.latest());
        case TIMESTAMP -> lookup.list(topic, OffsetSpec.forTimestamp(timestamp));
        case COMMITTED -> lookup.committed(topic);
        case SPECIFIC -> specific.getOrDefault(topic, new HashMap<>());
      };
      Map<Integer, Long> missing = null;
      for (TopicPartition tp : tps) {
        Long o = found.get(tp.partition());
        if (o == null) {
          if (fallback == null) {
            throw new IllegalStateException("No " + this + " offset for " + tp);
          }
          if (missing == null) {
            missing = lookup.list(topic, fallback == Kind.LATEST ? OffsetSpec.latest()
                : OffsetSpec.earliest());
          }
          o = missing.get(tp.partition());
          if (o == null) {
            throw new IllegalStateException("No " + fallback + " offset for " + tp);
          }
        }
        out.put(tp, o);
      }
    });
    return out;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EARLIEST -> "earliest";
      case LATEST -> "latest";
      case TIMESTAMP -> "timestamp(" + timestamp + ")";
      case COMMITTED -> "committed (else " + fallback.name().toLowerCase() + ")";
      case SPECIFIC -> "specific offsets " + specific + " (else " + fallback.name().toLowerCase()
          + ")";
    };
  }
}
