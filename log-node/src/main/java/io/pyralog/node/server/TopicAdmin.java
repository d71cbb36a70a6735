package io.pyralog.node.server;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import io.pyralog.common.protocol.Actions.PartitionOffset;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.protocol.FetchTicket;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.schema.RawSchema;
import io.pyralog.common.schema.SchemaJson;
import io.pyralog.node.cluster.PeerAddress;
import io.pyralog.node.metadata.TopicNames;
import io.pyralog.node.metadata.TopicRecord;
import io.pyralog.node.replication.Groups;
import io.pyralog.node.replication.MetadataCommand;
import io.pyralog.node.replication.ReplicaQuery;
import io.pyralog.node.replication.ReplicaRebuild;
import io.pyralog.node.replication.ReplicaSetControl;
import io.pyralog.node.replication.ReplicaSetStateMachine;
import io.pyralog.node.storage.LogConfig;
import io.pyralog.node.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Topic, offset and producer-id administration, shared by the Flight actions and startup. */
public final class TopicAdmin {
  /**
   * The JSON of a raw topic's schema, written once: Arrow's own schema JSON, which the raw schema
   * needs, took hundreds of milliseconds per call on a busy node, and metadata lookups after a
   * failover wait for it.
   */
  private static final String RAW_SCHEMA_JSON = SchemaJson.toJson(RawSchema.SCHEMA);

  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
  static final long TIMEOUT_MS = 30_000;
  static final int MAX_PARTITIONS = 4096;

  private final PyralogNode node;
  private final NodeConfig config;

  TopicAdmin(PyralogNode node) {
    this.node = node;
    this.config = node.config();
  }

  // ---- topics ------------------------------------------------------------------------------

