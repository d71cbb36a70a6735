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
  private final RaftClient client;

  public GroupClient(RaftGroup group) {
    this(group, TimeDuration.valueOf(3, TimeUnit.SECONDS),
        RetryPolicies.retryUpToMaximumCountWithFixedSleep(150,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)));
  }

  private GroupClient(RaftGroup group, TimeDuration requestTimeout, RetryPolicy retry) {
    this.group = group;
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, requestTimeout);
    this.client = RaftClient.newBuilder()
        .setRaftGroup(group)
        .setClientId(ClientId.randomId())
        .setProperties(p)
        .setParameters(new Parameters())
        .setRetryPolicy(retry)
        .build();
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

  /** Completes with the state machine's reply once the entry is committed and applied. */
  public CompletableFuture<ByteString> submit(byte[] entry) {
    return client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)))
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
