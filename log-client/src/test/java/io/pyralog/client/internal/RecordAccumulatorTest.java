package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.ProducerRecord;
import io.pyralog.client.RecordMetadata;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.errors.PyralogException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordAccumulatorTest {
  private static final TopicPartition TP = new TopicPartition("t", 0);
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private static ProducerRecord record(int valueBytes) {
    return new ProducerRecord("t", null, new byte[valueBytes]);
  }

  @Test
  void batchesCloseWhenFullAndANewOneStarts() {
    RecordAccumulator acc = new RecordAccumulator(100, 1000 * MS, 60_000 * MS);
    int size = record(40).sizeInBytes(); // 56 bytes
    var first = acc.append(TP, record(40), 1L, size, 0L, null);
    assertThat(first.newBatch()).isTrue();
    assertThat(first.batchFull()).isFalse();
    var second = acc.append(TP, record(40), 2L, size, 0L, null);
    assertThat(second.newBatch()).as("56 + 56 > 100 bytes").isTrue();
    assertThat(second.batchFull()).isTrue();

    ProducerBatch full = acc.pollReady(TP, 1L, false);
    assertThat(full).isNotNull();
    assertThat(full.recordCount()).isEqualTo(1);
    assertThat(acc.pollReady(TP, 1L, false)).as("second batch still lingers").isNull();
    assertThat(acc.pollReady(TP, 1000 * MS, false)).isNotNull();
    assertThat(acc.hasUnsent()).isFalse();
  }

  @Test
  void aRecordLargerThanTheBatchSizeGetsItsOwnBatch() {
    RecordAccumulator acc = new RecordAccumulator(100, 1000 * MS, 60_000 * MS);
    var r = acc.append(TP, record(500), 1L, record(500).sizeInBytes(), 0L, null);
    assertThat(r.batchFull()).isTrue();
    ProducerBatch b = acc.pollReady(TP, 0L, false);
    assertThat(b.recordCount()).isEqualTo(1);
  }

  @Test
  void lingerAndFlushMakeBatchesReady() {
    RecordAccumulator acc = new RecordAccumulator(1 << 20, 5 * MS, 60_000 * MS);
    acc.append(TP, record(1), 1L, 17, 0L, null);
    assertThat(acc.readyAtNanos(TP)).isEqualTo(5 * MS);
    assertThat(acc.pollReady(TP, 4 * MS, false)).isNull();
    acc.beginFlush();
    assertThat(acc.pollReady(TP, 4 * MS, false)).isNotNull();
    acc.endFlush();
    assertThat(acc.readyAtNanos(TP)).isEqualTo(-1L);
  }

  @Test
  void completedBatchesGiveOffsetsAndTimestampsPerRecord() throws Exception {
    RecordAccumulator acc = new RecordAccumulator(1 << 20, 0, 60_000 * MS);
    CompletableFuture<RecordMetadata> f0 = acc.append(TP, record(1), 111L, 17, 0L, null).future();
    CompletableFuture<RecordMetadata> f1 = acc.append(TP, record(1), 222L, 17, 0L, null).future();
    assertThat(acc.incompleteCount()).isEqualTo(1);
    ProducerBatch b = acc.pollReady(TP, 0L, false);
    b.seal();
    assertThat(b.isRaw()).isTrue();
    assertThat(b.run().records()).hasSize(2);
    assertThat(b.run().timestamps()).startsWith(111L, 222L);
    b.succeed(40L);
    assertThat(b.run()).as("records let go once acknowledged").isNull();
    acc.completed(b);
    assertThat(f0.get()).isEqualTo(new RecordMetadata("t", 0, 40L, 111L));
    assertThat(f1.get()).isEqualTo(new RecordMetadata("t", 0, 41L, 222L));
    assertThat(b.done).isDone();
    assertThat(acc.incompleteCount()).isZero();
  }

  @Test
  void callbacksGetTheRecordsMetadataOrTheError() {
    RecordAccumulator acc = new RecordAccumulator(1 << 20, 0, 60_000 * MS);
    List<RecordMetadata> stored = new java.util.ArrayList<>();
    acc.append(TP, record(1), 111L, 17, 0L, (md, e) -> stored.add(md));
    acc.append(TP, record(1), 222L, 17, 0L, null); // a record without a callback between
    acc.append(TP, record(1), 333L, 17, 0L, (md, e) -> stored.add(md));
    ProducerBatch b = acc.pollReady(TP, 0L, false);
    b.succeed(7L);
    assertThat(stored).containsExactly(new RecordMetadata("t", 0, 7L, 111L),
        new RecordMetadata("t", 0, 9L, 333L));

    List<Exception> failed = new java.util.ArrayList<>();
    acc.append(TP, record(1), 1L, 17, 0L, (md, e) -> {
      assertThat(md).isNull();
      failed.add(e);
    });
    acc.pollReady(TP, 0L, false).fail(Errors.REQUEST_TIMED_OUT.exception("late"));
    assertThat(failed).singleElement().isInstanceOf(ApiException.class);
  }

  @Test
  void expiredBatchesAreRemoved() {
    RecordAccumulator acc = new RecordAccumulator(1 << 20, 1000 * MS, 10 * MS);
    CompletableFuture<RecordMetadata> f = acc.append(TP, record(1), 1L, 17, 0L, null).future();
    assertThat(acc.expire(9 * MS)).isEmpty();
    List<ProducerBatch> expired = acc.expire(10 * MS);
    assertThat(expired).hasSize(1);
    expired.get(0).fail(Errors.REQUEST_TIMED_OUT.exception("late"));
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::join).hasCauseInstanceOf(ApiException.class);
    assertThat(acc.hasUnsent()).isFalse();
  }

  @Test
  void appendsFailOnceClosed() {
    RecordAccumulator acc = new RecordAccumulator(100, 0, 1000 * MS);
    acc.close();
    assertThatThrownBy(() -> acc.append(TP, record(1), 1L, 17, 0L, null))
        .isInstanceOf(PyralogException.class).hasMessageContaining("producer is closed");
  }

  @Test
  void memoryLimiterBlocksThenTimesOut() {
    MemoryLimiter memory = new MemoryLimiter(100);
    memory.reserve(60, System.nanoTime());
    assertThatThrownBy(() -> memory.reserve(60, System.nanoTime() + 20 * MS))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.REQUEST_TIMED_OUT))
        .hasMessageContaining("buffer.memory");
    memory.release(60);
    memory.reserve(100, System.nanoTime());
    assertThat(memory.used()).isEqualTo(100);
    assertThatThrownBy(() -> memory.reserve(101, System.nanoTime()))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(Errors.RECORD_TOO_LARGE));
  }
}
