package io.pyralog.node.replication;

import io.pyralog.node.server.NodeConfig;
import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Ratis settings sized for small machines: modest buffers and caches, large entries. */
public final class RatisProperties {
  private RatisProperties() {}

  public static RaftProperties create(NodeConfig config) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().resolve("raft").toFile()));
    GrpcConfigKeys.Server.setHost(p, config.host());
    GrpcConfigKeys.Server.setPort(p, config.raftPort());

    // One entry carries up to a whole produce request; a single batch may be message.max.bytes.
    int maxEntry = Math.max(config.entryMaxBytes(), config.messageMaxBytes()) + (1 << 20);
    SizeInBytes entryLimit = SizeInBytes.valueOf(2L * maxEntry);
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(4L * maxEntry));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(2L * maxEntry + 64));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, entryLimit);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(64L << 20));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(4L << 20));
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(64L << 20));
    RaftServerConfigKeys.Log.setQueueByteLimit(p, SizeInBytes.valueOf(128L << 20));
    RaftServerConfigKeys.Log.setQueueElementLimit(p, 4096);

    // Durability: an entry is acknowledged only after the log is fsync'd (never "unsafe" or
    // asynchronous flush); entries that arrive together share one sync.
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
    RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);

    // Checkpoints: a snapshot every N entries, then the log is purged up to it.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.checkpointIntervalEntries());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024L,
        config.checkpointIntervalEntries()));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    // A single node purges up to its checkpoint. A cluster member keeps what the slowest member
    // has not committed yet, so a follower that was down catches up from the log, and a
    // snapshot install (which carries no partition data) is never needed for it.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, !config.clustered());
    // ...and keeps one more checkpoint interval of entries, so that a member restarted within
    // that window resumes from the log instead of copying a checkpoint.
    if (config.clustered()) {
      RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, config.checkpointIntervalEntries());
    }
    // A checkpoint holds no partition data, so Ratis must never install one on a member that
    // fell behind the purged log. It tells the member's state machine instead, which copies the
    // leader's checkpointed partitions (ReplicaRebuild).
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);

    // Elections: low enough for about one-second failover, high enough not to flap when GC
    // pauses and a saturated 2-core machine delay heartbeats. 200-400 ms was measured too: about
    // 150 ms faster failover, but four times the elections under load, and under the test suite's
    // load replica sets went a minute without a leader (see docs/operations.md).
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p,
        TimeDuration.valueOf(50, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p,
        TimeDuration.valueOf(150, TimeUnit.MILLISECONDS));
    return p;
  }
}
