package io.pyralog.node.replication;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits entries to a Raft group from any node, member or not: a Ratis client finds the leader
 * and follows it across elections, retrying for a bounded time. Used for the metadata group and
 * for the control entries of replica sets, which any node may need to write.
 */
public final class GroupClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupClient.class);

  private final RaftGroup group;
  private final TimeDuration requestTimeout;
  private final RetryPolicy retry;
  private volatile RaftClient client;

  public GroupClient(RaftGroup group) {
    this(group, TimeDuration.valueOf(3, TimeUnit.SECONDS),
        RetryPolicies.retryUpToMaximumCountWithFixedSleep(150,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)));
  }

  private GroupClient(RaftGroup group, TimeDuration requestTimeout, RetryPolicy retry) {
    this.group = group;
    this.requestTimeout = requestTimeout;
    this.retry = retry;
    this.client = newClient();
  }

  private RaftClient newClient() {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, requestTimeout);
    return RaftClient.newBuilder()
        .setRaftGroup(group)
        .setClientId(ClientId.randomId())
        .setProperties(p)
        .setParameters(new Parameters())
        .setRetryPolicy(retry)
        .build();
  }

  /**
   * Replaces a client whose ordered request window Ratis closed: after one request exhausts its
   * retries (a group without a leader for long), every later request on it fails at once.
   */
  private synchronized RaftClient renew(RaftClient closed) {
    if (client == closed) {
      LOG.info("The Raft client of group {} was closed after a failed request; opening a new "
          + "one", group.getGroupId());
      client = newClient();
      // others may still be using the old one (a blocking query): close it a while later
      CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES).execute(() -> {
        try {
          closed.close();
        } catch (IOException e) {
          LOG.debug("Closing the old client of group {}: {}", group.getGroupId(), e.toString());
        }
      });
    }
    return client;
  }

  private static boolean isClosed(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A client for questions to one member at a time that must be answered at once or not at all:
   * it never retries, and gives up after {@code timeoutMs}.
   */
  public static GroupClient askingOnce(RaftGroup group, long timeoutMs) {
    return new GroupClient(group, TimeDuration.valueOf(timeoutMs, TimeUnit.MILLISECONDS),
        RetryPolicies.noRetry());
  }

  public RaftClient raftClient() {
    return client;
  }

  /**
   * Completes with the state machine's reply once the entry is committed and applied. On a
   * client that Ratis closed, it is sent once more on a new client.
   */
  public CompletableFuture<ByteString> submit(byte[] entry) {
    RaftClient c = client;
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(entry));
    return c.async().send(message)
        .handle((r, t) -> {
          if (t != null && isClosed(t)) {
            return renew(c).async().send(message);
          }
          return t != null ? CompletableFuture.<RaftClientReply>failedFuture(t)
              : CompletableFuture.completedFuture(r);
        })
        .thenCompose(f -> f)
        .handle((r, t) -> {
          if (t != null) {
            throw RaftSubmitter.toApi(t);
          }
          if (!r.isSuccess()) {
            throw RaftSubmitter.toApi(r.getException());
          }
          return r.getMessage().getContent();
        });
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("Closing the client of group {}: {}", group.getGroupId(), e.toString());
    }
  }
}