  public TopicInfo createTopic(Actions.CreateTopic req) {
    TopicNames.validate(req.name());
    int partitions = req.partitions() == null ? config.defaultPartitions() : req.partitions();
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw Errors.INVALID_REQUEST.exception("Partition count " + partitions
          + " is invalid: use between 1 and " + MAX_PARTITIONS);
    }
    int rf = req.replicationFactor() == null ? 1 : req.replicationFactor();
    int nodes = node.layout().nodeCount();
    if (rf < 1 || rf > nodes) {
      throw Errors.INVALID_REPLICATION_FACTOR.exception("Replication factor " + rf
          + " is invalid: this cluster has " + nodes + " node" + (nodes == 1 ? "" : "s")
          + ", so use 1" + (nodes == 1 ? "" : " to " + nodes));
    }
    List<Integer> live = node.clusterView().liveNodes();
    if (rf > live.size()) {
      throw Errors.INVALID_REPLICATION_FACTOR.exception("Replication factor " + rf
          + " is larger than the " + live.size() + " live node(s) " + live + " of " + nodes
          + "; start the stopped nodes or use a smaller --replication-factor");
    }
    String schema = null;
    if (req.schema() != null && !req.schema().isBlank()) {
      Schema parsed = SchemaJson.parse(req.schema());
      schema = SchemaJson.toJson(parsed);
    }
    LogConfig d = config.defaultLogConfig();
    long segmentBytes = orDefault(req.segmentBytes(), d.segmentBytes());
    long segmentMs = orDefault(req.segmentMs(), d.segmentMs());
    long retentionMs = orDefault(req.retentionMs(), d.retentionMs());
    long retentionBytes = orDefault(req.retentionBytes(), d.retentionBytes());
    if (segmentBytes < 1024) {
      throw Errors.INVALID_CONFIG.exception("segment.bytes must be at least 1024, got "
          + segmentBytes);
    }
    if (segmentMs < 1) {
      throw Errors.INVALID_CONFIG.exception("segment.ms must be positive, got " + segmentMs);
    }
    if (retentionMs < -1 || retentionMs == 0) {
      throw Errors.INVALID_CONFIG.exception("retention.ms must be positive or -1 (forever), got "
          + retentionMs);
    }
    if (retentionBytes < -1 || retentionBytes == 0) {
      throw Errors.INVALID_CONFIG.exception(
          "retention.bytes must be positive or -1 (no limit), got " + retentionBytes);
    }
    TopicRecord proposed = new TopicRecord(req.name(), 0, partitions, rf, schema, 1, retentionMs,
        retentionBytes, segmentBytes, segmentMs, List.of());
    MetadataCommand.Reply reply = metadata(MetadataCommand.createTopic(proposed));
    TopicRecord created = reply.topic();
    ensurePartitions(created);
    LOG.info("Created topic '{}' (id {}) with {} partitions{}", created.name(), created.topicId(),
        partitions, created.raw() ? "" : " and a typed schema");
    return info(created);
  }

  public TopicInfo deleteTopic(String name) {
    TopicRecord t = requireTopic(name);
    MetadataCommand.Reply reply = metadata(MetadataCommand.deleteTopic(t.name()));
    removePartitions(reply.topic());
    LOG.info("Deleted topic '{}' (id {})", t.name(), t.topicId());
    return info(reply.topic());
  }

  public List<TopicInfo> listTopics() {
    List<TopicInfo> result = new ArrayList<>();
    for (TopicRecord t : node.store().topics().values()) {
      result.add(info(t));
    }
    return result;
  }

  public TopicInfo describeTopic(String name) {
    return info(requireTopic(name));
  }

  public TopicRecord requireTopic(String name) {
    if (name == null || name.isEmpty()) {
      throw Errors.INVALID_REQUEST.exception("No topic name given");
    }
    TopicRecord t = node.store().topic(name);
    if (t == null) {
      if (config.clustered() && !node.clusterView().isMetadataLeader()
          && existsOnMetadataLeader(name)) {
        throw Errors.UNAVAILABLE.exception("Topic '" + name + "' is not known to node "
            + config.nodeId() + " yet: its metadata is catching up. Retry shortly");
      }
      throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Topic '" + name
          + "' does not exist; create it with: pyralog topic create " + name);
    }
    return t;
  }

  /**
   * Whether the metadata leader knows the topic: a node that has just restarted may not have
   * applied a recent creation yet, and must not call such a topic missing.
   */
  private boolean existsOnMetadataLeader(String name) {
    try {
      ByteBuffer reply = ReplicaRebuild.over(node.groupClient(Groups.metadata()))
          .query(null, ReplicaQuery.topic(name));
      byte[] answer = new byte[reply.remaining()];
      reply.get(answer);
      return "true".equals(new String(answer, StandardCharsets.UTF_8));
    } catch (Exception e) {
      LOG.debug("Cannot ask the metadata leader about topic '{}': {}", name, e.toString());
      return false;
    }
  }

  public Schema schemaOf(TopicRecord t) {
    return t.raw() ? RawSchema.SCHEMA : SchemaJson.parse(t.schema());
  }

  /** The local log of a partition; fails when the partition does not exist or is not here. */
  public PartitionLog partitionLog(TopicRecord t, int partition) {
    if (partition < 0 || partition >= t.partitions()) {
      throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Partition " + partition + " of topic '"
          + t.name() + "' does not exist; the topic has partitions 0-" + (t.partitions() - 1));
    }
    int rs = t.replicaSets().get(partition);
    ReplicaSetStateMachine sm = node.replicaSet(rs);
    if (sm == null) {
      throw notHosted(t, partition, rs);
    }
    PartitionLog log = sm.partition(t.topicId(), partition);
    if (log == null) {
      throw Errors.UNAVAILABLE.exception("Partition " + partition + " of topic '" + t.name()
          + "' is not ready yet; retry shortly");
    }
    return log;
  }

  /** Fails with NOT_LEADER unless this node leads the partition's replica set. */
  public void requireLeader(TopicRecord t, int partition) {
    int rs = t.replicaSets().get(partition);
    if (node.clusterView().leaderNode(rs) != config.nodeId()) {
      throw notHosted(t, partition, rs);
    }
  }

  /** NOT_LEADER for a partition whose replica set has no member here. */
  public ApiException notHosted(TopicRecord t, int partition, int rs) {
    int leader = node.clusterView().leaderNode(rs);
    return Errors.NOT_LEADER.exception("Partition " + partition + " of topic '" + t.name()
        + "' is not led by node " + config.nodeId() + (leader < 0 ? "" : "; its leader is node "
        + leader) + ". Refresh metadata and retry.");
  }

  public TopicInfo info(TopicRecord t) {
    List<PartitionInfo> parts = new ArrayList<>(t.partitions());
    for (int p = 0; p < t.partitions(); p++) {
      int rs = t.replicaSets().isEmpty() ? 0 : t.replicaSets().get(p);
      ReplicaSetStateMachine sm = node.replicaSet(rs);
      PartitionLog log = sm == null ? null : sm.partition(t.topicId(), p);
      int leader = node.clusterView().leaderNode(rs);
      parts.add(new PartitionInfo(p, Groups.replicaSetName(rs), leader,
          node.clusterView().address(leader), log == null ? -1 : log.logStartOffset(),
          log == null ? -1 : log.logEndOffset(), node.clusterView().replicaAddresses(rs)));
    }
    return new TopicInfo(t.name(), t.topicId(), t.partitions(), t.replicationFactor(),
        t.schema() == null ? RAW_SCHEMA_JSON : t.schema(), t.raw(),
        t.retentionMs(), t.retentionBytes(), t.segmentBytes(), t.segmentMs(), parts);
  }

  // ---- offsets -----------------------------------------------------------------------------

  public Actions.Offsets listOffsets(Actions.ListOffsets req) {
    TopicRecord t = requireTopic(req.topic());
    String spec = req.spec() == null ? "latest" : req.spec();
    List<Integer> partitions = req.partitions() == null ? allPartitions(t) : req.partitions();
    List<PartitionOffset> result = new ArrayList<>();
    for (int p : partitions) {
      PartitionLog log = partitionLog(t, p);
      requireLeader(t, p);
      long offset = switch (spec) {
        case "earliest" -> log.logStartOffset();
        case "latest" -> FetchTicket.READ_COMMITTED.equals(req.isolationLevel())
            ? log.transactions().lastStableOffset(log.logEndOffset()) : log.logEndOffset();
        case "timestamp" -> {
          if (req.timestamp() == null) {
            throw Errors.INVALID_REQUEST.exception("list-offsets with spec 'timestamp' needs a "
                + "timestamp in epoch milliseconds");
          }
          yield log.offsetForTimestamp(req.timestamp());
        }
        default -> throw Errors.INVALID_REQUEST.exception("Unknown offset spec '" + spec
            + "'; use earliest, latest or timestamp");
      };
      result.add(new PartitionOffset(p, offset, req.timestamp()));
    }
    return new Actions.Offsets(t.name(), result);
  }

  public Actions.Offsets commitOffsets(Actions.CommitOffsets req) {
    if (req.group() == null || req.group().isBlank()) {
      throw Errors.INVALID_REQUEST.exception("commit-offsets needs a consumer group name");
    }
    TopicRecord t = requireTopic(req.topic());
    List<PartitionOffset> offsets = req.offsets() == null ? List.of() : req.offsets();
    for (PartitionOffset o : offsets) {
      if (o.partition() < 0 || o.partition() >= t.partitions()) {
        throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Partition " + o.partition()
            + " of topic '" + t.name() + "' does not exist");
      }
      if (o.offset() < 0) {
        throw Errors.INVALID_REQUEST.exception("Offset " + o.offset() + " for partition "
            + o.partition() + " is negative");
      }
    }
    metadata(MetadataCommand.commitOffsets(req.group(), t.topicId(), offsets));
    return new Actions.Offsets(t.name(), offsets);
  }

  public Actions.Offsets fetchOffsets(Actions.FetchOffsets req) {
    if (req.group() == null || req.group().isBlank()) {
      throw Errors.INVALID_REQUEST.exception("fetch-offsets needs a consumer group name");
    }
    TopicRecord t = requireTopic(req.topic());
    Map<Integer, Long> stored = new TreeMap<>(node.store().groupOffsets(req.group(),
        t.topicId()));
    List<PartitionOffset> result = new ArrayList<>();
    stored.forEach((p, o) -> result.add(new PartitionOffset(p, o, null)));
    return new Actions.Offsets(t.name(), result);
  }

  public Actions.ProducerId initProducerId() {
    MetadataCommand.Reply reply = metadata(MetadataCommand.initProducerId());
    return new Actions.ProducerId(reply.producerId(), (short) 0);
  }

  public Actions.ClusterInfo clusterInfo() {
    List<Actions.NodeInfo> nodes = new ArrayList<>();
    for (PeerAddress p : node.layout().nodes()) {
      String address = node.clusterView().address(p.nodeId());
      if (address == null) {
        nodes.add(new Actions.NodeInfo(p.nodeId(), p.host(), -1));
      } else {
        int colon = address.lastIndexOf(':');
        nodes.add(new Actions.NodeInfo(p.nodeId(), address.substring(0, colon),
            Integer.parseInt(address.substring(colon + 1))));
      }
    }
    return new Actions.ClusterInfo("pyralog", nodes);
  }

  /** Records this node's client address in the metadata, unless it is already there. */
  void registerNode() {
    String address = config.advertisedAddress();
    if (!address.equals(node.store().nodeAddresses().get(config.nodeId()))) {
      metadata(MetadataCommand.registerNode(config.nodeId(), address));
      LOG.info("Registered node {} with client address {}", config.nodeId(), address);
    }
  }

  // ---- replica set bookkeeping -------------------------------------------------------------

  /**
   * Makes the replica sets agree with the metadata: hosts every partition of every topic and
   * drops the partitions of deleted topics. Covers a crash between the two steps of a topic
   * creation or deletion.
   */
  void reconcilePartitions() {
    Map<String, TopicRecord> topics = node.store().topics();
    Map<Long, TopicRecord> byId = new HashMap<>();
    for (TopicRecord t : topics.values()) {
      byId.put(t.topicId(), t);
      boolean missing = false;
      for (int p = 0; p < t.partitions(); p++) {
        ReplicaSetStateMachine sm = node.replicaSet(t.replicaSets().get(p));
        missing |= sm != null && sm.partition(t.topicId(), p) == null;
      }
      if (missing) {
        LOG.info("Restoring missing partitions of topic '{}'", t.name());
        ensurePartitions(t);
      }
    }
    // Only ids below the next topic id were ever allocated: a topic this node's metadata does
    // not know of yet is newer than that, and must not be mistaken for a deleted one.
    long nextTopicId = node.store().nextTopicId();
    for (Map.Entry<Integer, ReplicaSetStateMachine> e : node.hostedReplicaSets().entrySet()) {
      for (long id : e.getValue().topicIds()) {
        if (!byId.containsKey(id) && id < nextTopicId) {
          LOG.info("Removing partitions of deleted topic id {} from {}", id,
              e.getValue().name());
          await(control(e.getKey(), ReplicaSetControl.deletePartitions(id)));
        }
      }
    }
  }

  private void ensurePartitions(TopicRecord t) {
    Map<Integer, List<Integer>> byReplicaSet = new TreeMap<>();
    for (int p = 0; p < t.partitions(); p++) {
      byReplicaSet.computeIfAbsent(t.replicaSets().get(p), k -> new ArrayList<>()).add(p);
    }
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    byReplicaSet.forEach((rs, parts) -> futures.add(control(rs,
        ReplicaSetControl.createPartitions(t.topicId(), t.name(), parts,
            t.logConfig(config.defaultLogConfig().indexIntervalBytes())))));
    futures.forEach(this::await);
  }

  private void removePartitions(TopicRecord t) {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int rs : new java.util.TreeSet<>(t.replicaSets())) {
      futures.add(control(rs, ReplicaSetControl.deletePartitions(t.topicId())));
    }
    futures.forEach(this::await);
  }

  /** Writes a control entry to a replica set through its leader, wherever that is. */
  private CompletableFuture<Void> control(int replicaSet, byte[] entry) {
    return node.groupClient(Groups.replicaSet(replicaSet)).submit(entry)
        .thenApply(reply -> (Void) null);
  }

  MetadataCommand.Reply metadata(MetadataCommand command) {
    byte[] reply = await(node.groupClient(Groups.metadata()).submit(Json.write(command)))
        .toByteArray();
    MetadataCommand.Reply r = Json.read(reply, MetadataCommand.Reply.class);
    if (r.error() != null) {
      throw Errors.forName(r.error()).exception(r.message());
    }
    return r;
  }

  <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException api) {
        throw api;
      }
      throw Errors.UNKNOWN_SERVER_ERROR.exception(String.valueOf(e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw Errors.REQUEST_TIMED_OUT.exception("Replication did not complete within "
          + TIMEOUT_MS + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.UNAVAILABLE.exception("Interrupted");
    }
  }

  private static List<Integer> allPartitions(TopicRecord t) {
    List<Integer> all = new ArrayList<>();
    for (int p = 0; p < t.partitions(); p++) {
      all.add(p);
    }
    return all;
  }

  private static long orDefault(Long v, long d) {
    return v == null ? d : v;
  }
}
