package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.ProducerRecord;
import io.pyralog.common.record.ArrowIpc;
import io.pyralog.common.schema.RawSchema;
import io.pyralog.common.schema.SchemaCompatibility;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RawRecordsTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close(); // fails the test if any buffer leaked
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordsRoundTripThroughArrowIpc() {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put("trace-id", utf8("abc123"));
    headers.put("empty", new byte[0]);
    headers.put("missing", null);
    List<ProducerRecord> records = List.of(
        new ProducerRecord("t", null, utf8("k1"), utf8("v1"), headers, null),
        new ProducerRecord("t", null, null, utf8("no key"), null, null),
        new ProducerRecord("t", null, utf8("tombstone"), null, null, null),
        new ProducerRecord("t", null, new byte[0], new byte[0], Map.of("h", utf8("x")), null));
    long[] timestamps = {1_700_000_000_000L, 1_700_000_000_001L, 5L, 0L};

    byte[] ipc;
    try (VectorSchemaRoot built = RawRoots.build(allocator, records, timestamps)) {
      assertThat(built.getRowCount()).isEqualTo(4);
      assertThat(SchemaCompatibility.mismatch(RawSchema.SCHEMA, built.getSchema())).isNull();
      ipc = ArrowIpc.serialize(built);
    }

    try (VectorSchemaRoot read = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator)) {
      ArrowIpc.load(ipc, read, allocator);
      assertThat(read.getRowCount()).isEqualTo(4);
      RawRecords.Reader reader = new RawRecords.Reader(read);
      List<ConsumerRecord> out = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        out.add(reader.read("t", 3, 100 + i, i));
      }

      ConsumerRecord r0 = out.get(0);
      assertThat(r0.topic()).isEqualTo("t");
      assertThat(r0.partition()).isEqualTo(3);
      assertThat(r0.offset()).isEqualTo(100);
      assertThat(r0.keyAsString()).isEqualTo("k1");
      assertThat(r0.valueAsString()).isEqualTo("v1");
      assertThat(r0.timestamp()).isEqualTo(1_700_000_000_000L);
      assertThat(r0.headers()).containsOnlyKeys("trace-id", "empty", "missing");
      assertThat(new ArrayList<>(r0.headers().keySet()))
          .containsExactly("trace-id", "empty", "missing");
      assertThat(r0.headers().get("trace-id")).isEqualTo(utf8("abc123"));
      assertThat(r0.headers().get("empty")).isEmpty();
      assertThat(r0.headers().get("missing")).isNull();

      ConsumerRecord r1 = out.get(1);
      assertThat(r1.key()).isNull();
      assertThat(r1.valueAsString()).isEqualTo("no key");
      assertThat(r1.headers()).isEmpty();
      assertThat(r1.offset()).isEqualTo(101);

      ConsumerRecord r2 = out.get(2);
      assertThat(r2.keyAsString()).isEqualTo("tombstone");
      assertThat(r2.value()).isNull();
      assertThat(r2.timestamp()).isEqualTo(5L);

      ConsumerRecord r3 = out.get(3);
      assertThat(r3.key()).isEmpty();
      assertThat(r3.value()).isEmpty();
      assertThat(r3.headers().get("h")).isEqualTo(utf8("x"));
      assertThat(r3.timestamp()).isZero();
    }
  }

  @Test
  void manyRecordsWithManyHeadersGrowTheVectors() {
    List<ProducerRecord> records = new ArrayList<>();
    long[] ts = new long[3000];
    for (int i = 0; i < 3000; i++) {
      Map<String, byte[]> h = new LinkedHashMap<>();
      for (int j = 0; j < i % 4; j++) {
        h.put("h" + j, utf8(i + ":" + j));
      }
      records.add(new ProducerRecord("t", null, utf8("key-" + i), utf8("value-" + i), h, null));
      ts[i] = i;
    }
    byte[] ipc;
    try (VectorSchemaRoot built = RawRoots.build(allocator, records, ts)) {
      ipc = ArrowIpc.serialize(built);
    }
    try (VectorSchemaRoot read = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator)) {
      ArrowIpc.load(ipc, read, allocator);
      RawRecords.Reader reader = new RawRecords.Reader(read);
      for (int i = 0; i < 3000; i++) {
        ConsumerRecord r = reader.read("t", 0, i, i);
        assertThat(r.keyAsString()).isEqualTo("key-" + i);
        assertThat(r.valueAsString()).isEqualTo("value-" + i);
        assertThat(r.timestamp()).isEqualTo(i);
        assertThat(r.headers()).hasSize(i % 4);
        for (int j = 0; j < i % 4; j++) {
          assertThat(new String(r.headers().get("h" + j), StandardCharsets.UTF_8))
              .isEqualTo(i + ":" + j);
        }
      }
    }
  }

  /**
   * The same records written by {@link RawRecords#write} and set through Arrow's own vectors
   * serialize to the same IPC bytes (validity, offsets, data and null counts), once loaded into
   * a root as the producer's put stream loads them.
   */
  @Test
  void writtenBatchesAreByteForByteWhatArrowsVectorsWrite() {
    List<ProducerRecord> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Map<String, byte[]> h = new LinkedHashMap<>();
      for (int j = 0; j < (i % 7 == 0 ? 2 : 0); j++) {
        h.put("h" + j, j == 1 && i % 14 == 0 ? null : utf8("v" + i));
      }
      byte[] key = i % 3 == 0 ? null : utf8("k" + i);
      byte[] value = i % 11 == 0 ? null : utf8("value-" + "x".repeat(i % 50));
      all.add(new ProducerRecord("t", null, key, value, h, null));
    }
    long[] ts = new long[all.size()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1_700_000_000_000L + i;
    }
    List<ProducerRecord> noHeaders = all.stream()
        .map(r -> new ProducerRecord("t", null, r.key(), r.value(), null, null)).toList();
    List<ProducerRecord> noKeys = all.stream()
        .map(r -> new ProducerRecord("t", null, null, r.value(), null, null)).toList();
    for (List<ProducerRecord> records : List.of(all, noHeaders, noKeys, all.subList(0, 1),
        all.subList(1, 9))) {
      assertThat(ipcOfWrite(List.of(new RawRecords.Run(records, ts))))
          .isEqualTo(ipcOfVectors(records, ts));
    }
    // several runs, one after another, as the parts of one message
    List<RawRecords.Run> runs = List.of(
        new RawRecords.Run(all.subList(0, 300), ts),
        new RawRecords.Run(all.subList(300, 301), Arrays.copyOfRange(ts, 300, 301)),
        new RawRecords.Run(all.subList(301, 1000), Arrays.copyOfRange(ts, 301, 1000)));
    assertThat(ipcOfWrite(runs)).isEqualTo(ipcOfVectors(all, ts));
  }

  private byte[] ipcOfWrite(List<RawRecords.Run> runs) {
    try (ArrowRecordBatch batch = RawRecords.write(allocator, runs);
        VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator)) {
      new VectorLoader(root).load(batch);
      return ArrowIpc.serialize(root);
    }
  }

  /** The records set one value at a time through Arrow's vectors: the reference. */
  private byte[] ipcOfVectors(List<ProducerRecord> records, long[] timestamps) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(RawSchema.SCHEMA, allocator)) {
      VarBinaryVector key = (VarBinaryVector) root.getVector(RawSchema.KEY);
      VarBinaryVector value = (VarBinaryVector) root.getVector(RawSchema.VALUE);
      MapVector headers = (MapVector) root.getVector(RawSchema.HEADERS);
      TimeStampVector timestamp = (TimeStampVector) root.getVector(RawSchema.TIMESTAMP);
      root.allocateNew();
      StructVector entries = (StructVector) headers.getDataVector();
      VarCharVector headerKey = entries.getChild(MapVector.KEY_NAME, VarCharVector.class);
      VarBinaryVector headerValue = entries.getChild(MapVector.VALUE_NAME, VarBinaryVector.class);
      for (int i = 0; i < records.size(); i++) {
        ProducerRecord r = records.get(i);
        if (r.key() == null) {
          key.setNull(i);
        } else {
          key.setSafe(i, r.key());
        }
        if (r.value() == null) {
          value.setNull(i);
        } else {
          value.setSafe(i, r.value());
        }
        int start = headers.startNewValue(i);
        int h = 0;
        for (Map.Entry<String, byte[]> e : r.headers().entrySet()) {
          int at = start + h++;
          entries.setIndexDefined(at);
          headerKey.setSafe(at, utf8(e.getKey()));
          if (e.getValue() == null) {
            headerValue.setNull(at);
          } else {
            headerValue.setSafe(at, e.getValue());
          }
        }
        headers.endValue(i, h);
        timestamp.setSafe(i, timestamps[i]);
      }
      root.setRowCount(records.size());
      return ArrowIpc.serialize(root);
    }
  }

  @Test
  void readerUsesFallbackTimestampWhenColumnIsProjectedAway() {
    List<ProducerRecord> records = List.of(ProducerRecord.ofStrings("t", "k", "v"));
    try (VectorSchemaRoot built = RawRoots.build(allocator, records, new long[] {7L});
        VectorSchemaRoot keyOnly = new VectorSchemaRoot(List.of(built.getVector("key")))) {
      keyOnly.setRowCount(1);
      ConsumerRecord r = new RawRecords.Reader(keyOnly).read("t", 0, 9, 0, 42L);
      assertThat(r.keyAsString()).isEqualTo("k");
      assertThat(r.value()).isNull();
      assertThat(r.headers()).isEmpty();
      assertThat(r.timestamp()).isEqualTo(42L);
    }
  }
}
