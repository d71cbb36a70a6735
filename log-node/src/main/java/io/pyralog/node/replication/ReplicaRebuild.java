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
 * Rebuilds a replica set's partitions on a member whose data is gone (a wiped data directory, or
 * a member that was away while the others purged the Raft log it needed): it copies the leader's
 * latest checkpoint, batch by batch, over Ratis read-only queries. The copy holds the same
 * batches at the same offsets; the Raft log after the checkpoint then brings it up to date.
 */
public final class ReplicaRebuild {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaRebuild.class);
  static final int READ_BYTES = 4 << 20;

  /** Sends a query to one member and returns its reply. */
  public interface Querier {
    ByteBuffer query(RaftPeerId server, ReplicaQuery query) throws Exception;
  }

  private ReplicaRebuild() {}

  /** A querier that goes through a group client of this node. */
  public static Querier over(GroupClient client) {
    return (server, query) -> {
      Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(Json.write(query)));
      RaftClientReply reply = server == null ? client.raftClient().io().sendReadOnly(message)
          : client.raftClient().io().sendReadOnly(message, server);
      if (!reply.isSuccess()) {
        throw RaftSubmitter.toApi(reply.getException());
      }
      return reply.getMessage().getContent().asReadOnlyByteBuffer();
    };
  }

  /**
   * Copies every partition of the leader's latest checkpoint into fresh partition logs made by
   * {@code open} (given each partition's directory) and returns that checkpoint's manifest. The
   * caller publishes the manifest once the copies are durable.
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
    for (PartitionCheckpoint p : manifest.partitions()) {
      PartitionLog log = open.apply(p);
      long offset = -2; // the leader's log start
      boolean first = true;
      while (first || offset < p.endOffset()) {
        ByteBuffer chunk = querier.query(leader, ReplicaQuery.read(p.topicId(), p.partition(),
            offset, p.endOffset(), READ_BYTES));
        long logStart = chunk.getLong();
        if (first) {
          log.resetTo(logStart);
          offset = logStart;
          first = false;
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
    LOG.info("{}: copied {} partitions ({} records, {} bytes) from the checkpoint of leader {} "
        + "at Raft index {}", name, manifest.partitions().size(), records, bytes, leader,
        manifest.index());
    return manifest;
  }

  /** Answers a {@code read} query: [long logStart] then whole stored batches. */
  static ByteBuffer read(PartitionLog log, ReplicaQuery q) {
    long start = log.logStartOffset();
    long offset = q.offset() < 0 ? start : q.offset();
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
