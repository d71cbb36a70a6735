package io.pyralog.client;

import io.pyralog.client.internal.PyralogClientImpl;
import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.config.PyralogConfigOptions;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The entry point to a Pyralog cluster. A client is thread-safe and heavy: it owns the Arrow
 * memory allocator, the connections to the nodes (one per node, shared) and the topic metadata
 * cache. Create one per application and share it; the producers, consumers and admins it hands
 * out are light and share its connections. Close it last, after them.
 *
 * <pre>{@code
 * try (PyralogClient client = PyralogClient.create("127.0.0.1:7070");
 *      PyralogProducer producer = client.producer()) {
 *   producer.send(ProducerRecord.ofStrings("orders", "k1", "hello")).get();
 * }
 * }</pre>
 *
 * <p>Configuration keys are those of {@link PyralogConfigOptions} ({@code bootstrap}, {@code
 * batch.size}, {@code linger.ms}, {@code enable.idempotence}, {@code delivery.timeout.ms}, {@code
 * retry.backoff.ms}, {@code request.timeout.ms}, {@code buffer.memory}, {@code fetch.max.bytes})
 * and {@code PyralogConfigOptions} ({@code group.id}, {@code auto.offset.reset}, {@code
 * client.id}).
 */
@PublicEvolving
public interface PyralogClient extends AutoCloseable {

  /**
   * A client with default settings.
   *
   * @param bootstrap {@code host:port} of any node; several may be given, separated by commas
   */
  static PyralogClient create(String bootstrap) {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw io.pyralog.common.errors.Errors.INVALID_CONFIG.exception(
          "bootstrap is empty; pass host:port of a node, e.g. 127.0.0.1:7070");
    }
    return create(Map.of(PyralogConfigOptions.BOOTSTRAP.key(), bootstrap));
  }

  /**
   * A client configured by {@code config}.
   *
   * @throws io.pyralog.common.errors.ApiException {@code INVALID_CONFIG} when a value is malformed
   *     or out of range; the message names the key and what it accepts
   */
  static PyralogClient create(Map<String, String> config) {
    return new PyralogClientImpl(config);
  }

  /**
   * A new producer. Producers are thread-safe and light; they share this client's connections.
   * Each has its own buffer, sender thread and (with idempotence) producer id.
   */
  PyralogProducer producer();

  /**
   * A new producer whose settings are this client's with {@code overrides} on top, for instance
   * its own {@code transactional.id}. It shares this client's connections.
   */
  PyralogProducer producer(Map<String, String> overrides);

  /**
   * A new consumer. A consumer is not thread-safe: use each from one thread at a time, like
   * Kafka's. It uses this client's {@code group.id} for committed offsets.
   */
  PyralogConsumer consumer();

  /** The admin interface; thread-safe and light. */
  PyralogAdmin admin();

  /** The Arrow allocator that this client's batches are allocated from. */
  BufferAllocator allocator();

  /**
   * Closes every producer and consumer this client made (producers flush first), the
   * connections, and the allocator.
   */
  @Override
  void close();
}
