package io.pyralog.node.replication;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Submits entries to a Raft group hosted by this node's {@link RaftServer}, in process, without
 * a network hop. The future completes with the state machine's reply once the entry is committed
 * (durable on a majority) and applied.
 */
public final class RaftSubmitter implements EntrySubmitter {
  private final RaftServer server;
  private final RaftGroupId groupId;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  public RaftSubmitter(RaftServer server, RaftGroupId groupId) {
    this.server = server;
    this.groupId = groupId;
  }

  public RaftGroupId groupId() {
    return groupId;
  }

  @Override
  public CompletableFuture<ByteString> submit(byte[] entry) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(server.getId())
        .setGroupId(groupId)
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)))
        .setType(RaftClientRequest.writeRequestType())
        .build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          Errors.UNAVAILABLE.exception("Replica set unavailable: " + e.getMessage()));
    }
    return reply.handle((r, t) -> {
      if (t != null) {
        throw toApi(t);
      }
      if (!r.isSuccess()) {
        throw toApi(r.getException());
      }
      return r.getMessage().getContent();
    });
  }

  static ApiException toApi(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException api) {
      return api;
    }
    if (cause instanceof NotLeaderException nle) {
      return Errors.NOT_LEADER.exception("This node is not the leader of the replica set"
          + (nle.getSuggestedLeader() != null ? "; the leader is " + nle.getSuggestedLeader()
              .getId() : "") + ". Refresh metadata and retry.");
    }
    if (cause instanceof RaftException) {
      return Errors.UNAVAILABLE.exception("Replica set unavailable: " + cause.getMessage());
    }
    return Errors.UNKNOWN_SERVER_ERROR.exception(cause == null ? "unknown failure"
        : cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }
}
