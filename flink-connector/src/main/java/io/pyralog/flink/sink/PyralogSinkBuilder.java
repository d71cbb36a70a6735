package io.pyralog.flink.sink;

import io.pyralog.common.config.PyralogConfigOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Builds a {@link PyralogSink}; the method names follow Flink's {@code KafkaSinkBuilder}. */
public final class PyralogSinkBuilder<IN> {
  private final Map<String, String> properties = new HashMap<>();
  private PyralogRecordSerializationSchema<IN> serializer;
  private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
  private String transactionalIdPrefix;

  PyralogSinkBuilder() {}

  /** host:port of one or more nodes, comma-separated. */
  public PyralogSinkBuilder<IN> setBootstrap(String bootstrap) {
    return setProperty(PyralogConfigOptions.BOOTSTRAP.key(), bootstrap);
  }

  public PyralogSinkBuilder<IN> setRecordSerializer(
      PyralogRecordSerializationSchema<IN> serializer) {
    this.serializer = serializer;
    return this;
  }

  /**
   * {@code AT_LEAST_ONCE} (default): every checkpoint waits for all records sent before it.
   * {@code NONE}: no waiting; records in flight at a failure may be lost.
   * {@code EXACTLY_ONCE}: each checkpoint interval writes in a transaction that commits when the
   * checkpoint completes; needs {@link #setTransactionalIdPrefix} and checkpointing, and readers
   * with {@code isolation.level=read_committed}.
   */
  public PyralogSinkBuilder<IN> setDeliveryGuarantee(DeliveryGuarantee guarantee) {
    this.guarantee = guarantee;
    return this;
  }

  /**
   * The prefix of the transactional ids of {@code EXACTLY_ONCE}: ids are {@code
   * <prefix>-<subtask>-<n>}. It must be unique to the job: a job that starts aborts the open
   * transactions of its prefix that it does not own.
   */
  public PyralogSinkBuilder<IN> setTransactionalIdPrefix(String prefix) {
    this.transactionalIdPrefix = prefix;
    return this;
  }

  /** A producer option of the client (docs/configuration.md), e.g. linger.ms. */
  public PyralogSinkBuilder<IN> setProperty(String key, String value) {
    properties.put(key, value);
    return this;
  }

  public PyralogSinkBuilder<IN> setProperties(Properties props) {
    props.stringPropertyNames().forEach(k -> properties.put(k, props.getProperty(k)));
    return this;
  }

  public PyralogSink<IN> build() {
    if (serializer == null) {
      throw new IllegalStateException("No record serializer: call setRecordSerializer");
    }
    if (!properties.containsKey(PyralogConfigOptions.BOOTSTRAP.key())) {
      throw new IllegalStateException("No bootstrap address: call setBootstrap(\"host:port\")");
    }
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE
        && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
      throw new IllegalStateException("Delivery guarantee EXACTLY_ONCE needs a transactional id "
          + "prefix unique to the job: call setTransactionalIdPrefix(\"my-job\") (SQL: "
          + "'sink.transactional-id-prefix')");
    }
    return new PyralogSink<>(properties, serializer, guarantee,
        guarantee == DeliveryGuarantee.EXACTLY_ONCE ? transactionalIdPrefix : null);
  }
}
