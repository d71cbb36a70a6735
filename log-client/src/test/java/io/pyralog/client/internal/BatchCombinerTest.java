package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.ProducerRecord;
import io.pyralog.common.schema.RawSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchCombinerTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close(); // fails the test if any buffer leaked
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private ArrowRecordBatch batch(List<ProducerRecord> records, long firstTimestamp) {
    long[] timestamps = new long[records.size()];
    for (int i = 0; i < timestamps.length; i++) {
      timestamps[i] = firstTimestamp + i;
    }
    try (VectorSchemaRoot root = RawRoots.build(allocator, records, timestamps)) {
      return new VectorUnloader(root).getRecordBatch();
    }
  }

  private static ProducerRecord record(String key, String value, Map<String, byte[]> headers) {
    return new ProducerRecord("t", null, utf8(key), utf8(value), headers, null);
  }

  /** key|value|headers|timestamp of every row of {@code data}. */
  private List<String> rows(ArrowRecordBatch data) {
    List<String> out = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator)) {
      new VectorLoader(root).load(data);
      RawRecords.Reader reader = new RawRecords.Reader(root);
      for (int i = 0; i < root.getRowCount(); i++) {
        ConsumerRecord r = reader.read("t", 0, i, i);
        StringBuilder headers = new StringBuilder();
        r.headers().forEach((k, v) -> headers.append(k).append('=').append(text(v)).append(';'));
        out.add(text(r.key()) + "|" + text(r.value()) + "|" + headers + "|" + r.timestamp());
      }
    }
    return out;
  }

  @Test
  void rowsOfEveryBatchFollowEachOtherUnchanged() {
    List<ArrowRecordBatch> batches = List.of(
        batch(List.of(record("a", "1", Map.of("h", utf8("x"))), record(null, "2", null)), 100),
        batch(List.of(record("b", null, null)), 200),
        batch(List.of(record("c", "3", null), record("d", "", Map.of("e", new byte[0])),
            record("", "5", null)), 300));
    List<String> expected = new ArrayList<>();
    for (ArrowRecordBatch b : batches) {
      expected.addAll(rows(b));
    }

    try (ArrowRecordBatch combined = BatchCombiner.combine(RawSchema.SCHEMA, allocator,
        batches)) {
      assertThat(combined.getLength()).isEqualTo(6);
      assertThat(rows(combined)).containsExactlyElementsOf(expected);
    }
    // the inputs are left as they were: a batch resent alone later still has its rows
    assertThat(rows(batches.get(2))).containsExactlyElementsOf(expected.subList(3, 6));
    batches.forEach(ArrowRecordBatch::close);
  }

  @Test
  void sizesThatAreNotMultiplesOfEightKeepTheirNulls() {
    List<ArrowRecordBatch> batches = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      List<ProducerRecord> records = new ArrayList<>();
      for (int i = 0; i < 3 + b * 5; i++) {
        records.add(record(i % 3 == 0 ? null : "k" + b + "-" + i, i % 4 == 0 ? null : "v" + i,
            null));
      }
      ArrowRecordBatch batch = batch(records, b * 1000L);
      expected.addAll(rows(batch));
      batches.add(batch);
    }

    try (ArrowRecordBatch combined = BatchCombiner.combine(RawSchema.SCHEMA, allocator,
        batches)) {
      assertThat(rows(combined)).containsExactlyElementsOf(expected);
    }
    batches.forEach(ArrowRecordBatch::close);
  }
}
