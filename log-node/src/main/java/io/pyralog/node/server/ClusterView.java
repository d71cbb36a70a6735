package io.pyralog.node.server;

import io.pyralog.node.cluster.ClusterLayout;
import io.pyralog.node.cluster.PeerAddress;
import io.pyralog.node.cluster.PeerLiveness;
import io.pyralog.node.cluster.ReplicaSetSpec;
import io.pyralog.node.replication.Groups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node knows of the cluster: which nodes are up, who leads each replica set, and the
 * client address of every node. Leaders of the replica sets this node is a member of come from
 * its own Raft state; for the others it asks a live member, and keeps the answer for a moment.
 */
public final class ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
  private static final long LEADER_CACHE_NANOS = 500_000_000L;

  private final PyralogNode node;
  private final ClusterLayout layout;
  private final PeerLiveness liveness;
  private final Map<Integer, long[]> remoteLeaders = new ConcurrentHashMap<>();

  ClusterView(PyralogNode node) {
    this.node = node;
    this.layout = node.layout();
    this.liveness = new PeerLiveness(node.config().livenessTimeoutMs());
  }

  public ClusterLayout layout() {
    return layout;
  }

  public boolean isUp(int nodeId) {
    if (nodeId == node.config().nodeId()) {
      return true;
    }
    PeerAddress p = layout.node(nodeId);
    return p != null && liveness.isUp(p);
  }

  /** The ids of the nodes that are up, this one included. */
  public List<Integer> liveNodes() {
    List<Integer> live = new ArrayList<>();
    for (PeerAddress p : layout.nodes()) {
      if (isUp(p.nodeId())) {
        live.add(p.nodeId());
      }
    }
    return live;
  }

  public boolean isMetadataLeader() {
    RaftServer.Division d = division(Groups.metadata());
    return d != null && d.getInfo().isLeader();
  }

  /** The local Raft division of a group, or null when this node is not a member. */
  RaftServer.Division division(RaftGroupId id) {
    try {
      return node.raft().getDivision(id);
    } catch (Exception e) {
      return null;
    }
  }

  /** The node id of a replica set's leader, or -1 when none is known. */
  public int leaderNode(int replicaSet) {
    RaftServer.Division d = division(Groups.replicaSet(replicaSet));
    if (d != null) {
      RaftPeerId leader = d.getInfo().isLeader() ? d.getId() : d.getInfo().getLeaderId();
      return leader == null ? -1 : PyralogNode.nodeIdOf(leader);
    }
    long now = System.nanoTime();
    long[] cached = remoteLeaders.get(replicaSet);
    if (cached != null && now - cached[0] < LEADER_CACHE_NANOS) {
      return (int) cached[1];
    }
    int leader = askMembers(layout.replicaSet(replicaSet));
    remoteLeaders.put(replicaSet, new long[] {now, leader});
    return leader;
  }

  private int askMembers(ReplicaSetSpec spec) {
    if (spec == null) {
      return -1;
    }
    RaftGroupId id = Groups.replicaSet(spec.index());
    for (int member : spec.members()) {
      if (!isUp(member)) {
        continue;
      }
      try {
        GroupInfoReply info = node.groupClient(id).raftClient()
            .getGroupManagementApi(PyralogNode.peerId(member)).info(id);
        RoleInfoProto role = info.getRoleInfoProto();
        if (role.hasLeaderInfo()) {
          return member;
        }
        if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
          String leader = role.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
          if (!leader.isEmpty()) {
            return PyralogNode.nodeIdOf(RaftPeerId.valueOf(leader));
          }
        }
      } catch (Exception e) {
        LOG.debug("Cannot ask node {} for the leader of {}: {}", member, spec.name(),
            e.toString());
      }
    }
    return -1;
  }

  /** The client (Flight) address of a node, or null before it registered. */
  public String address(int nodeId) {
    if (nodeId == node.config().nodeId()) {
      return node.config().advertisedAddress();
    }
    return nodeId < 0 ? null : node.store().nodeAddresses().get(nodeId);
  }
}
