package io.pyralog.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.protocol.Json;
import io.pyralog.node.replication.CheckpointManifest.PartitionCheckpoint;
import io.pyralog.node.storage.LogConfig;
import io.pyralog.node.storage.PartitionLog;
import io.pyralog.node.storage.TestBatches;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copying a leader's checkpointed partitions to a member: the copy holds the same batches at the
 * same offsets, stops at the checkpoint's end offset, starts at the leader's log start, and
 * crosses read chunks and segment rolls.
 */
class ReplicaRebuildTest {
  private static final LogConfig CONFIG = new LogConfig(64 * 1024, Long.MAX_VALUE, -1, -1, 4096);

  @TempDir Path dir;

  @Test
  void copyHoldsTheLeadersBatchesUpToTheCheckpoint() throws Exception {
    PartitionLog leader = PartitionLog.open(dir.resolve("leader"), CONFIG);
    Random random = new Random(7);
    for (int i = 0; i < 400; i++) {
      leader.append(TestBatches.batch(1 + random.nextInt(20), 100 + random.nextInt(2000), i, i));
    }
    long checkpointEnd = leader.logEndOffset();
    for (int i = 0; i < 50; i++) { // after the checkpoint: the Raft log replays these
      leader.append(TestBatches.batch(5, 300, 1000 + i, i));
    }
    CheckpointManifest manifest = new CheckpointManifest(3, 1234,
        List.of(new PartitionCheckpoint(9, "t", 0, checkpointEnd, CONFIG)), List.of());

    List<ReplicaQuery> queries = new ArrayList<>();
    ReplicaRebuild.Querier querier = (server, q) -> {
      queries.add(q);
      if (ReplicaQuery.CHECKPOINT.equals(q.type())) {
        return ByteBuffer.wrap(Json.write(manifest));
      }
      // small chunks, so the copy takes many round trips
      return ReplicaRebuild.read(leader, new ReplicaQuery(q.type(), q.topicId(), q.partition(),
          q.offset(), q.endOffset(), 16 * 1024, null, null));
    };
    List<PartitionLog> copies = new ArrayList<>();
    CheckpointManifest copied = ReplicaRebuild.copyFrom("rs-test", RaftPeerId.valueOf("n1"),
        querier, p -> {
          PartitionLog log = PartitionLog.open(dir.resolve("member"), p.config());
          copies.add(log);
          return log;
        });

    assertThat(copied).isEqualTo(manifest);
    assertThat(queries.size()).as("read in several chunks").isGreaterThan(10);
    PartitionLog member = copies.get(0);
    assertThat(member.logStartOffset()).isEqualTo(leader.logStartOffset());
    assertThat(member.logEndOffset()).isEqualTo(checkpointEnd);
    assertSameBatches(leader, member, checkpointEnd);
    member.close();
    leader.close();
    // the same segments, byte for byte, up to the checkpoint
    try (Stream<Path> files = Files.list(dir.resolve("member"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        byte[] mine = Files.readAllBytes(f);
        byte[] theirs = Files.readAllBytes(dir.resolve("leader").resolve(f.getFileName()));
        assertThat(mine.length).isLessThanOrEqualTo(theirs.length);
        assertThat(java.util.Arrays.copyOf(theirs, mine.length)).isEqualTo(mine);
      }
    }
  }

  @Test
  void aMemberThatHasAPrefixGetsOnlyTheRest() throws Exception {
    PartitionLog leader = PartitionLog.open(dir.resolve("leader"), CONFIG);
    PartitionLog member = PartitionLog.open(dir.resolve("member"), CONFIG);
    Random random = new Random(11);
    for (int i = 0; i < 300; i++) {
      ByteBuffer batch = TestBatches.batch(1 + random.nextInt(20), 100 + random.nextInt(2000),
          i, i);
      leader.append(batch.duplicate());
      if (i < 120) { // the member applied the first 120 entries before it went away
        member.append(batch.duplicate());
      }
    }
    long memberEnd = member.logEndOffset();
    long checkpointEnd = leader.logEndOffset();
    CheckpointManifest manifest = new CheckpointManifest(4, 999,
        List.of(new PartitionCheckpoint(9, "t", 0, checkpointEnd, CONFIG)), List.of());
    List<ReplicaQuery> reads = new ArrayList<>();
    ReplicaRebuild.Querier querier = (server, q) -> {
      if (ReplicaQuery.CHECKPOINT.equals(q.type())) {
        return ByteBuffer.wrap(Json.write(manifest));
      }
      reads.add(q);
      return ReplicaRebuild.read(leader, q);
    };

    ReplicaRebuild.copyFrom("rs-test", RaftPeerId.valueOf("n1"), querier, p -> member);

    assertThat(reads.get(0).offset()).as("the first read starts at the member's end")
        .isEqualTo(memberEnd);
    assertThat(member.logEndOffset()).isEqualTo(checkpointEnd);
    assertSameBatches(leader, member, checkpointEnd);
    member.close();
    leader.close();
  }

  @Test
  void aMemberBehindTheLeadersRetentionIsCopiedWhole() throws Exception {
    PartitionLog leader = PartitionLog.open(dir.resolve("leader"), CONFIG);
    PartitionLog member = PartitionLog.open(dir.resolve("member"), CONFIG);
    for (int i = 0; i < 100; i++) {
      leader.append(TestBatches.batch(10, 500, i, i));
    }
    member.append(TestBatches.batch(10, 500, 0, 0));
    // the leader's retention removed the offsets after the member's end
    leader.resetTo(leader.logEndOffset());
    for (int i = 0; i < 50; i++) {
      leader.append(TestBatches.batch(10, 500, 100 + i, i));
    }
    long checkpointEnd = leader.logEndOffset();
    CheckpointManifest manifest = new CheckpointManifest(4, 999,
        List.of(new PartitionCheckpoint(9, "t", 0, checkpointEnd, CONFIG)), List.of());
    ReplicaRebuild.Querier querier = (server, q) -> ReplicaQuery.CHECKPOINT.equals(q.type())
        ? ByteBuffer.wrap(Json.write(manifest)) : ReplicaRebuild.read(leader, q);

    ReplicaRebuild.copyFrom("rs-test", RaftPeerId.valueOf("n1"), querier, p -> member);

    assertThat(member.logStartOffset()).isEqualTo(leader.logStartOffset()).isEqualTo(1000);
    assertThat(member.logEndOffset()).isEqualTo(checkpointEnd);
    assertThat(member.read(1000, checkpointEnd, Integer.MAX_VALUE))
        .isEqualTo(leader.read(1000, checkpointEnd, Integer.MAX_VALUE));
    member.close();
    leader.close();
  }

  /** The member holds the leader's batches, one for one, up to {@code end}. */
  private static void assertSameBatches(PartitionLog leader, PartitionLog member, long end) {
    List<ByteBuffer> expected = leader.read(0, end, Integer.MAX_VALUE);
    List<ByteBuffer> actual = member.read(0, end, Integer.MAX_VALUE);
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("batch %d", i).isEqualTo(expected.get(i));
    }
  }
}
