package io.pyralog.node.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionReplyProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.util.ProtoUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an election at once in every Raft group whose leader's process has exited, instead of
 * waiting for the followers' election timeouts (which take one to two timeouts to notice a silent
 * leader).
 *
 * <p>Exactly one surviving member must start, or the candidates split the vote and all wait a
 * timeout. Each survivor asks the others for their last log entry (the logs no longer change: the
 * leader is gone) and starts only if its own log would win the vote: the most complete log, then
 * the higher Ratis priority (a voter with an equal log refuses a candidate of lower priority),
 * then the lower peer id. Every survivor computes the same answer. When the answers are unclear,
 * for example because another member is already a candidate, nothing is started and the usual
 * timeout election follows, so this can only make a failover faster.
 *
 * <p>The election is started through Ratis's own leadership hand-over request, sent on behalf of
 * the exited leader to this member. Ratis checks that the request names the current leader and
 * that this member's log is at least the leader's last entry it sends, which is this member's own.
 * Starting an election never risks safety in Raft, only availability: a needless one costs one
 * round of votes.
 */
public final class LeaderExitElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderExitElection.class);

  /** What a surviving member reported: its last log entry and its priority. */
  record Survivor(RaftPeerId id, TermIndex lastEntry, int priority) {}

  /** The survivor that would win the election: most complete log, higher priority, lower id. */
  static final Comparator<Survivor> WINNER_FIRST = Comparator
      .comparing(Survivor::lastEntry, Comparator.reverseOrder())
      .thenComparing(Survivor::priority, Comparator.reverseOrder())
      .thenComparing(s -> s.id().toString());

  private final RaftServer server;
  private final RaftClient peers;
  private final Executor executor;

  /**
   * @param server this node's Raft server
   * @param peers a client that can reach every node, used to ask the other members for their log
   * @param executor where the questions and the election request run
   */
  public LeaderExitElection(RaftServer server, RaftClient peers, Executor executor) {
    this.server = server;
    this.peers = peers;
    this.executor = executor;
  }

  /** Called when a node's process has exited: handles every group that it led. */
  public void onExit(RaftPeerId exited) {
    for (RaftGroupId group : server.getGroupIds()) {
      RaftServer.Division d = Groups.division(server, group);
      if (d != null && d.getInfo().isFollower() && exited.equals(d.getInfo().getLeaderId())) {
        executor.execute(() -> electIfBest(d, exited));
      }
    }
  }

  private void electIfBest(RaftServer.Division d, RaftPeerId exited) {
    try {
      TermIndex mine = d.getRaftLog().getLastEntryTermIndex();
      RaftPeer self = d.getGroup().getPeer(d.getId());
      if (mine == null || self == null) {
        return;
      }
      List<Survivor> survivors = new ArrayList<>();
      survivors.add(new Survivor(d.getId(), mine, self.getPriority()));
      for (RaftPeer p : d.getGroup().getPeers()) {
        if (p.getId().equals(d.getId()) || p.getId().equals(exited)) {
          continue;
        }
        Survivor other = ask(d.getGroup().getGroupId(), p);
        if (other == ABSTAIN) {
          LOG.debug("{}: {} is already electing; leaving the election to it", d.getMemberId(),
              p.getId());
          return;
        }
        if (other != null) {
          survivors.add(other);
        }
      }
      int majority = d.getGroup().getPeers().size() / 2 + 1;
      if (survivors.size() < majority) {
        return; // no election can succeed; the timeouts take over once members return
      }
      if (!winner(survivors).equals(d.getId())) {
        return;
      }
      if (!d.getInfo().isFollower() || !exited.equals(d.getInfo().getLeaderId())) {
        return; // something happened meanwhile
      }
      StartLeaderElectionReplyProto reply = server.startLeaderElection(request(d, exited, mine));
      if (reply.getServerReply().getSuccess()) {
        LOG.info("{}: leader {} exited; started an election at once (last entry {})",
            d.getMemberId(), exited, mine);
      } else {
        LOG.debug("{}: could not start an election at once; the election timeout will",
            d.getMemberId());
      }
    } catch (Exception e) {
      LOG.debug("{}: election after the exit of {} not started: {}", d.getMemberId(), exited,
          e.toString());
    }
  }

  /** The id of the survivor that should start the election. */
  static RaftPeerId winner(List<Survivor> survivors) {
    return survivors.stream().min(WINNER_FIRST).orElseThrow().id();
  }

  private static final Survivor ABSTAIN = new Survivor(RaftPeerId.valueOf("abstain"),
      TermIndex.valueOf(0, 0), 0);

  /** Another member's state; null when unreachable; ABSTAIN when it is no longer a follower. */
  private Survivor ask(RaftGroupId group, RaftPeer peer) {
    try {
      GroupInfoReply info = peers.getGroupManagementApi(peer.getId()).info(group);
      RoleInfoProto role = info.getRoleInfoProto();
      if (!role.hasFollowerInfo()) {
        return ABSTAIN;
      }
      return new Survivor(peer.getId(), TermIndex.valueOf(info.getLogInfoProto().getLastEntry()),
          peer.getPriority());
    } catch (Exception e) {
      return null;
    }
  }

  private static StartLeaderElectionRequestProto request(RaftServer.Division d, RaftPeerId exited,
      TermIndex lastEntry) {
    RaftRpcRequestProto rpc = RaftRpcRequestProto.newBuilder()
        .setRequestorId(exited.toByteString())
        .setReplyId(d.getId().toByteString())
        .setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(d.getGroup().getGroupId()))
        .build();
    return StartLeaderElectionRequestProto.newBuilder()
        .setServerRequest(rpc)
        .setLeaderLastEntry(lastEntry.toProto())
        .build();
  }
}
