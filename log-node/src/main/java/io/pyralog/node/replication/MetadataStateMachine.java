package io.pyralog.node.replication;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.PartitionOffset;
import io.pyralog.common.protocol.Json;
import io.pyralog.node.cluster.ClusterLayout;
import io.pyralog.node.metadata.MetadataStore;
import io.pyralog.node.metadata.TopicRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata group's state machine: topics, their assignment to replica sets, producer ids
 * and consumer-group offsets, kept in RocksDB. Each applied entry is written to RocksDB in one
 * atomic batch together with its Raft index, so a replay skips what the store already holds. A
 * checkpoint syncs RocksDB, after which Ratis purges the log up to it.
 */
public final class MetadataStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

  private final MetadataStore store;
  private final ClusterLayout layout;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final RebuildCheck rebuildCheck = new RebuildCheck();
  private volatile Supplier<ReplicaRebuild.Querier> querier;

  public MetadataStateMachine(MetadataStore store, ClusterLayout layout) {
    this.store = store;
    this.layout = layout;
  }

  public MetadataStore store() {
    return store;
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot != null) {
      updateLastAppliedTermIndex(snapshot.getTerm(), snapshot.getIndex());
    }
    LOG.info("Metadata: {} topics; checkpoint at Raft index {}", store.topics().size(),
        snapshot == null ? "none" : snapshot.getIndex());
    StateMachineLifeCycle.running(getLifeCycle());
  }

  /** After a rebuild from the leader: the store already holds the copied state. */
  @Override
  public void reinitialize() {
    StateMachineLifeCycle.running(getLifeCycle());
  }

  @Override
  public void pause() {
    StateMachineLifeCycle.paused(getLifeCycle());
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long[] applied = store.lastApplied();
    Message reply = Message.EMPTY;
    if (applied == null || entry.getIndex() > applied[1]) {
      byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
      MetadataCommand.Reply r;
      try {
        r = apply(Json.read(data, MetadataCommand.class), entry.getTerm(), entry.getIndex());
      } catch (RuntimeException e) {
        LOG.error("Metadata: cannot apply entry {}", entry.getIndex(), e);
        return CompletableFuture.failedFuture(e);
      }
      reply = Message.valueOf(UnsafeByteOperations.unsafeWrap(Json.write(r)));
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(reply);
  }

  private MetadataCommand.Reply apply(MetadataCommand c, long term, long index) {
    MetadataStore.Update update = store.update();
    MetadataCommand.Reply reply;
    switch (c.type()) {
      case MetadataCommand.CREATE_TOPIC -> {
        TopicRecord t = c.topic();
        if (store.topic(t.name()) != null) {
          reply = error(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + t.name() + "' already exists");
          break;
        }
        if (layout.replicaSetsWithFactor(t.replicationFactor()).isEmpty()) {
          reply = error(Errors.INVALID_REPLICATION_FACTOR, "Replication factor "
              + t.replicationFactor() + " is invalid: the cluster has " + layout.nodeCount()
              + " node(s)");
          break;
        }
        long id = store.nextTopicId();
        List<Integer> sets = layout.assign(id, t.partitions(), t.replicationFactor());
        TopicRecord created = new TopicRecord(t.name(), id, t.partitions(),
            t.replicationFactor(), t.schema(), t.schemaId(), t.retentionMs(), t.retentionBytes(),
            t.segmentBytes(), t.segmentMs(), sets);
        update.putTopic(created).setNextTopicId(id + 1);
        reply = new MetadataCommand.Reply(null, null, created, null);
      }
      case MetadataCommand.DELETE_TOPIC -> {
        TopicRecord t = store.topic(c.name());
        if (t == null) {
          reply = error(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + c.name()
              + "' does not exist");
          break;
        }
        update.deleteTopic(c.name());
        reply = new MetadataCommand.Reply(null, null, t, null);
      }
      case MetadataCommand.INIT_PRODUCER_ID -> {
        long id = store.nextProducerId();
        update.setNextProducerId(id + 1);
        reply = new MetadataCommand.Reply(null, null, null, id);
      }
      case MetadataCommand.COMMIT_OFFSETS -> {
        for (PartitionOffset o : c.offsets()) {
          update.putGroupOffset(c.group(), c.topicId(), o.partition(), o.offset());
        }
        reply = new MetadataCommand.Reply(null, null, null, null);
      }
      case MetadataCommand.REGISTER_NODE -> {
        update.putNodeAddress(c.nodeId(), c.address());
        reply = new MetadataCommand.Reply(null, null, null, null);
      }
      case MetadataCommand.TXN -> reply = TransactionCommands.apply(c.txn(), store, update);
      default -> reply = error(Errors.INVALID_REQUEST, "Unknown metadata command " + c.type());
    }
    update.commit(term, index);
    return reply;
  }

  private static MetadataCommand.Reply error(Errors e, String message) {
    return new MetadataCommand.Reply(e.name(), message, null, null);
  }

  /** Sets how this member reaches the leader when it must be rebuilt from it. */
  public void setRebuildQuerier(Supplier<ReplicaRebuild.Querier> querier) {
    this.querier = querier;
  }

  /** Answers a member that rebuilds itself: the whole store, as of its applied index. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      ReplicaQuery q = Json.read(request.getContent().toByteArray(), ReplicaQuery.class);
      byte[] reply;
      if (ReplicaQuery.DUMP.equals(q.type())) {
        reply = Json.write(store.dump());
      } else if (ReplicaQuery.TOPIC.equals(q.type())) {
        reply = Boolean.toString(store.topic(q.name()) != null).getBytes(StandardCharsets.UTF_8);
      } else if (ReplicaQuery.REGISTERED.equals(q.type())) {
        reply = Boolean.toString(store.nodeAddresses().containsKey(q.nodeId()))
            .getBytes(StandardCharsets.UTF_8);
      } else {
        throw Errors.INVALID_REQUEST.exception("Unknown metadata query " + q.type());
      }
      return CompletableFuture.completedFuture(
          Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Ratis calls this when the leader has purged metadata entries this member still needs (its
   * data directory was wiped): the member copies the leader's whole store, which is small, and
   * Ratis replays the leader's log after it.
   */
  @Override
  public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo,
      TermIndex firstTermIndexInLog) {
    if (!roleInfo.hasFollowerInfo() || !roleInfo.getFollowerInfo().hasLeaderInfo()) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "Metadata: asked to rebuild without a known leader"));
    }
    RaftPeerId leader = RaftPeerId.valueOf(
        roleInfo.getFollowerInfo().getLeaderInfo().getId().getId());
    CompletableFuture<TermIndex> declined = rebuildCheck.declineIfNotNeeded("Metadata",
        getServer().getNow(null), getGroupId(), firstTermIndexInLog);
    if (declined != null) {
      LOG.info("{}: the leader {} asked for a rebuild, but this replica has committed up to its "
          + "first entry ({}); resuming from its log", "Metadata", leader, firstTermIndexInLog);
      return declined;
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        ByteBuffer reply = querier.get().query(leader, ReplicaQuery.dump());
        byte[] json = new byte[reply.remaining()];
        reply.get(json);
        MetadataStore.Dump dump = Json.read(json, MetadataStore.Dump.class);
        store.replaceWith(dump);
        TermIndex at = TermIndex.valueOf(dump.term(), dump.index());
        SnapshotFiles.publish(storage, at, ("metadata copied from " + leader + " through index "
            + dump.index() + "\n").getBytes(StandardCharsets.UTF_8));
        LOG.info("Metadata: rebuilt from leader {} up to Raft index {} ({} topics)", leader,
            dump.index(), store.topics().size());
        pause(); // Ratis reloads a paused state machine, through reinitialize()
        return at;
      } catch (Exception e) {
        LOG.warn("Metadata: rebuilding from leader {} failed, Ratis retries: {}", leader,
            e.toString());
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    store.sync();
    SnapshotFiles.publish(storage, last, ("metadata in RocksDB, applied through index "
        + last.getIndex() + "\n").getBytes(StandardCharsets.UTF_8));
    return last.getIndex();
  }
}
