package io.pyralog.node.replication;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.record.BatchHeader;
import io.pyralog.node.replication.CheckpointManifest.PartitionCheckpoint;
import io.pyralog.node.replication.ReplicaSetEntry.BatchResults;
import io.pyralog.node.replication.ReplicaSetEntry.PartitionSpec;
import io.pyralog.node.storage.LogConfig;
import io.pyralog.node.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one replica set: the partition logs of every partition assigned to it.
 *
 * <p>The Raft log is the write-ahead log. Applying an entry appends its batches to their
 * partitions through the page cache and assigns offsets; apply is deterministic, so replicas
 * hold identical logs. A checkpoint (Ratis snapshot) fsyncs every partition and writes a manifest
 * of their end offsets, after which Ratis purges the log up to it. On start, each partition is
 * truncated to the manifest and the Raft log after it is replayed.
 */
public final class ReplicaSetStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetStateMachine.class);

  private final String name;
  private final Path dir;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final RebuildCheck rebuildCheck = new RebuildCheck();
  private final Map<Long, TopicPartitions> topics = new ConcurrentHashMap<>();
  private final ProducerStateTable producers = new ProducerStateTable();
  private final DataSignal signal = new DataSignal();
  private ByteBuffer applyBuffer;
  /** Runs checkpoints' fsyncs, one at a time, off the apply thread. */
  private final ExecutorService checkpointer;
  /** The running or last checkpoint; read and replaced only on the apply thread. */
  private CompletableFuture<Void> checkpointInFlight = CompletableFuture.completedFuture(null);
  /** The newest checkpoint index returned to Ratis; apply thread only. */
  private long reportedCheckpointIndex = -1;
  /**
   * The newest checkpoint that is on disk. Kept here rather than asked of the snapshot storage,
   * whose directory scan can race with a checkpoint being published from the background thread.
   */
  private volatile SingleFileSnapshotInfo durableCheckpoint;
  /** Reaches other members of this replica set, to rebuild this replica from its leader. */
  private volatile Supplier<ReplicaRebuild.Querier> querier;

  /** The partitions of one topic hosted here. */
  static final class TopicPartitions {
    final long topicId;
    final String topic;
    final Map<Integer, PartitionLog> logs = new ConcurrentHashMap<>();
    volatile LogConfig config;

    TopicPartitions(long topicId, String topic, LogConfig config) {
      this.topicId = topicId;
      this.topic = topic;
      this.config = config;
    }
  }

  public ReplicaSetStateMachine(String name, Path dir) {
    this.name = name;
    this.dir = dir;
    this.checkpointer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name + "-checkpoint");
      t.setDaemon(true);
      return t;
    });
  }

  public String name() {
    return name;
  }

  /** Sets how this replica reaches its leader when it must be rebuilt from it. */
  public void setRebuildQuerier(Supplier<ReplicaRebuild.Querier> querier) {
    this.querier = querier;
  }

  public DataSignal signal() {
    return signal;
  }

  /** The log of a partition hosted here, or null. */
  public PartitionLog partition(long topicId, int partition) {
    TopicPartitions t = topics.get(topicId);
    return t == null ? null : t.logs.get(partition);
  }

  public List<Long> topicIds() {
    return new ArrayList<>(topics.keySet());
  }

  /** Runs retention on every partition; returns the number of segments deleted. */
  public int enforceRetention(long nowMs) {
    int deleted = 0;
    for (TopicPartitions t : topics.values()) {
      for (PartitionLog log : t.logs.values()) {
        deleted += log.deleteExpiredSegments(nowMs);
      }
    }
    return deleted;
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /**
   * The newest durable checkpoint. Answered from memory: the storage's own lookup scans the
   * directory when it knows of no snapshot yet, and fails (killing Ratis's apply thread) if the
   * background checkpoint thread publishes the first one during that scan.
   */
  @Override
  public SnapshotInfo getLatestSnapshot() {
    return durableCheckpoint;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    recover();
    StateMachineLifeCycle.running(getLifeCycle());
  }

  @Override
  public void reinitialize() throws IOException {
    checkpointInFlight.join();
    closeLogs();
    recover();
    StateMachineLifeCycle.running(getLifeCycle());
  }

  @Override
  public void pause() {
    StateMachineLifeCycle.paused(getLifeCycle());
  }

  private void recover() throws IOException {
    Files.createDirectories(dir);
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    durableCheckpoint = snapshot;
    CheckpointManifest manifest = null;
    if (snapshot != null) {
      manifest = Json.read(Files.readAllBytes(snapshot.getFile().getPath()),
          CheckpointManifest.class);
    }
    Map<String, PartitionCheckpoint> expected = new HashMap<>();
    if (manifest != null) {
      for (PartitionCheckpoint p : manifest.partitions()) {
        expected.put(dirName(p.topic(), p.topicId()) + "/" + p.partition(), p);
      }
    }
    // Drop partitions created after the checkpoint: replaying the log creates them again.
    try (DirectoryStream<Path> topicDirs = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path topicDir : topicDirs) {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(topicDir, Files::isDirectory)) {
          for (Path part : parts) {
            String key = topicDir.getFileName() + "/" + part.getFileName();
            if (!expected.containsKey(key)) {
              LOG.info("{}: removing partition {} created after the last checkpoint; the Raft log"
                  + " replay recreates it", name, key);
              deleteRecursively(part);
            }
          }
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(topicDir)) {
          if (!left.iterator().hasNext()) {
            Files.delete(topicDir);
          }
        }
      }
    }
    long replayed = 0;
    for (PartitionCheckpoint p : expected.values()) {
      TopicPartitions t = topics.computeIfAbsent(p.topicId(),
          id -> new TopicPartitions(id, p.topic(), p.config()));
      Path partDir = dir.resolve(dirName(p.topic(), p.topicId())).resolve(
          Integer.toString(p.partition()));
      if (!Files.exists(partDir)) {
        LOG.warn("{}: partition {}-{} is in the checkpoint but its directory is missing; it "
            + "restarts empty at offset {}", name, p.topic(), p.partition(), p.endOffset());
      }
      boolean existed = Files.exists(partDir);
      PartitionLog log = PartitionLog.open(partDir, p.config());
      if (!existed || log.logEndOffset() < p.endOffset()) {
        if (existed) {
          LOG.error("{}: partition {}-{} ends at {} but the checkpoint says {}; its files lost "
              + "data that was fsync'd. It restarts empty at the checkpoint offset", name,
              p.topic(), p.partition(), log.logEndOffset(), p.endOffset());
        }
        log.resetTo(p.endOffset());
      } else if (log.logEndOffset() != p.endOffset()) {
        replayed += log.logEndOffset() - p.endOffset();
        log.truncateTo(p.endOffset());
      }
      log.transactions().restore(p.openTxns(), p.abortedTxns());
      t.logs.put(p.partition(), log);
    }
    if (manifest != null) {
      producers.restore(manifest.producers());
      updateLastAppliedTermIndex(manifest.term(), manifest.index());
      LOG.info("{}: recovered {} partitions from checkpoint at Raft index {}; {} records after it "
          + "are re-applied from the Raft log", name, expected.size(), manifest.index(),
          Math.max(0, replayed));
    } else {
      LOG.info("{}: no checkpoint yet; the whole Raft log is applied", name);
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
    byte type = data.get();
    Message reply;
    try {
      reply = switch (type) {
        case ReplicaSetEntry.BATCHES -> applyBatches(data);
        case ReplicaSetEntry.CREATE_PARTITIONS -> applyCreate(data);
        case ReplicaSetEntry.DELETE_PARTITIONS -> applyDelete(data.getLong());
        case ReplicaSetEntry.TXN_MARKERS -> applyMarkers(data);
        default -> throw new IllegalStateException("Unknown replica set entry type " + type
            + " at index " + entry.getIndex());
      };
    } catch (RuntimeException e) {
      LOG.error("{}: cannot apply entry {}; stopping this replica set", name, entry.getIndex(), e);
      return CompletableFuture.failedFuture(e);
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(reply);
  }

  private Message applyBatches(ByteBuffer data) {
    int count = data.getInt();
    List<AppendResult> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long topicId = data.getLong();
      int partition = data.getInt();
      int length = data.getInt();
      ByteBuffer batch = scratch(length);
      ByteBuffer src = data.slice();
      src.limit(length);
      batch.put(src).flip();
      data.position(data.position() + length);
      results.add(applyBatch(topicId, partition, batch));
    }
    signal.fire();
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(Json.write(new BatchResults(results))));
  }

  /**
   * A direct buffer reused for every applied batch: its offset and CRC are set in place and it
   * is written to the segment file without another copy. Only the apply thread touches it.
   */
  private ByteBuffer scratch(int length) {
    if (applyBuffer == null || applyBuffer.capacity() < length) {
      applyBuffer = ByteBuffer.allocateDirect(Math.max(1 << 20, Integer.highestOneBit(length) << 1));
    }
    applyBuffer.clear().limit(length);
    return applyBuffer;
  }

  private AppendResult applyBatch(long topicId, int partition, ByteBuffer batch) {
    PartitionLog log = partition(topicId, partition);
    if (log == null) {
      return AppendResult.failed(Errors.UNKNOWN_TOPIC_OR_PARTITION.name(),
          "Partition " + partition + " of topic id " + topicId + " is not hosted by " + name);
    }
    long producerId = BatchHeader.producerId(batch, 0);
    int count = BatchHeader.recordCount(batch, 0);
    if (producerId >= 0) {
      short epoch = BatchHeader.producerEpoch(batch, 0);
      int sequence = BatchHeader.baseSequence(batch, 0);
      ProducerStateTable.Check check =
          producers.check(producerId, epoch, topicId, partition, sequence);
      if (check instanceof ProducerStateTable.Duplicate d) {
        return AppendResult.ok(d.baseOffset(), d.count());
      }
      if (check instanceof ProducerStateTable.Reject r) {
        return AppendResult.failed(Errors.OUT_OF_ORDER_SEQUENCE.name(), r.message());
      }
      if ((BatchHeader.attributes(batch, 0) & BatchHeader.ATTR_TRANSACTIONAL) != 0) {
        // before the append, so that no reader sees the batch below the last stable offset
        log.transactions().begin(producerId, BatchHeader.transactionId(batch, 0),
            log.logEndOffset());
      }
      long base = log.append(batch);
      producers.record(producerId, epoch, topicId, partition, sequence, base, count);
      return AppendResult.ok(base, count);
    }
    return AppendResult.ok(log.append(batch), count);
  }

  /**
   * Ends a producer's transaction in some partitions here. A commit makes its batches visible to
   * read_committed readers; an abort lists them as aborted. An abort under a newer epoch also
   * fences the older producer on each partition. Idempotent: a partition without an open
   * transaction of the producer with this transaction number is left as it is, so a marker that
   * arrives again, late, cannot end the producer's next transaction.
   */
  private Message applyMarkers(ByteBuffer data) {
    long producerId = data.getLong();
    short epoch = data.getShort();
    long transactionNumber = data.getLong();
    boolean commit = data.get() == 1;
    int count = data.getInt();
    for (int i = 0; i < count; i++) {
      long topicId = data.getLong();
      int partition = data.getInt();
      PartitionLog log = partition(topicId, partition);
      if (log == null) {
        continue; // deleted since
      }
      log.transactions().end(producerId, transactionNumber, commit, log.logEndOffset());
      if (!commit) {
        producers.fence(producerId, epoch, topicId, partition);
      }
    }
    signal.fire();
    return Message.EMPTY;
  }

  private Message applyCreate(ByteBuffer data) {
    byte[] json = new byte[data.remaining()];
    data.get(json);
    PartitionSpec spec = Json.read(json, PartitionSpec.class);
    TopicPartitions t = topics.computeIfAbsent(spec.topicId(),
        id -> new TopicPartitions(id, spec.topic(), spec.config()));
    for (int p : spec.partitions()) {
      if (!t.logs.containsKey(p)) {
        Path partDir = dir.resolve(dirName(spec.topic(), spec.topicId()))
            .resolve(Integer.toString(p));
        t.logs.put(p, PartitionLog.open(partDir, spec.config()));
      }
    }
    LOG.info("{}: hosting partitions {} of topic '{}' (id {})", name, spec.partitions(),
        spec.topic(), spec.topicId());
    return Message.EMPTY;
  }

  private Message applyDelete(long topicId) {
    TopicPartitions t = topics.remove(topicId);
    if (t != null) {
      for (PartitionLog log : t.logs.values()) {
        log.delete();
      }
      try {
        Files.deleteIfExists(dir.resolve(dirName(t.topic, topicId)));
      } catch (IOException e) {
        LOG.warn("{}: cannot remove directory of deleted topic '{}': {}", name, t.topic,
            e.getMessage());
      }
      producers.removeTopic(topicId);
      LOG.info("{}: deleted the partitions of topic '{}' (id {})", name, t.topic, topicId);
    }
    signal.fire();
    return Message.EMPTY;
  }

  /**
   * Ratis calls this on the apply thread once {@code checkpoint.interval.entries} entries were
   * applied since the last checkpoint. It captures the end offsets and producer state as of the
   * last applied entry and hands the fsyncs to a background thread, so that applying (and with it
   * every acknowledgement) never waits for the disk. It returns the index of a checkpoint that has
   * become durable since the last call, or -1 when there is none: Ratis then purges the log only
   * up to what is on disk, and asks again after the next entries.
   */
  @Override
  public long takeSnapshot() {
    long completed = latestCheckpointIndex();
    if (completed > reportedCheckpointIndex) {
      reportedCheckpointIndex = completed;
      return completed;
    }
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() <= completed || !checkpointInFlight.isDone()) {
      return -1;
    }
    List<PartitionCheckpoint> parts = new ArrayList<>();
    List<PartitionLog> logs = new ArrayList<>();
    for (TopicPartitions t : topics.values()) {
      for (Map.Entry<Integer, PartitionLog> e : t.logs.entrySet()) {
        PartitionLog log = e.getValue();
        logs.add(log);
        log.transactions().prune(log.logStartOffset());
        parts.add(new PartitionCheckpoint(t.topicId, t.topic, e.getKey(), log.logEndOffset(),
            t.config, log.transactions().openTransactions(),
            log.transactions().abortedTransactions()));
      }
    }
    CheckpointManifest manifest = new CheckpointManifest(last.getTerm(), last.getIndex(), parts,
        producers.snapshot());
    checkpointInFlight = CompletableFuture.runAsync(() -> writeCheckpoint(last, logs, manifest),
        checkpointer);
    return -1;
  }

  /** fsyncs the partitions a checkpoint covers, then publishes its manifest. */
  private void writeCheckpoint(TermIndex last, List<PartitionLog> logs,
      CheckpointManifest manifest) {
    long startNanos = System.nanoTime();
    try {
      int flushed = 0;
      for (PartitionLog log : logs) {
        if (log.isClosed()) {
          continue; // its topic was deleted after the capture; the log replay deletes it again
        }
        log.flush();
        flushed++;
      }
      durableCheckpoint = SnapshotFiles.publish(storage, last, Json.write(manifest));
      LOG.info("{}: checkpoint at Raft index {}: {} partitions fsync'd in {} ms; the Raft log "
          + "before it can be purged", name, last.getIndex(), flushed,
          (System.nanoTime() - startNanos) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: checkpoint at Raft index {} failed, the next one retries: {}", name,
          last.getIndex(), e.toString());
    }
  }

  private long latestCheckpointIndex() {
    SingleFileSnapshotInfo latest = durableCheckpoint;
    return latest == null ? -1 : latest.getIndex();
  }

  /** Answers another member's rebuild queries: the latest checkpoint, and stored batches. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      ReplicaQuery q = Json.read(request.getContent().toByteArray(), ReplicaQuery.class);
      ByteBuffer reply;
      if (ReplicaQuery.CHECKPOINT.equals(q.type())) {
        SingleFileSnapshotInfo latest = durableCheckpoint;
        reply = ByteBuffer.wrap(latest == null ? new byte[0]
            : Files.readAllBytes(latest.getFile().getPath()));
      } else if (ReplicaQuery.READ.equals(q.type())) {
        PartitionLog log = partition(q.topicId(), q.partition());
        if (log == null) {
          throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception(name + " has no partition "
              + q.partition() + " of topic id " + q.topicId());
        }
        reply = ReplicaRebuild.read(log, q);
      } else {
        throw Errors.INVALID_REQUEST.exception("Unknown replica query " + q.type());
      }
      return CompletableFuture.completedFuture(
          Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Ratis calls this when the leader has purged Raft entries this replica still needs: its data
   * directory was wiped, or it was away while every other member checkpointed past it. The
   * replica copies the leader's latest checkpoint (partitions and producer state), publishes it
   * as its own, and Ratis then replays the leader's log after it.
   */
  @Override
  public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo,
      TermIndex firstTermIndexInLog) {
    if (!roleInfo.hasFollowerInfo() || !roleInfo.getFollowerInfo().hasLeaderInfo()) {
      return CompletableFuture.failedFuture(new IllegalStateException(name
          + ": asked to rebuild without a known leader"));
    }
    RaftPeerId leader = RaftPeerId.valueOf(
        roleInfo.getFollowerInfo().getLeaderInfo().getId().getId());
    CompletableFuture<TermIndex> declined = rebuildCheck.declineIfNotNeeded(name,
        getServer().getNow(null), getGroupId(), firstTermIndexInLog);
    if (declined != null) {
      LOG.info("{}: the leader {} asked for a rebuild, but this replica has committed up to its "
          + "first entry ({}); resuming from its log", name, leader, firstTermIndexInLog);
      return declined;
    }
    LOG.warn("{}: the leader {} no longer has the Raft entries this replica needs (its log starts "
        + "at {}); rebuilding this replica from the leader's checkpoint", name, leader,
        firstTermIndexInLog);
    return CompletableFuture.supplyAsync(() -> rebuildFrom(leader, firstTermIndexInLog),
        checkpointer);
  }

  private TermIndex rebuildFrom(RaftPeerId leader, TermIndex firstTermIndexInLog) {
    try {
      checkpointInFlight.join();
      closeLogs();
      Files.createDirectories(dir);
      List<PartitionLog> copies = new ArrayList<>();
      Set<Path> copied = new HashSet<>();
      CheckpointManifest m;
      try {
        m = ReplicaRebuild.copyFrom(name, leader, querier.get(), p -> {
          Path partitionDir = dir.resolve(dirName(p.topic(), p.topicId()))
              .resolve(Integer.toString(p.partition()));
          copied.add(partitionDir);
          PartitionLog log = PartitionLog.open(partitionDir, p.config());
          copies.add(log);
          return log;
        });
      } finally {
        copies.forEach(PartitionLog::close);
      }
      deletePartitionsOtherThan(copied);
      if (firstTermIndexInLog != null && m.index() + 1 < firstTermIndexInLog.getIndex()) {
        throw Errors.UNAVAILABLE.exception(name + ": the leader's checkpoint at index "
            + m.index() + " ends before its log starts at " + firstTermIndexInLog.getIndex()
            + "; retrying after its next checkpoint");
      }
      TermIndex at = TermIndex.valueOf(m.term(), m.index());
      durableCheckpoint = SnapshotFiles.publish(storage, at, Json.write(m));
      LOG.info("{}: rebuilt from leader {} up to Raft index {}", name, leader, m.index());
      pause(); // Ratis reloads a paused state machine, through reinitialize()
      return at;
    } catch (Exception e) {
      LOG.warn("{}: rebuilding from leader {} failed, Ratis retries: {}", name, leader,
          e.toString());
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  @Override
  public void close() throws IOException {
    super.close();
    checkpointer.shutdown();
    try {
      if (!checkpointer.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("{}: a checkpoint did not finish in 60 s; closing anyway", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeLogs();
  }

  private void closeLogs() {
    for (TopicPartitions t : topics.values()) {
      for (PartitionLog log : t.logs.values()) {
        log.close();
      }
    }
    topics.clear();
  }

  static String dirName(String topic, long topicId) {
    return topic + "@" + topicId;
  }

  /** Removes the partition directories of topics the leader's checkpoint no longer has. */
  private void deletePartitionsOtherThan(Set<Path> keep) throws IOException {
    try (DirectoryStream<Path> topicDirs = Files.newDirectoryStream(dir)) {
      for (Path topicDir : topicDirs) {
        if (!Files.isDirectory(topicDir)) {
          continue;
        }
        boolean empty = true;
        try (DirectoryStream<Path> partitions = Files.newDirectoryStream(topicDir)) {
          for (Path partition : partitions) {
            if (keep.contains(partition)) {
              empty = false;
            } else {
              deleteRecursively(partition);
            }
          }
        }
        if (empty) {
          deleteRecursively(topicDir);
        }
      }
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
        for (Path c : s) {
          deleteRecursively(c);
        }
      }
    }
    Files.deleteIfExists(p);
  }
}
