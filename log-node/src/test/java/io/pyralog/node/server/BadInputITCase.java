package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.schema.RawSchema;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of bad input gets a structured error naming the problem, and the node keeps
 * serving: after each case a valid write and read still succeed.
 */
class BadInputITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder()
      .option("message.max.bytes", "4096").build();

  static BufferAllocator allocator;
  static FlightClient client;

  @BeforeAll
  static void connect() {
    allocator = new RootAllocator();
    client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1",
        CLUSTER.port())).build();
    action("create-topic", "{\"name\":\"typed\",\"partitions\":2,\"schema\":"
        + "\"{\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"int64\\\"}]}\"}");
    action("create-topic", "{\"name\":\"raw\",\"partitions\":1}");
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
    allocator.close();
  }

  static String action(String type, String body) {
    return new String(client.doAction(new Action(type, body.getBytes(StandardCharsets.UTF_8)))
        .next().getBody(), StandardCharsets.UTF_8);
  }

  static ApiException error(Runnable r) {
    try {
      r.run();
    } catch (FlightRuntimeException e) {
      return Errors.fromFlight(e);
    }
    throw new AssertionError("expected an error");
  }

  static Schema typedSchema(String fieldName) {
    return new Schema(List.of(new Field(fieldName,
        FieldType.nullable(new ArrowType.Int(64, true)), null)));
  }

  /** Sends one batch of {@code rows} ids with the given app metadata; returns the ack JSON. */
  static List<String> put(String topic, Schema schema, int rows, String metadata) {
    List<String> acks = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener put =
          client.startPut(FlightDescriptor.path(topic), root, listener);
      root.allocateNew();
      for (int i = 0; i < rows; i++) {
        ((BigIntVector) root.getVector(0)).setSafe(i, i);
      }
      root.setRowCount(rows);
      if (metadata == null) {
        put.putNext();
      } else {
        byte[] md = metadata.getBytes(StandardCharsets.UTF_8);
        ArrowBuf buf = allocator.buffer(md.length);
        buf.writeBytes(md);
        put.putNext(buf);
      }
      put.completed();
      while (true) {
        PutResult next;
        try {
          next = listener.read();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(e);
        }
        if (next == null) {
          break;
        }
        try (PutResult r = next) {
          byte[] bytes = new byte[(int) r.getApplicationMetadata().readableBytes()];
          r.getApplicationMetadata().getBytes(0, bytes);
          acks.add(new String(bytes, StandardCharsets.UTF_8));
        }
      }
      listener.getResult();
    }
    return acks;
  }

  static long countRecords(String ticketJson) {
    long n = 0;
    try (FlightStream s = client.getStream(new Ticket(ticketJson.getBytes(StandardCharsets.UTF_8)))) {
      while (s.next()) {
        n += s.getRoot().getRowCount();
      }
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new RuntimeException(e);
    }
    return n;
  }

  /** The node still accepts and serves data. */
  static void nodeStillServes() {
    long before = countRecords("{\"topic\":\"typed\",\"partition\":0,\"offset\":-2}");
    List<String> acks = put("typed", typedSchema("id"), 3, "{\"partition\":0}");
    assertThat(acks).hasSize(1);
    assertThat(acks.get(0)).doesNotContain("error");
    assertThat(countRecords("{\"topic\":\"typed\",\"partition\":0,\"offset\":-2}"))
        .isEqualTo(before + 3);
  }

  @Test
  void unknownTopic() {
    ApiException e = error(() -> put("missing", typedSchema("id"), 1, null));
    assertThat(e.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    assertThat(e.getMessage()).contains("'missing'").contains("pyralog topic create");
    assertThat(error(() -> countRecords("{\"topic\":\"missing\",\"partition\":0}")).error())
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    assertThat(error(() -> action("describe-topic", "{\"name\":\"missing\"}")).error())
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    nodeStillServes();
  }

  @Test
  void unknownPartition() {
    List<String> acks = put("typed", typedSchema("id"), 1, "{\"partition\":7}");
    assertThat(acks).singleElement().asString()
        .contains("\"error\":\"UNKNOWN_TOPIC_OR_PARTITION\"").contains("partitions 0-1");
    ApiException e = error(() -> countRecords("{\"topic\":\"typed\",\"partition\":7}"));
    assertThat(e.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    nodeStillServes();
  }

  @Test
  void malformedRequests() {
    assertThat(error(() -> countRecords("{not json")).error()).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(error(() -> action("create-topic", "[1,2")).error())
        .isEqualTo(Errors.INVALID_REQUEST);
    assertThat(error(() -> action("no-such-action", "{}")).error())
        .isEqualTo(Errors.INVALID_REQUEST);
    ApiException e = error(() -> put("typed", typedSchema("id"), 1, "{partition:"));
    assertThat(e.error()).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("Malformed ProduceMetadata");
    List<String> empty = put("typed", typedSchema("id"), 0, "{\"partition\":0}");
    assertThat(empty).singleElement().asString().contains("INVALID_REQUEST")
        .contains("at least one record");
    nodeStillServes();
  }

  @Test
  void oversizedBatch() {
    List<String> acks = put("typed", typedSchema("id"), 2000, "{\"partition\":0}");
    assertThat(acks).singleElement().asString().contains("RECORD_TOO_LARGE")
        .contains("message.max.bytes");
    nodeStillServes();
  }

  @Test
  void schemaMismatchNamesTheField() {
    ApiException e = error(() -> put("typed", typedSchema("identifier"), 1, null));
    assertThat(e.error()).isEqualTo(Errors.SCHEMA_MISMATCH);
    assertThat(e.getMessage()).contains("'identifier'").contains("'id'");

    Schema wrongType = new Schema(List.of(new Field("id",
        FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(wrongType, allocator)) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener put =
          client.startPut(FlightDescriptor.path("typed"), root, listener);
      put.completed();
      ApiException e2 = error(listener::getResult);
      assertThat(e2.error()).isEqualTo(Errors.SCHEMA_MISMATCH);
      assertThat(e2.getMessage()).contains("field 'id' has type utf8")
          .contains("expects int64");
    }
    // A raw topic rejects a batch without its 'key' column first.
    Schema noKey = new Schema(RawSchema.SCHEMA.getFields().subList(1, 4));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(noKey, allocator)) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener put =
          client.startPut(FlightDescriptor.path("raw"), root, listener);
      ((VarBinaryVector) root.getVector("value")).allocateNew();
      put.completed();
      ApiException e3 = error(listener::getResult);
      assertThat(e3.error()).isEqualTo(Errors.SCHEMA_MISMATCH);
    }
    nodeStillServes();
  }

  @Test
  void invalidTopicNamesAndConfigs() {
    ApiException e = error(() -> action("create-topic", "{\"name\":\"bad name!\"}"));
    assertThat(e.error()).isEqualTo(Errors.INVALID_TOPIC);
    assertThat(e.getMessage()).contains("'bad name!'").contains("ASCII letters");
    assertThat(error(() -> action("create-topic", "{\"name\":\"..\"}")).error())
        .isEqualTo(Errors.INVALID_TOPIC);
    assertThat(error(() -> action("create-topic", "{\"name\":\"" + "x".repeat(250) + "\"}"))
        .error()).isEqualTo(Errors.INVALID_TOPIC);
    assertThat(error(() -> action("create-topic", "{\"name\":\"typed\"}")).error())
        .isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
    assertThat(error(() -> action("create-topic", "{\"name\":\"rf\",\"replicationFactor\":3}"))
        .error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    assertThat(error(() -> action("create-topic", "{\"name\":\"p0\",\"partitions\":0}"))
        .error()).isEqualTo(Errors.INVALID_REQUEST);
    ApiException badSchema = error(() -> action("create-topic",
        "{\"name\":\"s\",\"schema\":\"{\\\"fields\\\":[{\\\"name\\\":\\\"a\\\","
            + "\\\"type\\\":\\\"int99\\\"}]}\"}"));
    assertThat(badSchema.error()).isEqualTo(Errors.INVALID_CONFIG);
    assertThat(badSchema.getMessage()).contains("'a'").contains("int99");
    nodeStillServes();
  }

  @Test
  void offsetOutOfRange() {
    put("typed", typedSchema("id"), 5, "{\"partition\":1}");
    ApiException e = error(() -> countRecords(
        "{\"topic\":\"typed\",\"partition\":1,\"offset\":1000}"));
    assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    assertThat(e.getMessage()).contains("1000").contains("valid offsets are 0 to");
    assertThat(error(() -> countRecords("{\"topic\":\"typed\",\"partition\":1,\"offset\":-5}"))
        .error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    assertThat(error(() -> countRecords(
        "{\"topic\":\"typed\",\"partition\":1,\"offset\":0,\"columns\":[\"nope\"]}")).error())
        .isEqualTo(Errors.INVALID_REQUEST);
    nodeStillServes();
  }
}
