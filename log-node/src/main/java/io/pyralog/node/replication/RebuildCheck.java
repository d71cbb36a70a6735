package io.pyralog.node.replication;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Declines a leader's request to rebuild this replica when the replica does not need it.
 *
 * <p>A leader asks for a rebuild when its view of where the member stands is behind the start of
 * its own log. That view can be stale: a member that just restarted may in fact have committed
 * the leader's first entry. Ratis then keeps the member in "snapshot install in progress" and
 * rejects every append until the leader sends a second request, which it never does once it
 * learns the member's real position. So the member would stop replicating for
 * good. Failing the request instead clears that state and replication resumes from the log. If
 * the leader asks again with the same first entry, it really cannot serve the member, and the
 * rebuild goes ahead.
 */
final class RebuildCheck {
  private TermIndex declined;

  /**
   * Null when the rebuild must go ahead; otherwise a failed future to hand back to Ratis, with
   * the reason.
   */
  synchronized CompletableFuture<TermIndex> declineIfNotNeeded(String name, RaftServer server,
      RaftGroupId group, TermIndex leaderFirst) {
    if (server == null || group == null || leaderFirst == null) {
      return null;
    }
    long committed;
    try {
      committed = server.getDivision(group).getRaftLog().getLastCommittedIndex();
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (!decline(committed, leaderFirst)) {
      return null;
    }
    return CompletableFuture.failedFuture(new IllegalStateException(name + ": no rebuild needed: "
        + "this replica has committed up to index " + committed + " and the leader's log starts "
        + "at " + leaderFirst.getIndex() + "; replicating from the log instead"));
  }

  /**
   * True when a replica that has committed up to {@code committed} should decline a rebuild from
   * a leader whose log starts at {@code leaderFirst}: it has committed that first entry itself, so
   * the leader can send it everything after it (a replica one entry short may hold a stale entry
   * of an old term there, which the leader, lacking the entry before, could never replace), and it
   * has not declined the same request already.
   */
  synchronized boolean decline(long committed, TermIndex leaderFirst) {
    if (leaderFirst.equals(declined) || committed < leaderFirst.getIndex()) {
      return false;
    }
    declined = leaderFirst;
    return true;
  }
}
