package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.config.ConfigOption;
import io.pyralog.common.config.PyralogConfigOptions;
import java.util.List;

/**
 * Client options that only the Java client reads. Every other key that {@link
 * PyralogClient#create(java.util.Map)} understands is in {@link PyralogConfigOptions}: {@code
 * bootstrap}, {@code batch.size}, {@code linger.ms}, {@code enable.idempotence}, {@code
 * delivery.timeout.ms}, {@code retry.backoff.ms}, {@code request.timeout.ms}, {@code
 * buffer.memory} and {@code fetch.max.bytes}.
 */
@PublicEvolving
public final class PyralogClientOptions {
  private PyralogClientOptions() {}

  public static final ConfigOption<String> GROUP_ID = ConfigOption.stringOption("group.id", null,
      "Consumer: group whose committed offsets commitSync() writes and committed() reads. "
          + "Partitions are assigned by the application, not by the group.");

  public static final ConfigOption<String> AUTO_OFFSET_RESET = ConfigOption.stringOption(
      "auto.offset.reset", "latest",
      "Consumer: where to start a partition that has no position and no committed offset, or "
          + "whose position is out of range: earliest, latest or none (fail).");

  public static final ConfigOption<String> CLIENT_ID = ConfigOption.stringOption("client.id",
      "pyralog-client", "Name of this client in logs and thread names.");

  /** Every key the client reads. */
  public static List<ConfigOption<?>> all() {
    return List.of(PyralogConfigOptions.BOOTSTRAP, PyralogConfigOptions.BATCH_SIZE,
        PyralogConfigOptions.LINGER_MS, PyralogConfigOptions.ENABLE_IDEMPOTENCE,
        PyralogConfigOptions.DELIVERY_TIMEOUT_MS, PyralogConfigOptions.RETRY_BACKOFF_MS,
        PyralogConfigOptions.REQUEST_TIMEOUT_MS, PyralogConfigOptions.BUFFER_MEMORY,
        PyralogConfigOptions.FETCH_MAX_BYTES, GROUP_ID, AUTO_OFFSET_RESET, CLIENT_ID);
  }
}
