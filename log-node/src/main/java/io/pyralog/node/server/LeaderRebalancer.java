package io.pyralog.node.server;

import io.pyralog.node.cluster.ReplicaSetSpec;
import io.pyralog.node.replication.Groups;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the leadership of each replica set back to its preferred leader, as Kafka's
 * {@code auto.leader.rebalance.enable} does, so that leaders, and the CPU they use, stay spread
 * over the nodes after failovers.
 *
 * <p>Every {@code leader.imbalance.check.interval.ms}, this node looks at the replica sets it
 * leads. Where the preferred leader is another node that is up and has committed within {@code
 * replica.lag.max.entries} of this leader, leadership is handed over to it through Ratis. The
 * hand-over is deliberately not immediate: a node that returns after a crash first catches up, and
 * a failover is not followed at once by a second change of leader.
 */
final class LeaderRebalancer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderRebalancer.class);
  private static final long TRANSFER_TIMEOUT_MS = 5_000;

  private final PyralogNode node;

  LeaderRebalancer(PyralogNode node) {
    this.node = node;
  }

  @Override
  public void run() {
    int self = node.config().nodeId();
    for (ReplicaSetSpec spec : node.layout().replicaSetsOf(self)) {
      int preferred = spec.preferredLeader();
      if (preferred == self || spec.replicationFactor() < 2) {
        continue;
      }
      try {
        rebalance(spec, preferred);
      } catch (Exception e) {
        LOG.debug("Leadership of {} not moved to n{}: {}", spec.name(), preferred, e.toString());
      }
    }
  }

  private void rebalance(ReplicaSetSpec spec, int preferred) throws Exception {
    RaftGroupId group = Groups.replicaSet(spec.index());
    RaftServer.Division d = node.clusterView().division(group);
    if (d == null || !d.getInfo().isLeader() || !node.clusterView().isUp(preferred)) {
      return;
    }
    long commit = d.getRaftLog().getLastCommittedIndex();
    long preferredCommit = -1;
    for (CommitInfoProto c : d.getCommitInfos()) {
      if (PyralogNode.nodeIdOf(RaftPeerId.valueOf(c.getServer().getId())) == preferred) {
        preferredCommit = c.getCommitIndex();
      }
    }
    if (preferredCommit < 0 || commit - preferredCommit > node.config().replicaLagMaxEntries()) {
      return; // it is still catching up; the next check will see
    }
    LOG.info("Moving the leadership of {} back to its preferred leader n{} (it has committed up "
        + "to {}, this leader {})", spec.name(), preferred, preferredCommit, commit);
    RaftClientReply r = node.groupClient(group).raftClient().admin()
        .transferLeadership(PyralogNode.peerId(preferred), TRANSFER_TIMEOUT_MS);
    if (!r.isSuccess()) {
      LOG.info("Leadership of {} stays here for now: {}", spec.name(),
          r.getException() == null ? "the transfer did not succeed" : r.getException().getMessage());
    }
  }
}
