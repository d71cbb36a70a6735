package io.pyralog.node.server;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.node.cluster.ClusterLayout;
import io.pyralog.node.cluster.PeerAddress;
import io.pyralog.node.cluster.PeerLiveness;
import io.pyralog.node.cluster.ReplicaSetSpec;
import io.pyralog.node.replication.Groups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
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
  private static final long QUORUM_CACHE_NANOS = 200_000_000L;
  private final Map<Integer, long[]> remoteLeaders = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> quorum = new ConcurrentHashMap<>();

  ClusterView(PyralogNode node) {
    this.node = node;
    this.layout = node.layout();
    this.liveness = new PeerLiveness(node.config().livenessTimeoutMs());
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
    return Groups.division(node.raft(), id);
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

  /**
   * Fails with NOT_ENOUGH_REPLICAS when this node leads the replica set but fewer than a majority
   * of its members (itself included) have answered it recently, so that a write is refused at
   * once with the reason instead of waiting for a commit that cannot happen. The answer is cached
   * for a moment: the check runs for every batch.
   */
  public void requireQuorum(int replicaSet, Supplier<String> what) {
    long now = System.nanoTime();
    long[] cached = quorum.get(replicaSet);
    if (cached == null || now - cached[0] > QUORUM_CACHE_NANOS) {
      cached = new long[] {now, reachableMembers(replicaSet)};
      quorum.put(replicaSet, cached);
    }
    ReplicaSetSpec spec = layout.replicaSet(replicaSet);
    int members = spec.replicationFactor();
    int majority = members / 2 + 1;
    if (cached[1] >= 0 && cached[1] < majority) {
      throw Errors.NOT_ENOUGH_REPLICAS.exception(what.get() + " has " + cached[1] + " of " + members
          + " replicas reachable from its leader (node " + node.config().nodeId()
          + "); writes need a majority of " + majority + ". Start the stopped nodes of "
          + spec.name() + " " + spec.members());
    }
  }

  /** Members that answered the leader within the liveness timeout, or -1 when not leader. */
  private long reachableMembers(int replicaSet) {
    RaftServer.Division d = division(Groups.replicaSet(replicaSet));
    if (d == null || !d.getInfo().isLeader()) {
      return -1;
    }
    RoleInfoProto role = d.getInfo().getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return -1;
    }
    long reachable = 1; // the leader itself
    for (var follower : role.getLeaderInfo().getFollowerInfoList()) {
      if (follower.getLastRpcElapsedTimeMs() <= node.config().livenessTimeoutMs()) {
        reachable++;
      }
    }
    return reachable;
  }

  /** This node's view of every Raft group it is a member of. */
  public Actions.NodeStatus nodeStatus() {
    List<Actions.GroupStatus> groups = new ArrayList<>();
    RaftServer.Division metadata = division(Groups.metadata());
    if (metadata != null) {
      List<Integer> members = new ArrayList<>();
      layout.nodes().forEach(p -> members.add(p.nodeId()));
      groups.add(groupStatus("metadata", members, metadata));
    }
    for (ReplicaSetSpec spec : layout.replicaSetsOf(node.config().nodeId())) {
      RaftServer.Division d = division(Groups.replicaSet(spec.index()));
      if (d != null) {
        groups.add(groupStatus(spec.name(), spec.members(), d));
      }
    }
    return new Actions.NodeStatus(node.config().nodeId(), groups);
  }

  private static Actions.GroupStatus groupStatus(String name, List<Integer> members,
      RaftServer.Division d) {
    RaftPeerId leaderId = d.getInfo().isLeader() ? d.getId() : d.getInfo().getLeaderId();
    List<Actions.MemberCommit> commits = new ArrayList<>();
    if (d.getInfo().isLeader()) {
      for (CommitInfoProto c : d.getCommitInfos()) {
        commits.add(new Actions.MemberCommit(PyralogNode.nodeIdOf(
            RaftPeerId.valueOf(c.getServer().getId())), c.getCommitIndex()));
      }
    }
    var last = d.getRaftLog().getLastEntryTermIndex();
    return new Actions.GroupStatus(name, members.size(), members,
        d.getInfo().getCurrentRole().name(), leaderId == null ? -1 : PyralogNode.nodeIdOf(leaderId),
        d.getInfo().getCurrentTerm(), d.getRaftLog().getLastCommittedIndex(),
        d.getInfo().getLastAppliedIndex(), last == null ? -1 : last.getIndex(), commits);
  }

  /**
   * The client addresses of a replica set's members that have registered one, the leader
   * included, in the set's member order.
   */
  public List<String> replicaAddresses(int replicaSet) {
    ReplicaSetSpec spec = layout.replicaSet(replicaSet);
    if (spec == null) {
      return List.of(node.config().advertisedAddress());
    }
    List<String> result = new ArrayList<>(spec.members().size());
    for (int member : spec.members()) {
      String a = address(member);
      if (a != null) {
        result.add(a);
      }
    }
    return result;
  }

  /** The client (Flight) address of a node, or null before it registered. */
  public String address(int nodeId) {
    if (nodeId == node.config().nodeId()) {
      return node.config().advertisedAddress();
    }
    return nodeId < 0 ? null : node.store().nodeAddresses().get(nodeId);
  }
}
