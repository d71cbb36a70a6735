package io.pyralog.flink.source;

import io.pyralog.common.config.ConfigOption;
import java.util.List;

/**
 * Options of {@link PyralogSource} that are not client options; set them with {@code
 * setProperty}. Every client option (docs/configuration.md) can be set the same way.
 */
public final class PyralogSourceOptions {
  private PyralogSourceOptions() {}

  public static final ConfigOption<Long> PARTITION_DISCOVERY_INTERVAL_MS = ConfigOption.longOption(
      "partition.discovery.interval.ms", 300_000L,
      "How often an unbounded source looks for new partitions and, with a topic pattern, new "
          + "topics. 0 or less discovers once. A bounded source always discovers once.");

  public static final ConfigOption<Boolean> COMMIT_OFFSETS_ON_CHECKPOINT =
      ConfigOption.booleanOption("commit.offsets.on.checkpoint", true,
          "Commit the offsets of each completed checkpoint to the consumer group (group.id). "
              + "Only progress reporting: a restored job resumes from its checkpoint.");

  public static final ConfigOption<Long> POLL_TIMEOUT_MS = ConfigOption.longOption(
      "poll.timeout.ms", 100L,
      "How long one fetch of the split reader waits for new data before it returns empty.");

  public static final List<ConfigOption<?>> ALL = List.of(PARTITION_DISCOVERY_INTERVAL_MS,
      COMMIT_OFFSETS_ON_CHECKPOINT, POLL_TIMEOUT_MS);
}
