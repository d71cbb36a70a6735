package io.pyralog.client.internal;

import io.pyralog.client.NewTopic;
import io.pyralog.client.OffsetSpec;
import io.pyralog.client.PyralogAdmin;
import io.pyralog.client.TransactionHandle;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.protocol.Actions.ClusterInfo;
import io.pyralog.common.protocol.Actions.NodeStatus;
import io.pyralog.common.protocol.Actions.Offsets;
import io.pyralog.common.protocol.Actions.PartitionOffset;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.protocol.Actions.TopicList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** {@link PyralogAdmin} over DoAction. */
@Internal
public final class AdminImpl implements PyralogAdmin {
  private final RpcClient rpc;
  private final MetadataCache metadata;
  private final String isolationLevel;

  /** {@code isolationLevel} read_committed makes {@code latest} the last stable offset. */
  public AdminImpl(RpcClient rpc, MetadataCache metadata, String isolationLevel) {
    this.rpc = rpc;
    this.metadata = metadata;
    this.isolationLevel = isolationLevel;
  }

  @Override
  public TopicInfo createTopic(NewTopic topic) {
    if (topic == null) {
      throw Errors.INVALID_REQUEST.exception("topic is null; build one with NewTopic.builder(name)");
    }
    TopicInfo info = rpc.call(Actions.CREATE_TOPIC, topic.toRequest(), TopicInfo.class);
    metadata.update(info);
    return info;
  }

  @Override
  public void deleteTopic(String topic) {
    checkTopic(topic);
    try {
      rpc.call(Actions.DELETE_TOPIC, new Actions.TopicName(topic), TopicInfo.class);
    } finally {
      metadata.invalidate(topic);
    }
  }

  @Override
  public List<TopicInfo> listTopics() {
    TopicList list = rpc.call(Actions.LIST_TOPICS, null, TopicList.class);
    return list.topics() == null ? List.of() : List.copyOf(list.topics());
  }

  @Override
  public TopicInfo describeTopic(String topic) {
    checkTopic(topic);
    return metadata.refresh(topic).info();
  }

  @Override
  public Map<Integer, Long> listOffsets(String topic, OffsetSpec spec) {
    checkTopic(topic);
    if (spec == null) {
      throw Errors.INVALID_REQUEST.exception(
          "spec is null; use OffsetSpec.earliest(), latest() or forTimestamp(ms)");
    }
    return listOffsets(rpc, metadata, topic, null, spec, isolationLevel);
  }

  /**
   * {@code list-offsets} for some partitions of a topic (null for all), asked of each partition's
   * leader, which alone knows the latest committed offset. Leader moves are followed by refreshing
   * the metadata and retrying until {@code request.timeout.ms}.
   */
  static Map<Integer, Long> listOffsets(RpcClient rpc, MetadataCache metadata, String topic,
      List<Integer> partitions, OffsetSpec spec) {
    return listOffsets(rpc, metadata, topic, partitions, spec, null);
  }

