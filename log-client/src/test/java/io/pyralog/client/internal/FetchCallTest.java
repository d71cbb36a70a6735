package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.internal.ReadableBuffers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flight.impl.Flight;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** The DoGet reader's parsing of Flight's FlightData messages, as Flight's protobuf writes them. */
class FetchCallTest {
  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
      new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));

  /** A FlightData message as the node sends it: IPC header, app metadata, body. */
  private static byte[] recordBatchMessage(BufferAllocator allocator, int rows, byte[] metadata) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      root.allocateNew();
      for (int i = 0; i < rows; i++) {
        ((BigIntVector) root.getVector("id")).setSafe(i, i * 3L);
        ((VarCharVector) root.getVector("name")).setSafe(i, ("row-" + i).getBytes());
      }
      root.setRowCount(rows);
      try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
        ByteBuffer header = MessageSerializer.serializeMetadata(batch, IpcOption.DEFAULT);
        ByteString.Output body = ByteString.newOutput();
        for (int i = 0; i < batch.getBuffers().size(); i++) {
          byte[] bytes = new byte[(int) batch.getBuffersLayout().get(i).getSize()];
          batch.getBuffers().get(i).getBytes(0, bytes);
          long pad = batch.getBuffersLayout().get(i).getOffset() - body.size();
          body.write(new byte[(int) pad], 0, (int) pad);
          body.write(bytes, 0, bytes.length);
        }
        return Flight.FlightData.newBuilder()
            .setDataHeader(ByteString.copyFrom(header))
            .setAppMetadata(ByteString.copyFrom(metadata))
            .setDataBody(body.toByteString())
            .build().toByteArray();
      }
    }
  }

  private static void assertRows(VectorSchemaRoot root, int rows) {
    assertThat(root.getRowCount()).isEqualTo(rows);
    for (int i = 0; i < rows; i++) {
      assertThat(((BigIntVector) root.getVector("id")).get(i)).isEqualTo(i * 3L);
      assertThat(root.getVector("name").getObject(i).toString()).isEqualTo("row-" + i);
    }
  }

  /** gRPC's own message stream, which hands out its buffers without a copy. */
  private static InputStream grpcStream(byte[] message) {
    return ReadableBuffers.openStream(ReadableBuffers.wrap(ByteBuffer.wrap(message)), true);
  }

  @Test
  void readsABatchFromGrpcBuffersAndFromAPlainStream() {
    try (BufferAllocator allocator = new RootAllocator()) {
      FetchCall.FlightDataMarshaller marshaller = new FetchCall.FlightDataMarshaller(allocator);
      byte[] wire = recordBatchMessage(allocator, 500, "{\"partition\":3}".getBytes());
      for (InputStream in : List.of(grpcStream(wire), new ByteArrayInputStream(wire))) {
        try (FetchCall.FlightMessage m = marshaller.parse(in);
            VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
          assertThat(m.isRecordBatch()).isTrue();
          assertThat(m.isSchema()).isFalse();
          assertThat(new String(m.appMetadata())).isEqualTo("{\"partition\":3}");
          m.loadInto(root, allocator);
          assertRows(root, 500);
        }
      }
      assertThat(allocator.getAllocatedMemory()).as("bodies released with their vectors").isZero();
    }
  }

  @Test
  void readsTheSchemaMessageAndSkipsFieldsItDoesNotUse() {
    try (BufferAllocator allocator = new RootAllocator()) {
      ByteBuffer header = MessageSerializer.serializeMetadata(SCHEMA, IpcOption.DEFAULT);
      byte[] wire = Flight.FlightData.newBuilder()
          .setFlightDescriptor(Flight.FlightDescriptor.newBuilder()
              .setType(Flight.FlightDescriptor.DescriptorType.CMD)
              .setCmd(ByteString.copyFromUtf8("ignored")))
          .setDataHeader(ByteString.copyFrom(header))
          .build().toByteArray();
      try (FetchCall.FlightMessage m =
          new FetchCall.FlightDataMarshaller(allocator).parse(grpcStream(wire))) {
        assertThat(m.isSchema()).isTrue();
        assertThat(m.schema()).isEqualTo(SCHEMA);
        assertThat(m.appMetadata()).isNull();
      }
    }
  }

  @Test
  void aTruncatedMessageIsAnInternalErrorAndLeaksNothing() {
    try (BufferAllocator allocator = new RootAllocator()) {
      byte[] wire = recordBatchMessage(allocator, 100, new byte[] {1});
      byte[] cut = Arrays.copyOf(wire, wire.length - 10);
      assertThatThrownBy(() -> new FetchCall.FlightDataMarshaller(allocator).parse(
          grpcStream(cut)))
          .isInstanceOf(StatusRuntimeException.class)
          .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
              .isEqualTo(Status.Code.INTERNAL));
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }
}
