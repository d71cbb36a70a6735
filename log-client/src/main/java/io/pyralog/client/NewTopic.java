package io.pyralog.client;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.schema.SchemaJson;
import java.util.regex.Pattern;

/**
 * A topic to create with {@link PyralogAdmin#createTopic}. Build one with {@link #builder(String)};
 * settings left unset take the node's defaults ({@code num.partitions}, {@code retention.ms}, …).
 *
 * <pre>{@code
 * NewTopic topic = NewTopic.builder("orders").partitions(6).replicationFactor(3).build();
 * }</pre>
 */
@PublicEvolving
public final class NewTopic {
  /** Longest topic name accepted, as in Kafka. */
  public static final int MAX_NAME_LENGTH = 249;

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

  private final String name;
  private final Integer partitions;
  private final int replicationFactor;
  private final String schemaJson;
  private final Long retentionMs;
  private final Long retentionBytes;
  private final Long segmentBytes;
  private final Long segmentMs;

  private NewTopic(Builder b) {
    this.name = b.name;
    this.partitions = b.partitions;
    this.replicationFactor = b.replicationFactor;
    this.schemaJson = b.schemaJson;
    this.retentionMs = b.retentionMs;
    this.retentionBytes = b.retentionBytes;
    this.segmentBytes = b.segmentBytes;
    this.segmentMs = b.segmentMs;
  }

  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  public String name() {
    return name;
  }

  /** Number of partitions, or null for the node's {@code num.partitions}. */
  public Integer partitions() {
    return partitions;
  }

  public int replicationFactor() {
    return replicationFactor;
  }

  /** The schema in {@link SchemaJson} form, or null for a raw (key/value/headers) topic. */
  public String schemaJson() {
    return schemaJson;
  }

  public Long retentionMs() {
    return retentionMs;
  }

  public Long retentionBytes() {
    return retentionBytes;
  }

  public Long segmentBytes() {
    return segmentBytes;
  }

  public Long segmentMs() {
    return segmentMs;
  }

  /** The {@code create-topic} action body for this topic. */
  public Actions.CreateTopic toRequest() {
    return new Actions.CreateTopic(name, partitions, replicationFactor, schemaJson, retentionMs,
        retentionBytes, segmentBytes, segmentMs);
  }

  @Override
  public String toString() {
    return "NewTopic(" + name + ", partitions=" + partitions + ", replicationFactor="
        + replicationFactor + ", " + (schemaJson == null ? "raw" : "typed") + ")";
  }

  /** Builds a {@link NewTopic}; {@link #build()} checks every setting. */
  @PublicEvolving
  public static final class Builder {
    private String name;
    private Integer partitions;
    private int replicationFactor = 1;
    private String schemaJson;
    private Long retentionMs;
    private Long retentionBytes;
    private Long segmentBytes;
    private Long segmentMs;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Number of partitions; unset means the node's {@code num.partitions}. */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Nodes that hold a copy of each partition; default 1. */
    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    /**
     * The Arrow schema of a typed topic, in the JSON form that {@link SchemaJson} documents.
     * Null (the default) creates a raw topic with key, value, headers and timestamp columns.
     */
    public Builder schemaJson(String schemaJson) {
      this.schemaJson = schemaJson;
      return this;
    }

    /** How long records are kept; -1 keeps them forever; unset means the node default. */
    public Builder retentionMs(long retentionMs) {
      this.retentionMs = retentionMs;
      return this;
    }

    /** Size a partition may grow to before its oldest segments go; -1 means no limit. */
    public Builder retentionBytes(long retentionBytes) {
      this.retentionBytes = retentionBytes;
      return this;
    }

    public Builder segmentBytes(long segmentBytes) {
      this.segmentBytes = segmentBytes;
      return this;
    }

    public Builder segmentMs(long segmentMs) {
      this.segmentMs = segmentMs;
      return this;
    }

    /**
     * Checks every setting and builds the topic.
     *
     * @throws ApiException {@link Errors#INVALID_TOPIC} or {@link Errors#INVALID_CONFIG}, with a
     *     message that says what to change
     */
    public NewTopic build() {
      if (name == null || name.isEmpty()) {
        throw Errors.INVALID_TOPIC.exception(
            "Topic name is missing: pass a name to NewTopic.builder(name)");
      }
      if (name.length() > MAX_NAME_LENGTH) {
        throw Errors.INVALID_TOPIC.exception("Topic name is " + name.length()
            + " characters long; shorten it to at most " + MAX_NAME_LENGTH);
      }
      if (name.equals(".") || name.equals("..")) {
        throw Errors.INVALID_TOPIC.exception("Topic name cannot be '.' or '..'");
      }
      if (!LEGAL_NAME.matcher(name).matches()) {
        throw Errors.INVALID_TOPIC.exception("Topic name '" + name + "' has illegal characters; "
            + "use only ASCII letters, digits, '.', '_' and '-'");
      }
      if (partitions != null && partitions < 1) {
        throw Errors.INVALID_CONFIG.exception("partitions must be at least 1 but was "
            + partitions + "; leave it unset to use the node's num.partitions");
      }
      if (replicationFactor < 1) {
        throw Errors.INVALID_REPLICATION_FACTOR.exception("replicationFactor must be at least 1 "
            + "but was " + replicationFactor);
      }
      if (schemaJson != null) {
        if (schemaJson.isBlank()) {
          throw Errors.INVALID_CONFIG.exception("schemaJson is blank; pass null for a raw topic "
              + "or a schema such as {\"fields\":[{\"name\":\"id\",\"type\":\"int64\"}]}");
        }
        SchemaJson.parse(schemaJson); // throws INVALID_CONFIG naming the problem
      }
      checkRetention("retentionMs", retentionMs);
      checkRetention("retentionBytes", retentionBytes);
      checkPositive("segmentBytes", segmentBytes);
      checkPositive("segmentMs", segmentMs);
      return new NewTopic(this);
    }

    private static void checkRetention(String name, Long value) {
      if (value != null && value < -1) {
        throw Errors.INVALID_CONFIG.exception(name + " must be -1 (no limit) or >= 0 but was "
            + value);
      }
    }

    private static void checkPositive(String name, Long value) {
      if (value != null && value <= 0) {
        throw Errors.INVALID_CONFIG.exception(name + " must be > 0 but was " + value
            + "; leave it unset to use the node default");
      }
    }
  }
}
