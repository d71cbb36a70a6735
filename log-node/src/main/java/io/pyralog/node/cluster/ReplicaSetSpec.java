package io.pyralog.node.cluster;

import java.util.List;

/**
 * One replica set (Raft group) of the cluster layout.
 *
 * @param index global index; the Raft group id is derived from it
 * @param replicationFactor the number of members
 * @param members node ids of the members, the preferred leader first
 */
public record ReplicaSetSpec(int index, int replicationFactor, List<Integer> members) {

  public String name() {
    return "rs-" + index;
  }

  /** The node that should lead this set whenever it is up; leadership moves back to it. */
  public int preferredLeader() {
    return members.get(0);
  }

  public boolean hasMember(int nodeId) {
    return members.contains(nodeId);
  }
}
