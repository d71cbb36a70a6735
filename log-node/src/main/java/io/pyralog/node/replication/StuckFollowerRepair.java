package io.pyralog.node.replication;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.protocol.TermIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unsticks a follower that the leader of Ratis 3.3.0 can no longer replicate to.
 *
 * <p>A member restarted after it was killed while leading may still hold entries of its old term
 * that were never committed. When a heartbeat from the new leader happens to match, the member
 * answers with the end of that stale tail, and the leader takes it as the member's match index
 * (upstream bug RATIS-2605, fixed after 3.3.0). From then on the leader never sends entries below
 * that index, the member rejects every append, and it stays behind for good.
 *
 * <p>Once an answering follower's match index has not moved for {@link #STUCK_NANOS} while the
 * leader has entries it lacks, this lowers the leader's view of it, in steps 10 s apart while it
 * stays stuck. The leader never sends from below the match index it holds, but above it, it
 * follows the next index the follower answers with.
 * <ol>
 *   <li>To the commit index the follower reported: usually a common prefix of both logs, from
 *       which the follower replaces its stale tail.
 *   <li>To just before the start of the leader's log, so that the follower's own answers place
 *       it: its reported commit index was seen past the end of its log.
 *   <li>To before the start of the leader's log, so that the leader asks the follower again
 *       whether the rebuild it was asked for has finished: Ratis completes a rebuild only on such
 *       a second request.
 * </ol>
 * Lowering the leader's view of a follower is always safe: at worst it resends entries the
 * follower has, or asks again about a rebuild.
 *
 * <p>Ratis exposes no API for this, so the leader's follower list is reached by reflection; if
 * that fails (another Ratis version), the repair logs once and stays off.
 */
final class StuckFollowerRepair {
  private static final Logger LOG = LoggerFactory.getLogger(StuckFollowerRepair.class);
  static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long ANSWERING_MS = 3_000;
  private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String name;
  private final Map<String, long[]> progress = new HashMap<>();
  private long lastCheck;
  private boolean disabled;

  StuckFollowerRepair(String name) {
    this.name = name;
  }

  /** Checks the leader's followers, at most once a second. */
  void check(RaftServer.Division leader, long now) {
    if (disabled || now - lastCheck < CHECK_NANOS) {
      return;
    }
    lastCheck = now;
    TermIndex last = leader.getRaftLog().getLastEntryTermIndex();
    if (last == null) {
      return;
    }
    long start = leader.getRaftLog().getStartIndex();
    for (FollowerInfo f : followers(leader)) {
      String id = f.getId().toString();
      long match = f.getMatchIndex();
      long[] p = progress.get(id);
      if (p == null || p[0] != match || match >= last.getIndex()) {
        progress.put(id, new long[] {match, now, 0});
        continue;
      }
      boolean answering = f.getLastRpcResponseTime().elapsedTimeMs() < ANSWERING_MS;
      if (!answering || now - p[1] < STUCK_NANOS) {
        continue;
      }
      long attempts = p[2];
      String how;
      long target;
      if (attempts == 0) {
        how = "resending from its commit index " + f.getCommitIndex();
        target = f.getCommitIndex();
      } else if (attempts == 1) {
        how = "resending from the start of the log (" + start + ") as the follower directs";
        target = start - 1;
      } else {
        how = "asking it again whether its rebuild has finished (log start " + start + ")";
        target = start - 2;
      }
      // Never raise the leader's view of a follower: that could count it for a commit.
      target = Math.min(match, Math.max(-1, target));
      LOG.warn("{}: follower {} has answered but not advanced from index {} for {} s while the "
          + "log reaches {}; {}", name, id, match, TimeUnit.NANOSECONDS.toSeconds(now - p[1]),
          last.getIndex(), how);
      f.setSnapshotIndex(target);
      progress.put(id, new long[] {target, now, attempts + 1});
    }
  }

  private List<FollowerInfo> followers(RaftServer.Division leader) {
    try {
      Method getRole = method(leader.getClass(), "getRole");
      Object role = getRole.invoke(leader);
      Optional<?> state = (Optional<?>) method(role.getClass(), "getLeaderState").invoke(role);
      if (state.isEmpty()) {
        return List.of();
      }
      Object leaderState = state.get();
      Stream<?> appenders = (Stream<?>) method(leaderState.getClass(), "getLogAppenders")
          .invoke(leaderState);
      List<FollowerInfo> result = new ArrayList<>();
      appenders.forEach(a -> result.add(((LogAppender) a).getFollower()));
      return result;
    } catch (ReflectiveOperationException | RuntimeException e) {
      disabled = true;
      LOG.warn("{}: cannot inspect the leader's followers ({}); stuck followers will not be "
          + "repaired", name, e.toString());
      return List.of();
    }
  }

  private static Method method(Class<?> type, String name) throws NoSuchMethodException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == 0) {
          m.setAccessible(true);
          return m;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + "()");
  }
}
