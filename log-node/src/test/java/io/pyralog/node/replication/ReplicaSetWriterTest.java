package io.pyralog.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The group commit's grouping, with the Raft group replaced by a submitter that holds each
 * entry until the test answers it (the produce and fault ITs run it over real Ratis).
 */
class ReplicaSetWriterTest {
  private static final long TOPIC = 7L;

  /** An entry as the writer submitted it: the partitions and sizes of its batches, in order. */
  private record Submitted(List<Integer> partitions, List<Integer> lengths,
      CompletableFuture<ByteString> reply) {
    /** Answers with batch {@code i} stored at offset {@code first + i}. */
    void answer(long first) {
      List<AppendResult> results = new ArrayList<>();
      for (int i = 0; i < partitions.size(); i++) {
        results.add(AppendResult.ok(first + i, 1));
      }
      reply.complete(ByteString.copyFrom(
          Json.write(new ReplicaSetEntry.BatchResults(results))));
    }
  }

  private static final class HeldSubmitter implements EntrySubmitter {
    final LinkedBlockingQueue<Submitted> entries = new LinkedBlockingQueue<>();

    @Override
    public CompletableFuture<ByteString> submit(byte[] entry) {
      ByteBuffer buf = ByteBuffer.wrap(entry);
      assertThat(buf.get()).isEqualTo(ReplicaSetEntry.BATCHES);
      int count = buf.getInt();
      List<Integer> partitions = new ArrayList<>();
      List<Integer> lengths = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        assertThat(buf.getLong()).isEqualTo(TOPIC);
        partitions.add(buf.getInt());
        int length = buf.getInt();
        lengths.add(length);
        buf.position(buf.position() + length);
      }
      assertThat(buf.remaining()).isZero();
      CompletableFuture<ByteString> reply = new CompletableFuture<>();
      entries.add(new Submitted(partitions, lengths, reply));
      return reply;
    }

    Submitted next() throws InterruptedException {
      Submitted s = entries.poll(10, TimeUnit.SECONDS);
      assertThat(s).as("an entry was submitted").isNotNull();
      return s;
    }
  }

  private static List<ReplicaSetWriter.Batch> batches(int count, int bytes) {
    List<ReplicaSetWriter.Batch> out = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      out.add(new ReplicaSetWriter.Batch(TOPIC, p, new byte[bytes + 3], bytes));
    }
    return out;
  }

  private static CompletableFuture<AppendResult> single(ReplicaSetWriter writer, int partition,
      int bytes) {
    return writer.appendAll(List.of(new ReplicaSetWriter.Batch(TOPIC, partition,
        new byte[bytes], bytes))).get(0);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void theBatchesOfAGroupGoOutInOneEntryAndEachGetsItsOwnResult() throws Exception {
    HeldSubmitter submitter = new HeldSubmitter();
    try (ReplicaSetWriter writer = new ReplicaSetWriter("t", submitter, 1 << 20, 8)) {
      // queued one by one, a drain running meanwhile would catch some of them in an entry
      for (int round = 0; round < 30; round++) {
        List<CompletableFuture<AppendResult>> results = writer.appendAll(batches(16, 1024));
        Submitted entry = submitter.next();
        assertThat(entry.partitions()).as("round " + round).isEqualTo(range(0, 16));
        assertThat(entry.lengths()).allMatch(l -> l == 1024);
        entry.answer(100L * round);
        for (int i = 0; i < 16; i++) {
          assertThat(results.get(i).get(10, TimeUnit.SECONDS).baseOffset())
              .isEqualTo(100L * round + i);
        }
      }
      assertThat(submitter.entries).isEmpty();
    }
  }

  @Test
  void aGroupLargerThanAnEntryIsSplitInOrderAndWhatFollowsComesAfterIt() throws Exception {
    HeldSubmitter submitter = new HeldSubmitter();
    try (ReplicaSetWriter writer = new ReplicaSetWriter("t", submitter, 4096, 1)) {
      // hold the only in-flight slot, so that everything below is queued before the drain
      CompletableFuture<AppendResult> first = single(writer, 99, 10);
      Submitted held = submitter.next();
      List<CompletableFuture<AppendResult>> group = writer.appendAll(batches(5, 1500));
      CompletableFuture<AppendResult> after = single(writer, 42, 100);
      held.answer(0);
      assertThat(first.get(10, TimeUnit.SECONDS).baseOffset()).isZero();

      Submitted e1 = submitter.next();
      assertThat(e1.partitions()).containsExactly(0, 1);
      e1.answer(10);
      Submitted e2 = submitter.next();
      assertThat(e2.partitions()).containsExactly(2, 3);
      e2.answer(20);
      Submitted e3 = submitter.next();
      // the rest of the group first; the single batch fits beside it
      assertThat(e3.partitions()).containsExactly(4, 42);
      e3.answer(30);
      assertThat(group.get(4).get(10, TimeUnit.SECONDS).baseOffset()).isEqualTo(30);
      assertThat(after.get(10, TimeUnit.SECONDS).baseOffset()).isEqualTo(31);
      assertThat(group.get(1).get().baseOffset()).isEqualTo(11);
    }
  }

  @Test
  void groupsAndSingleBatchesQueuedWhileAnEntryIsInFlightShareTheNextOne() throws Exception {
    HeldSubmitter submitter = new HeldSubmitter();
    try (ReplicaSetWriter writer = new ReplicaSetWriter("t", submitter, 1 << 20, 1)) {
      single(writer, 99, 10);
      Submitted held = submitter.next();
      writer.appendAll(batches(3, 10));
      single(writer, 42, 10);
      writer.appendAll(batches(2, 10));
      held.answer(0);
      assertThat(submitter.next().partitions()).containsExactly(0, 1, 2, 42, 0, 1);
    }
  }

  @Test
  void closingFailsWhatIsStillQueuedAsUnavailable() throws Exception {
    HeldSubmitter submitter = new HeldSubmitter();
    List<CompletableFuture<AppendResult>> queued;
    try (ReplicaSetWriter writer = new ReplicaSetWriter("t", submitter, 4096, 1)) {
      single(writer, 99, 10);
      submitter.next();
      queued = writer.appendAll(batches(4, 1500));
    }
    for (CompletableFuture<AppendResult> f : queued) {
      assertThat(f).isCompletedExceptionally();
      try {
        f.get();
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOfSatisfying(ApiException.class,
            a -> assertThat(a.error()).isEqualTo(Errors.UNAVAILABLE));
      }
    }
  }
}
