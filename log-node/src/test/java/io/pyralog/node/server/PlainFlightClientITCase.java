package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.node.testing.PyralogClusterExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that knows nothing of Pyralog but the documented protocol: it uses only Arrow Flight
 * (flight-core) and hand-written JSON to create a typed topic, produce to it and read it back.
 */
class PlainFlightClientITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder().build();

  private static String action(FlightClient client, String type, String body) {
    Iterator<Result> results = client.doAction(new Action(type,
        body.getBytes(StandardCharsets.UTF_8)));
    return new String(results.next().getBody(), StandardCharsets.UTF_8);
  }

  @Test
  void producesAndConsumesWithOnlyFlightCore() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client = FlightClient.builder(allocator,
            Location.forGrpcInsecure("127.0.0.1", CLUSTER.port())).build()) {
      String created = action(client, "create-topic",
          "{\"name\":\"plain\",\"partitions\":2,\"schema\":\"{\\\"fields\\\":["
              + "{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"int64\\\"},"
              + "{\\\"name\\\":\\\"name\\\",\\\"type\\\":\\\"utf8\\\"}]}\"}");
      assertThat(created).contains("\"name\":\"plain\"").contains("\"partitions\":2");

      Schema schema = new Schema(List.of(
          new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
          new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
      List<String> acks = new ArrayList<>();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
        SyncPutListener listener = new SyncPutListener();
        FlightClient.ClientStreamListener put =
            client.startPut(FlightDescriptor.path("plain"), root, listener);
        for (int batch = 0; batch < 3; batch++) {
          BigIntVector id = (BigIntVector) root.getVector("id");
          VarCharVector name = (VarCharVector) root.getVector("name");
          root.allocateNew();
          for (int i = 0; i < 10; i++) {
            id.setSafe(i, batch * 10L + i);
            name.setSafe(i, ("row-" + (batch * 10 + i)).getBytes(StandardCharsets.UTF_8));
          }
          root.setRowCount(10);
          byte[] md = "{\"partition\":1}".getBytes(StandardCharsets.UTF_8);
          ArrowBuf buf = allocator.buffer(md.length);
          buf.writeBytes(md);
          put.putNext(buf);
          try (PutResult r = listener.read()) {
            byte[] bytes = new byte[(int) r.getApplicationMetadata().readableBytes()];
            r.getApplicationMetadata().getBytes(0, bytes);
            acks.add(new String(bytes, StandardCharsets.UTF_8));
          }
        }
        put.completed();
        listener.getResult();
      }
      assertThat(acks).containsExactly(
          "{\"partition\":1,\"baseOffset\":0,\"recordCount\":10}",
          "{\"partition\":1,\"baseOffset\":10,\"recordCount\":10}",
          "{\"partition\":1,\"baseOffset\":20,\"recordCount\":10}");

      FlightInfo info = client.getInfo(FlightDescriptor.path("plain"));
      assertThat(info.getEndpoints()).hasSize(2);
      assertThat(info.getSchema()).isEqualTo(schema);
      List<Long> ids = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (FlightEndpoint endpoint : info.getEndpoints()) {
        try (FlightStream stream = client.getStream(endpoint.getTicket())) {
          while (stream.next()) {
            VectorSchemaRoot r = stream.getRoot();
            for (int i = 0; i < r.getRowCount(); i++) {
              ids.add(((BigIntVector) r.getVector("id")).get(i));
              names.add(r.getVector("name").getObject(i).toString());
            }
          }
        }
      }
      assertThat(ids).hasSize(30);
      for (int i = 0; i < 30; i++) {
        assertThat(ids.get(i)).isEqualTo(i);
        assertThat(names.get(i)).isEqualTo("row-" + i);
      }

      // Projection and a bounded range through a hand-written ticket.
      String ticket = "{\"topic\":\"plain\",\"partition\":1,\"offset\":10,\"endOffset\":20,"
          + "\"columns\":[\"name\"]}";
      try (FlightStream stream = client.getStream(
          new org.apache.arrow.flight.Ticket(ticket.getBytes(StandardCharsets.UTF_8)))) {
        assertThat(stream.getSchema().getFields()).extracting(Field::getName)
            .containsExactly("name");
        List<String> projected = new ArrayList<>();
        while (stream.next()) {
          VectorSchemaRoot r = stream.getRoot();
          for (int i = 0; i < r.getRowCount(); i++) {
            projected.add(r.getVector(0).getObject(i).toString());
          }
        }
        assertThat(projected).hasSize(10).first().isEqualTo("row-10");
      }

      // A structured error for an unknown topic, carrying the Pyralog error name.
      assertThatThrownBy(() -> client.getInfo(FlightDescriptor.path("nope")))
          .isInstanceOf(FlightRuntimeException.class)
          .hasMessageContaining("[UNKNOWN_TOPIC_OR_PARTITION]")
          .hasMessageContaining("'nope'");
    }
  }
}
