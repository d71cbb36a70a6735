package io.pyralog.node.replication;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Raft group ids. They are derived from fixed names, so every node of a cluster, and every
 * restart of a node, computes the same ids without coordination.
 */
public final class Groups {
  private Groups() {}

  public static RaftGroupId metadata() {
    return id("pyralog-metadata");
  }

  public static RaftGroupId replicaSet(int index) {
    return id("pyralog-replica-set-" + index);
  }

  public static String replicaSetName(int index) {
    return "rs-" + index;
  }

  private static RaftGroupId id(String name) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }
}
