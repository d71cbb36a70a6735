package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.protocol.Actions.TopicInfo;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic metadata per topic name, fetched with {@code describe-topic} on first use and again when a
 * request finds that a leader moved ({@link #refresh}).
 */
@Internal
public final class MetadataCache {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataCache.class);

  private final RpcClient rpc;
  private final ConcurrentHashMap<String, TopicMetadata> topics = new ConcurrentHashMap<>();

  public MetadataCache(RpcClient rpc) {
    this.rpc = rpc;
  }

  /** The cached metadata, fetching it when absent. */
  public TopicMetadata get(String topic) {
    TopicMetadata m = topics.get(topic);
    return m != null ? m : refresh(topic);
  }

  /** The cached metadata or null; never calls the node. */
  public TopicMetadata cached(String topic) {
    return topics.get(topic);
  }

  /** Fetches the topic's metadata again (retrying until {@code request.timeout.ms}). */
  public TopicMetadata refresh(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw Errors.INVALID_TOPIC.exception("topic must be a non-empty topic name");
    }
    TopicInfo info = rpc.call(Actions.DESCRIBE_TOPIC, new Actions.TopicName(topic),
        TopicInfo.class);
    TopicMetadata m = new TopicMetadata(info);
    TopicMetadata old = topics.put(topic, m);
    if (LOG.isDebugEnabled()) {
      LOG.debug("Metadata of topic {} {}: {} partition(s), leaders {}", topic,
          old == null ? "loaded" : "refreshed", m.partitions(), leadersOf(m));
    }
    return m;
  }

  /** Stores metadata the node returned by another call (e.g. create-topic). */
  public void update(TopicInfo info) {
    if (info != null && info.name() != null) {
      topics.put(info.name(), new TopicMetadata(info));
    }
  }

  public void invalidate(String topic) {
    topics.remove(topic);
  }

  private static String leadersOf(TopicMetadata m) {
    StringBuilder sb = new StringBuilder("[");
    for (int p = 0; p < m.partitions(); p++) {
      if (p > 0) {
        sb.append(", ");
      }
      sb.append(p).append('=').append(m.leader(p));
    }
    return sb.append(']').toString();
  }
}
