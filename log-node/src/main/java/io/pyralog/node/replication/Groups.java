package io.pyralog.node.replication;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;

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

  /** This server's division of a group, or null when it is not a member or not running it. */
  public static RaftServer.Division division(RaftServer server, RaftGroupId id) {
    try {
      return server.getDivision(id);
    } catch (Exception e) {
      return null;
    }
  }

  private static RaftGroupId id(String name) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }
}
