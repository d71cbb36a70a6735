package io.pyralog.node.replication;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.record.BatchHeader;
import io.pyralog.node.replication.CheckpointManifest.PartitionCheckpoint;
import io.pyralog.node.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a replica set's partitions on a member whose data is gone or behind (a wiped data
 * directory, or a member that was away while the others purged the Raft log it needed): it copies
 * what it lacks of the leader's latest checkpoint, batch by batch, over Ratis read-only queries.
 * The copy holds the same batches at the same offsets; the Raft log after the checkpoint then
 * brings it up to date.
 */
public final class ReplicaRebuild {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaRebuild.class);
  static final int READ_BYTES = 4 << 20;

  /** Sends a query to one member and returns its reply. */
  public interface Querier {
    ByteBuffer query(RaftPeerId server, ReplicaQuery query) throws Exception;
  }

  private ReplicaRebuild() {}

  /**
   * A querier that goes through a group client of this node. A query to a given member is
   * answered by its state machine as it is (a stale read), without the leader's read-index
   * round: a leader elected while this member was behind is not ready to serve read-index
   * queries until this member has caught up, which it does through these very queries. What
   * they read (checkpoints, and stored batches up to a checkpoint) is committed.
   */
  public static Querier over(GroupClient client) {
    return (server, query) -> {
      Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(Json.write(query)));
      RaftClientReply reply = server == null ? client.raftClient().io().sendReadOnly(message)
          : client.raftClient().io().sendStaleRead(message, 0, server);
      if (!reply.isSuccess()) {
        throw RaftSubmitter.toApi(reply.getException());
      }
      return reply.getMessage().getContent().asReadOnlyByteBuffer();
    };
  }

  /**
   * Brings every partition of the leader's latest checkpoint into the partition logs made by
   * {@code open} (given each partition's checkpoint) and returns that checkpoint's manifest. The
   * caller publishes the manifest once the copies are durable.
   *
   * <p>A log that already holds data keeps it and gets only the batches after its end: whatever a
   * member applied was committed, so its log is a prefix of the leader's, batch for batch. A log
   * that does not continue the leader's (the leader's retention removed what follows it) is
   * emptied and copied whole.
   */
  static CheckpointManifest copyFrom(String name, RaftPeerId leader, Querier querier,
      Function<PartitionCheckpoint, PartitionLog> open) throws Exception {
    ByteBuffer m = querier.query(leader, ReplicaQuery.checkpoint());
    byte[] json = new byte[m.remaining()];
    m.get(json);
    if (json.length == 0) {
      throw Errors.UNAVAILABLE.exception(name + ": the leader " + leader
          + " has no checkpoint to copy yet");
    }
    CheckpointManifest manifest = Json.read(json, CheckpointManifest.class);
    long records = 0;
    long bytes = 0;
    long kept = 0;
    for (PartitionCheckpoint p : manifest.partitions()) {
      PartitionLog log = open.apply(p);
      if (log.logEndOffset() > p.endOffset()) {
        log.truncateTo(p.endOffset());
      }
      long offset = log.logEndOffset();
      boolean checked = false;
      while (!checked || offset < p.endOffset()) {
        ByteBuffer chunk = querier.query(leader, ReplicaQuery.read(p.topicId(), p.partition(),
            offset, p.endOffset(), READ_BYTES));
        long logStart = chunk.getLong();
        if (!checked) {
          checked = true;
          boolean continues = offset >= logStart && (!chunk.hasRemaining()
              || BatchHeader.baseOffset(chunk, chunk.position()) == offset);
          if (!continues) {
            log.resetTo(logStart);
            offset = logStart;
            continue;
          }
          kept += offset - log.logStartOffset();
        }
        if (!chunk.hasRemaining() && offset < p.endOffset()) {
          throw Errors.UNAVAILABLE.exception(name + ": the leader sent no batches for "
              + p.topic() + "-" + p.partition() + " at offset " + offset);
        }
        while (chunk.hasRemaining()) {
          int length = BatchHeader.batchLength(chunk, chunk.position());
          ByteBuffer batch = chunk.slice(chunk.position(), length).order(chunk.order());
          ByteBuffer copy = ByteBuffer.allocate(length).order(batch.order());
          copy.put(batch).flip();
          log.append(copy);
          chunk.position(chunk.position() + length);
          offset = BatchHeader.nextOffset(copy, 0);
          records += BatchHeader.recordCount(copy, 0);
          bytes += length;
        }
      }
      log.flush();
    }
    LOG.info("{}: copied {} records ({} bytes) of {} partitions from the checkpoint of leader {} "
        + "at Raft index {}; {} records this replica already had were kept", name, records,
        bytes, manifest.partitions().size(), leader, manifest.index(), kept);
    return manifest;
  }

  /** Answers a {@code read} query: [long logStart] then whole stored batches. */
  static ByteBuffer read(PartitionLog log, ReplicaQuery q) {
    long start = log.logStartOffset();
    // an offset before the log start (or -2) reads from the start; the reply says where that is
    long offset = Math.max(start, q.offset());
    java.util.List<ByteBuffer> batches = log.read(offset, q.endOffset(), q.maxBytes());
    int size = 8;
    for (ByteBuffer b : batches) {
      size += b.remaining();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putLong(start);
    for (ByteBuffer b : batches) {
      out.put(b.duplicate());
    }
    return out.flip();
  }
}
