package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.config.ConfigOption;
import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.common.errors.Errors;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The client's settings, read once from the user's map and checked. */
@Internal
public final class ClientConfig {
  /** Where a consumer starts when it has no position. */
  public enum OffsetReset { EARLIEST, LATEST, NONE }

  private final Map<String, String> raw;
  private final List<String> bootstrap;
  private final int batchSize;
  private final long lingerMs;
  private final int maxRequestSize;
  private final boolean idempotence;
  private final long deliveryTimeoutMs;
  private final long retryBackoffMs;
  private final long requestTimeoutMs;
  private final long bufferMemory;
  private final long fetchMaxBytes;
  private final String groupId;
  private final OffsetReset offsetReset;
  private final String clientId;
  private final boolean fetchFromFollowers;
  private final String transactionalId;
  private final long transactionTimeoutMs;
  private final boolean readCommitted;

  public ClientConfig(Map<String, String> config) {
    if (config == null) {
      throw Errors.INVALID_CONFIG.exception("config is null; pass at least {bootstrap=host:port}");
    }
    this.raw = Map.copyOf(withoutNullValues(config));
    this.bootstrap = Addresses.parseList(PyralogConfigOptions.BOOTSTRAP.get(raw));
    this.batchSize = atLeast(PyralogConfigOptions.BATCH_SIZE, 1);
    this.lingerMs = atLeast(PyralogConfigOptions.LINGER_MS, 0L);
    this.maxRequestSize = atLeast(PyralogConfigOptions.MAX_REQUEST_SIZE, 1);
    this.idempotence = PyralogConfigOptions.ENABLE_IDEMPOTENCE.get(raw);
    this.deliveryTimeoutMs = atLeast(PyralogConfigOptions.DELIVERY_TIMEOUT_MS, 1L);
    this.retryBackoffMs = atLeast(PyralogConfigOptions.RETRY_BACKOFF_MS, 1L);
    this.requestTimeoutMs = atLeast(PyralogConfigOptions.REQUEST_TIMEOUT_MS, 1L);
    this.bufferMemory = atLeast(PyralogConfigOptions.BUFFER_MEMORY, 1L);
    this.fetchMaxBytes = atLeast(PyralogConfigOptions.FETCH_MAX_BYTES, 1L);
    if (bufferMemory < batchSize) {
      throw Errors.INVALID_CONFIG.exception("buffer.memory (" + bufferMemory
          + ") is smaller than batch.size (" + batchSize + "); raise buffer.memory or lower "
          + "batch.size");
    }
    String group = PyralogConfigOptions.GROUP_ID.get(raw);
    this.groupId = group == null || group.isBlank() ? null : group.trim();
    String reset = PyralogConfigOptions.AUTO_OFFSET_RESET.get(raw).trim().toUpperCase(Locale.ROOT);
    try {
      this.offsetReset = OffsetReset.valueOf(reset);
    } catch (IllegalArgumentException e) {
      throw Errors.INVALID_CONFIG.exception("Invalid value '" + reset.toLowerCase(Locale.ROOT)
          + "' for " + PyralogConfigOptions.AUTO_OFFSET_RESET.key()
          + ": use earliest, latest or none");
    }
    this.clientId = PyralogConfigOptions.CLIENT_ID.get(raw);
    this.fetchFromFollowers = PyralogConfigOptions.FETCH_FROM_FOLLOWERS.get(raw);
    String txnId = PyralogConfigOptions.TRANSACTIONAL_ID.get(raw);
    this.transactionalId = txnId == null || txnId.isBlank() ? null : txnId.trim();
    this.transactionTimeoutMs = atLeast(PyralogConfigOptions.TRANSACTION_TIMEOUT_MS, 1L);
    if (transactionalId != null && !idempotence) {
      throw Errors.INVALID_CONFIG.exception("transactional.id needs enable.idempotence=true: a "
          + "transactional producer numbers its batches");
    }
    String isolation = PyralogConfigOptions.ISOLATION_LEVEL.get(raw).trim()
        .toLowerCase(Locale.ROOT);
    if (!isolation.equals("read_committed") && !isolation.equals("read_uncommitted")) {
      throw Errors.INVALID_CONFIG.exception("Invalid value '" + isolation + "' for "
          + PyralogConfigOptions.ISOLATION_LEVEL.key() + ": use read_committed or "
          + "read_uncommitted");
    }
    this.readCommitted = isolation.equals("read_committed");
  }

  /** The producer's transactional id, or null for a producer without transactions. */
  public String transactionalId() {
    return transactionalId;
  }

  public long transactionTimeoutMs() {
    return transactionTimeoutMs;
  }

  /** True when the consumer reads only committed transactional data. */
  public boolean readCommitted() {
    return readCommitted;
  }

  /** The wire name of the consumer's isolation level. */
  public String isolationLevel() {
    return readCommitted ? "read_committed" : "read_uncommitted";
  }

  private static Map<String, String> withoutNullValues(Map<String, String> config) {
    Map<String, String> m = new HashMap<>();
    config.forEach((k, v) -> {
      if (k != null && v != null) {
        m.put(k, v);
      }
    });
    return m;
  }

  private <T extends Number> T atLeast(ConfigOption<T> option, long min) {
    T v = option.get(raw);
    if (v.longValue() < min) {
      throw Errors.INVALID_CONFIG.exception("Invalid value " + v + " for " + option.key()
          + ": must be at least " + min + ". Default is " + option.defaultValue() + ".");
    }
    return v;
  }

  public Map<String, String> raw() {
    return raw;
  }

  public List<String> bootstrap() {
    return bootstrap;
  }

  public int batchSize() {
    return batchSize;
  }

  public int maxRequestSize() {
    return maxRequestSize;
  }

  public long lingerMs() {
    return lingerMs;
  }

  public boolean idempotence() {
    return idempotence;
  }

  public long deliveryTimeoutMs() {
    return deliveryTimeoutMs;
  }

  public long retryBackoffMs() {
    return retryBackoffMs;
  }

  public long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  public long bufferMemory() {
    return bufferMemory;
  }

  public long fetchMaxBytes() {
    return fetchMaxBytes;
  }

  /** The consumer group, or null when {@code group.id} is unset. */
  public String groupId() {
    return groupId;
  }

  public OffsetReset offsetReset() {
    return offsetReset;
  }

  public String clientId() {
    return clientId;
  }

  /** True when the consumer reads from followers ({@code fetch.from.followers}). */
  public boolean fetchFromFollowers() {
    return fetchFromFollowers;
  }

  public Backoff backoff() {
    return new Backoff(retryBackoffMs, Backoff.DEFAULT_MAX_MS);
  }
}
