package io.pyralog.flink.table;

import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_BOUNDED_SPECIFIC_OFFSETS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_STARTUP_MODE;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_STARTUP_SPECIFIC_OFFSETS;
import static io.pyralog.flink.table.PyralogConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS;

import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.table.PyralogConnectorOptions.ScanBoundedMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

/** Turns the {@code scan.startup.*} and {@code scan.bounded.*} options into offsets. */
final class OffsetOptions {
  private OffsetOptions() {}

  static OffsetsInitializer starting(ReadableConfig options, List<String> topics, String group) {
    return switch (options.get(SCAN_STARTUP_MODE)) {
      case EARLIEST_OFFSET -> OffsetsInitializer.earliest();
      case LATEST_OFFSET -> OffsetsInitializer.latest();
      case GROUP_OFFSETS -> {
        requireGroup(group, "scan.startup.mode");
        yield OffsetsInitializer.committedOffsets(OffsetsInitializer.Kind.EARLIEST);
      }
      case TIMESTAMP -> OffsetsInitializer.timestamp(require(options,
          SCAN_STARTUP_TIMESTAMP_MILLIS, "scan.startup.mode", "timestamp"));
      case SPECIFIC_OFFSETS -> OffsetsInitializer.offsets(specific(options,
          SCAN_STARTUP_SPECIFIC_OFFSETS, topics, "scan.startup.mode"),
          OffsetsInitializer.Kind.EARLIEST);
    };
  }

  static OffsetsInitializer stopping(ReadableConfig options, ScanBoundedMode mode,
      List<String> topics, String group) {
    return switch (mode) {
      case UNBOUNDED -> null;
      case LATEST_OFFSET -> OffsetsInitializer.latest();
      case GROUP_OFFSETS -> {
        requireGroup(group, "scan.bounded.mode");
        yield OffsetsInitializer.committedOffsets(OffsetsInitializer.Kind.LATEST);
      }
      case TIMESTAMP -> OffsetsInitializer.timestamp(require(options,
          SCAN_BOUNDED_TIMESTAMP_MILLIS, "scan.bounded.mode", "timestamp"));
      case SPECIFIC_OFFSETS -> OffsetsInitializer.offsets(specific(options,
          SCAN_BOUNDED_SPECIFIC_OFFSETS, topics, "scan.bounded.mode"),
          OffsetsInitializer.Kind.LATEST);
    };
  }

  private static void requireGroup(String group, String modeOption) {
    if (group == null || group.isBlank()) {
      throw new ValidationException("'properties.group.id' is required when '" + modeOption
          + "' is 'group-offsets'");
    }
  }

  private static <T> T require(ReadableConfig options, ConfigOption<T> option, String modeOption,
      String mode) {
    return options.getOptional(option).orElseThrow(() -> new ValidationException("'"
        + option.key() + "' is required when '" + modeOption + "' is '" + mode + "'"));
  }

  /** Parses {@code partition:0,offset:42;partition:1,offset:300} for the table's one topic. */
  static Map<TopicPartition, Long> specific(ReadableConfig options, ConfigOption<String> option,
      List<String> topics, String modeOption) {
    String raw = require(options, option, modeOption, "specific-offsets");
    if (topics == null || topics.size() != 1) {
      throw new ValidationException("'" + modeOption + "' = 'specific-offsets' needs a single "
          + "'topic'");
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    for (String entry : raw.split(";")) {
      String[] parts = entry.trim().split(",");
      Integer partition = null;
      Long offset = null;
      try {
        for (String p : parts) {
          String[] kv = p.trim().split(":");
          if (kv.length == 2 && kv[0].trim().equals("partition")) {
            partition = Integer.parseInt(kv[1].trim());
          } else if (kv.length == 2 && kv[0].trim().equals("offset")) {
            offset = Long.parseLong(kv[1].trim());
          }
        }
      } catch (NumberFormatException e) {
        partition = null;
      }
      if (partition == null || offset == null) {
        throw new ValidationException("Invalid '" + option.key() + "' entry '" + entry.trim()
            + "'; expected e.g. 'partition:0,offset:42;partition:1,offset:300'");
      }
      out.put(new TopicPartition(topics.get(0), partition), offset);
    }
    return out;
  }
}
