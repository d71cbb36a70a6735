package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.schema.RawSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.junit.jupiter.api.Test;

class ArrowUtilTest {

  @Test
  void copySurvivesChangesToTheSourceRoot() {
    try (BufferAllocator allocator = new RootAllocator()) {
      ArrowRecordBatch copy;
      try (BigIntVector ids = new BigIntVector("id", allocator)) {
        ids.allocateNew(3);
        for (int i = 0; i < 3; i++) {
          ids.set(i, 10 + i);
        }
        ids.setValueCount(3);
        try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(ids))) {
          root.setRowCount(3);
          copy = ArrowUtil.copy(root, allocator);
          ids.set(0, 999); // the caller reuses its root
        }
      }
      try (copy; VectorSchemaRoot read = VectorSchemaRoot.create(
          new org.apache.arrow.vector.types.pojo.Schema(List.of(
              org.apache.arrow.vector.types.pojo.Field.nullable("id",
                  new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)))), allocator)) {
        new VectorLoader(read).load(copy);
        BigIntVector v = (BigIntVector) read.getVector("id");
        assertThat(read.getRowCount()).isEqualTo(3);
        assertThat(v.get(0)).isEqualTo(10);
        assertThat(v.get(2)).isEqualTo(12);
        assertThat(ArrowUtil.sizeInBytes(copy)).isPositive();
      }
    }
  }

  @Test
  void metadataBuffersRoundTrip() {
    try (BufferAllocator allocator = new RootAllocator();
        ArrowBuf buf = ArrowUtil.buffer(allocator, "{\"partition\":1}".getBytes())) {
      assertThat(new String(ArrowUtil.bytes(buf))).isEqualTo("{\"partition\":1}");
    }
  }

  @Test
  void consumerBatchesIterateRecordsAndReleaseMemory() {
    try (BufferAllocator allocator = new RootAllocator()) {
      List<ProducerRecord> records = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        records.add(ProducerRecord.ofStrings("t", "k" + i, "v" + i));
      }
      VectorSchemaRoot root = RawRoots.build(allocator, records, new long[] {1, 2, 3, 4, 5});
      VectorSchemaRoot tail = root.slice(2, 3); // as if the position were offset 102
      root.close();
      ArrowBatch batch = new ArrowBatch(new TopicPartition("t", 1), 102, 1, 5, 200, true, tail);
      ConsumerBatches batches = new ConsumerBatches(List.of(batch));
      assertThat(batches.count()).isEqualTo(3);
      assertThat(batches.isEmpty()).isFalse();
      assertThat(batch.nextOffset()).isEqualTo(105);
      List<ConsumerRecord> out = new ArrayList<>();
      batches.forEach(out::add);
      assertThat(out).extracting(ConsumerRecord::offset).containsExactly(102L, 103L, 104L);
      assertThat(out).extracting(ConsumerRecord::valueAsString).containsExactly("v2", "v3", "v4");
      assertThat(out).extracting(ConsumerRecord::timestamp).containsExactly(3L, 4L, 5L);
      assertThat(batches.batches(new TopicPartition("t", 1))).containsExactly(batch);
      batches.close();
      assertThat(allocator.getAllocatedMemory()).isZero();
      batches.close(); // idempotent
      assertThat(ConsumerBatches.empty().isEmpty()).isTrue();
      assertThat(RawSchema.isRaw(tail.getSchema())).isTrue();
    }
  }
}
