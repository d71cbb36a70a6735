package io.pyralog.node.replication;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.protocol.TermIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a replica set's in-sync followers close to its leader, so that a failover never waits
 * for a follower to catch up thousands of entries.
 *
 * <p>A write commits once a majority has it, so without a bound one slow follower can fall far
 * behind while the leader and the other follower commit. If that other follower then dies, the
 * set can commit nothing until the slow one has caught up. The gate holds the leader's next entry
 * back while an in-sync follower is more than {@code replica.lag.max.entries} behind.
 *
 * <p>In sync works as Kafka's ISR: a follower joins once it is within the bound, and leaves when
 * it is past the bound and its match index has not moved for {@code replica.lag.time.max.ms}
 * (it died, or it is stuck). So a dead follower holds writes back for at most that long, and a
 * returning follower never holds them back while it catches up. The gate only paces the leader:
 * what is acknowledged is decided by the Raft majority as before.
 */
public final class FollowerLagGate {
  private static final Logger LOG = LoggerFactory.getLogger(FollowerLagGate.class);
  private static final long PARK_NANOS = 200_000L;
  private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String name;
  private final Supplier<RaftServer.Division> division;
  private final long maxLagEntries;
  private final long lagTimeNanos;
  private final StuckFollowerRepair repair;
  private long term = -1;
  private RaftServer.Division namesOf;
  private IntFunction<String> names;
  private Follower[] followers = new Follower[0];

  /** What the gate remembers of one follower, by its position in the leader's follower list. */
  private static final class Follower {
    long matchIndex = -1;
    long progressNanos;
    boolean inSync;
  }

  /**
   * @param division the local division of the replica set, or null while it is not running
   * @param maxLagEntries how many Raft entries an in-sync follower may be behind; 0 disables
   */
  public FollowerLagGate(String name, Supplier<RaftServer.Division> division, long maxLagEntries,
      long lagTimeMs) {
    this.name = name;
    this.division = division;
    this.maxLagEntries = maxLagEntries;
    this.lagTimeNanos = TimeUnit.MILLISECONDS.toNanos(lagTimeMs);
    this.repair = new StuckFollowerRepair(name);
  }

  /**
   * Returns once no in-sync follower is too far behind, this node no longer leads the set, or
   * {@code running} turns false. Called by the single group-commit thread before each entry.
   */
  public void awaitOpen(BooleanSupplier running) {
    if (maxLagEntries <= 0) {
      RaftServer.Division d = leaderDivision();
      if (d != null) {
        repair.check(d, System.nanoTime());
      }
      return;
    }
    long start = 0;
    long reported = 0;
    while (running.getAsBoolean()) {
      long behind = slowestInSyncLag();
      if (behind <= maxLagEntries) {
        if (start != 0 && System.nanoTime() - start >= REPORT_NANOS) {
          LOG.info("{}: writes resume after {} ms held back for a slow follower", name,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        return;
      }
      long now = System.nanoTime();
      if (start == 0) {
        start = now;
        reported = now;
      } else if (now - reported >= REPORT_NANOS) {
        reported = now;
        LOG.info("{}: holding writes back for {} ms: an in-sync follower is {} entries behind "
            + "(replica.lag.max.entries={})", name, TimeUnit.NANOSECONDS.toMillis(now - start),
            behind, maxLagEntries);
      }
      LockSupport.parkNanos(PARK_NANOS);
    }
  }

  /** How far the slowest in-sync follower is behind, in entries; 0 when none is or not leader. */
  long slowestInSyncLag() {
    RaftServer.Division d = leaderDivision();
    if (d == null) {
      return 0;
    }
    repair.check(d, System.nanoTime());
    long[] match = d.getInfo().getFollowerMatchIndices();
    RaftLog log = d.getRaftLog();
    TermIndex last = log.getLastEntryTermIndex();
    if (last == null || match == null) {
      return 0;
    }
    if (namesOf != d) {
      // one naming function per division, not one per entry on this per-entry path
      namesOf = d;
      names = i -> followerName(d, i);
    }
    return slowestInSyncLag(d.getInfo().getCurrentTerm(), last.getIndex(), match,
        System.nanoTime(), names);
  }

  /** The local division while it leads the replica set, else null. */
  private RaftServer.Division leaderDivision() {
    RaftServer.Division d;
    try {
      d = division.get();
    } catch (RuntimeException e) {
      LOG.debug("{}: no Raft division to pace writes by: {}", name, e.toString());
      return null;
    }
    return d != null && d.getInfo().isLeader() ? d : null;
  }

  /**
   * The bookkeeping behind {@link #slowestInSyncLag()}: the leader's term and last log index,
   * each follower's match index (in the leader's follower order) and the time now.
   */
  long slowestInSyncLag(long currentTerm, long lastIndex, long[] match, long now,
      IntFunction<String> names) {
    if (currentTerm != term || followers.length != match.length) {
      // A new leadership: nobody is in sync until seen within the bound.
      term = currentTerm;
      followers = new Follower[match.length];
      for (int i = 0; i < match.length; i++) {
        followers[i] = new Follower();
      }
    }
    long slowest = 0;
    for (int i = 0; i < match.length; i++) {
      Follower f = followers[i];
      long lag = Math.max(0, lastIndex - match[i]);
      if (match[i] != f.matchIndex || lag <= maxLagEntries) {
        // being within the bound counts as progress: a follower only leaves while it is what
        // holds writes back, not after an idle spell
        f.matchIndex = match[i];
        f.progressNanos = now;
      }
      if (!f.inSync && lag <= maxLagEntries) {
        f.inSync = true;
      } else if (f.inSync && now - f.progressNanos > lagTimeNanos) {
        f.inSync = false;
        LOG.info("{}: follower {} has made no progress for {} ms and is {} entries behind; "
            + "writes no longer wait for it until it catches up", name, names.apply(i),
            TimeUnit.NANOSECONDS.toMillis(lagTimeNanos), lag);
      }
      if (f.inSync) {
        slowest = Math.max(slowest, lag);
      }
    }
    return slowest;
  }

  private static String followerName(RaftServer.Division d, int i) {
    try {
      return d.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfo(i).getId().getId()
          .toStringUtf8();
    } catch (RuntimeException e) {
      return "#" + (i + 1);
    }
  }
}