  /**
   * As above; with {@code isolationLevel} read_committed, {@code latest} is the last stable
   * offset: the first offset of the oldest open transaction, or the log end.
   */
  static Map<Integer, Long> listOffsets(RpcClient rpc, MetadataCache metadata, String topic,
      List<Integer> partitions, OffsetSpec spec, String isolationLevel) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(rpc.requestTimeoutMs());
    return rpc.retrying("list-offsets of " + topic, deadline, () -> {
      TopicMetadata m = metadata.get(topic);
      List<Integer> wanted = partitions;
      if (wanted == null) {
        wanted = new ArrayList<>();
        for (int p = 0; p < m.partitions(); p++) {
          wanted.add(p);
        }
      }
      Map<String, List<Integer>> byLeader = new LinkedHashMap<>();
      for (int p : wanted) {
        m.checkPartition(p);
        String leader = m.leader(p);
        if (leader == null) {
          throw Errors.UNAVAILABLE.exception("Partition " + p + " of topic '" + topic
              + "' has no leader right now");
        }
        byLeader.computeIfAbsent(leader, k -> new ArrayList<>()).add(p);
      }
      Map<Integer, Long> result = new TreeMap<>();
      for (Map.Entry<String, List<Integer>> e : byLeader.entrySet()) {
        result.putAll(toMap(rpc.callAt(e.getKey(), Actions.LIST_OFFSETS,
            new Actions.ListOffsets(topic, e.getValue(), spec.kind().wireName(),
                spec.timestamp(), isolationLevel), Offsets.class)));
      }
      return result;
    }, () -> metadata.invalidate(topic));
  }

  @Override
  public Actions.TransactionInfo commitTransaction(TransactionHandle transaction) {
    return endTransaction(transaction, true);
  }

  @Override
  public Actions.TransactionInfo abortTransaction(TransactionHandle transaction) {
    return endTransaction(transaction, false);
  }

  private Actions.TransactionInfo endTransaction(TransactionHandle t, boolean commit) {
    if (t == null) {
      throw Errors.INVALID_REQUEST.exception("transaction is null");
    }
    return rpc.call(Actions.END_TXN, new Actions.EndTxn(t.transactionalId(), t.producerId(),
        t.producerEpoch(), commit), Actions.TransactionInfo.class);
  }

  @Override
  public TransactionHandle fenceTransactionalId(String transactionalId, Duration timeout) {
    if (transactionalId == null || transactionalId.isBlank()) {
      throw Errors.INVALID_REQUEST.exception("transactionalId is empty");
    }
    Actions.ProducerId id = rpc.call(Actions.INIT_TRANSACTIONS, new Actions.InitTransactions(
        transactionalId, timeout == null ? null : timeout.toMillis()), Actions.ProducerId.class);
    return new TransactionHandle(transactionalId, id.producerId(), id.producerEpoch());
  }

  @Override
  public List<Actions.TransactionInfo> listTransactions(String prefix, boolean openOnly) {
    Actions.TransactionList list = rpc.call(Actions.LIST_TRANSACTIONS,
        new Actions.ListTransactions(prefix, openOnly), Actions.TransactionList.class);
    return list.transactions() == null ? List.of() : List.copyOf(list.transactions());
  }

  @Override
  public void commitOffsets(String group, String topic, Map<Integer, Long> offsets) {
    commitOffsets(rpc, group, topic, offsets);
  }

  static void commitOffsets(RpcClient rpc, String group, String topic,
      Map<Integer, Long> offsets) {
    checkGroup(group);
    checkTopic(topic);
    if (offsets == null || offsets.isEmpty()) {
      return;
    }
    List<PartitionOffset> list = new ArrayList<>(offsets.size());
    for (Map.Entry<Integer, Long> e : new TreeMap<>(offsets).entrySet()) {
      if (e.getKey() == null || e.getKey() < 0 || e.getValue() == null || e.getValue() < 0) {
        throw Errors.INVALID_REQUEST.exception("Cannot commit offset " + e.getValue()
            + " for partition " + e.getKey() + " of '" + topic
            + "': partitions and offsets must be >= 0");
      }
      list.add(new PartitionOffset(e.getKey(), e.getValue(), null));
    }
    rpc.call(Actions.COMMIT_OFFSETS, new Actions.CommitOffsets(group, topic, list),
        Offsets.class);
  }

  @Override
  public Map<Integer, Long> fetchOffsets(String group, String topic) {
    return fetchOffsets(rpc, group, topic);
  }

  static Map<Integer, Long> fetchOffsets(RpcClient rpc, String group, String topic) {
    checkGroup(group);
    checkTopic(topic);
    return toMap(rpc.call(Actions.FETCH_OFFSETS, new Actions.FetchOffsets(group, topic),
        Offsets.class));
  }

  @Override
  public ClusterInfo clusterInfo() {
    return rpc.call(Actions.CLUSTER_INFO, null, ClusterInfo.class);
  }

  @Override
  public NodeStatus nodeStatus(String address) {
    if (address == null || address.isBlank()) {
      throw Errors.INVALID_REQUEST.exception("address is empty; pass a node's host:port");
    }
    return rpc.callAt(address, Actions.NODE_STATUS, null, NodeStatus.class);
  }

  private static Map<Integer, Long> toMap(Offsets offsets) {
    Map<Integer, Long> out = new TreeMap<>();
    if (offsets != null && offsets.offsets() != null) {
      for (PartitionOffset po : offsets.offsets()) {
        out.put(po.partition(), po.offset());
      }
    }
    return out;
  }

  private static void checkTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw Errors.INVALID_TOPIC.exception("topic must be a non-empty topic name");
    }
  }

  private static void checkGroup(String group) {
    if (group == null || group.isBlank()) {
      throw Errors.INVALID_CONFIG.exception(
          "No consumer group: set group.id in the client config to commit or read offsets");
    }
  }
}
