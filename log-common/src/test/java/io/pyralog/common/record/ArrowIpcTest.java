package io.pyralog.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class ArrowIpcTest {
  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
      new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));

  private static byte[] sample(BufferAllocator allocator, int rows) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      root.allocateNew();
      for (int i = 0; i < rows; i++) {
        ((BigIntVector) root.getVector("id")).setSafe(i, i * 7L);
        ((VarCharVector) root.getVector("name")).setSafe(i, ("n" + i).getBytes());
      }
      root.setRowCount(rows);
      return ArrowIpc.serialize(root);
    }
  }

  private static void assertSample(VectorSchemaRoot root, int rows) {
    assertThat(root.getRowCount()).isEqualTo(rows);
    for (int i = 0; i < rows; i++) {
      assertThat(((BigIntVector) root.getVector("id")).get(i)).isEqualTo(i * 7L);
      assertThat(root.getVector("name").getObject(i).toString()).isEqualTo("n" + i);
    }
  }

  @Test
  void loadsFromArraysHeapSlicesAndDirectBuffers() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      byte[] payload = sample(allocator, 300);
      ArrowIpc.load(payload, root, allocator);
      assertSample(root, 300);

      // a payload in the middle of a larger heap buffer, as a stored batch behind its header
      ByteBuffer framed = ByteBuffer.allocate(payload.length + 100);
      framed.position(72);
      framed.put(payload);
      framed.position(72).limit(72 + payload.length);
      ArrowIpc.load(framed.slice(), root, allocator);
      assertSample(root, 300);

      ByteBuffer direct = ByteBuffer.allocateDirect(payload.length);
      direct.put(payload).flip();
      ArrowIpc.load(direct, root, allocator);
      assertSample(root, 300);
      assertThat(direct.position()).as("the caller's buffer is not consumed").isZero();
    }
  }

  @Test
  void truncatedPayloadIsACorruptRecord() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      byte[] payload = sample(allocator, 50);
      ByteBuffer cut = ByteBuffer.wrap(payload, 0, payload.length / 2);
      assertThatThrownBy(() -> ArrowIpc.load(cut, root, allocator))
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(Errors.CORRUPT_RECORD));
    }
  }

  @Test
  void loadsInPlaceFromArrowMemoryAndHoldsItUntilTheVectorsLetGo() {
    try (BufferAllocator allocator = new RootAllocator()) {
      byte[] payload = sample(allocator, 300);
      ArrowBuf stored = allocator.buffer(72 + payload.length);
      stored.setBytes(72, payload);
      try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
        ArrowIpc.loadInPlace(stored, 72, payload.length, root);
        assertSample(root, 300);
        long before = allocator.getAllocatedMemory();
        stored.close();
        assertThat(allocator.getAllocatedMemory())
            .as("the vectors still reference the stored memory, nothing was copied")
            .isEqualTo(before);
        assertSample(root, 300);
        // loading the next batch drops the root's references to the first
        ArrowBuf next = allocator.buffer(payload.length);
        next.setBytes(0, payload);
        ArrowIpc.loadInPlace(next, 0, payload.length, root);
        next.close();
        assertSample(root, 300);
      }
      assertThat(allocator.getAllocatedMemory()).as("every reference released").isZero();
    }
  }

  @Test
  void inPlaceLoadOfATruncatedPayloadIsACorruptRecordAndLeaksNothing() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      byte[] payload = sample(allocator, 50);
      try (ArrowBuf stored = allocator.buffer(payload.length)) {
        stored.setBytes(0, payload);
        assertThatThrownBy(() -> ArrowIpc.loadInPlace(stored, 0, payload.length / 2, root))
            .isInstanceOf(ApiException.class)
            .satisfies(e -> assertThat(((ApiException) e).error())
                .isEqualTo(Errors.CORRUPT_RECORD));
        assertThatThrownBy(() -> ArrowIpc.loadInPlace(stored, 8, payload.length - 8, root))
            .isInstanceOf(ApiException.class)
            .satisfies(e -> assertThat(((ApiException) e).error())
                .isEqualTo(Errors.CORRUPT_RECORD));
      }
    }
  }

  @Test
  void aBodyTooShortForItsHeaderIsACorruptRecordAndItsReferenceIsReleased() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      byte[] payload = sample(allocator, 50);
      Message header = MessageSerializer.readMessage(new ReadChannel(
          Channels.newChannel(new ByteArrayInputStream(payload)))).getMessage();
      ArrowBuf shortBody = allocator.buffer(8);
      assertThatThrownBy(() -> ArrowIpc.loadBody(header, shortBody, root))
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).error())
              .isEqualTo(Errors.CORRUPT_RECORD));
      assertThat(allocator.getAllocatedMemory()).as("loadBody released the reference it took")
          .isZero();
    }
  }
}
