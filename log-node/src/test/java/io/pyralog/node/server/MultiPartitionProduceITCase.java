package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.ProducerId;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.protocol.ProduceAck;
import io.pyralog.common.protocol.ProduceMetadata;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
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
 * A produce message that carries several partitions' batches ({@code parts}), as a plain Flight
 * client sends it: each part is stored in its own partition under its own sequence and answered
 * on its own, a bad part fails alone, and parts that do not add up to the rows fail the message
 * without storing anything.
 */
class MultiPartitionProduceITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder().build();

  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null)));

  static BufferAllocator allocator;
  static FlightClient client;

  /** Ids {@code firstId, firstId + 1, ...} for one partition, with its sequence or null. */
  record Part(int partition, Integer sequence, long firstId, int rows) {}

  @BeforeAll
  static void connect() {
    allocator = new RootAllocator();
    client = IdempotentProducerITCase.connect(allocator, CLUSTER.port());
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
    allocator.close();
  }

  static void createTopic(String name) {
    IdempotentProducerITCase.action(client, "create-topic", "{\"name\":\"" + name + "\",\"partitions\":3,\"schema\":"
        + "\"{\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"int64\\\"}]}\"}");
  }

  static ProduceMetadata metadataOf(List<Part> parts) {
    List<ProduceMetadata.Part> out = new ArrayList<>();
    for (Part p : parts) {
      out.add(new ProduceMetadata.Part(p.partition(), p.sequence(), p.rows()));
    }
    return ProduceMetadata.ofParts(out, null);
  }

  /**
   * Sends each message (its parts' ids one after another, with the given metadata) on one DoPut
   * stream, waiting for each ack before the next message; returns the acks.
   */
  static List<ProduceAck> put(FlightDescriptor descriptor, List<List<Part>> messages,
      List<ProduceMetadata> metadata) throws Exception {
    List<ProduceAck> acks = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener stream = client.startPut(descriptor, root, listener);
      for (int m = 0; m < messages.size(); m++) {
        root.allocateNew();
        BigIntVector id = (BigIntVector) root.getVector("id");
        int row = 0;
        for (Part p : messages.get(m)) {
          for (int i = 0; i < p.rows(); i++) {
            id.setSafe(row++, p.firstId() + i);
          }
        }
        root.setRowCount(row);
        acks.add(IdempotentProducerITCase.sendAndAwaitAck(allocator, stream, listener,
            Json.write(metadata.get(m))));
      }
      stream.completed();
      listener.getResult();
    }
    return acks;
  }

  static List<ProduceAck> put(FlightDescriptor descriptor, List<Part> message) throws Exception {
    return put(descriptor, List.of(message), List.of(metadataOf(message)));
  }

  /** Every id of the partition, in offset order. */
  static List<Long> ids(String topic, int partition) throws Exception {
    List<Long> out = new ArrayList<>();
    String ticket = "{\"topic\":\"" + topic + "\",\"partition\":" + partition + ",\"offset\":-2}";
    try (FlightStream s = client.getStream(new Ticket(ticket.getBytes(StandardCharsets.UTF_8)))) {
      while (s.next()) {
        BigIntVector id = (BigIntVector) s.getRoot().getVector("id");
        for (int i = 0; i < s.getRoot().getRowCount(); i++) {
          out.add(id.get(i));
        }
      }
    }
    return out;
  }

  static FlightDescriptor idempotentStream(String topic) {
    ProducerId producer = IdempotentProducerITCase.initProducerId(client);
    return FlightDescriptor.command(("{\"topic\":\"" + topic + "\",\"producerId\":"
        + producer.producerId() + ",\"producerEpoch\":" + producer.producerEpoch() + "}")
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void partsLandInTheirPartitionsAndAResentMessageIsStoredOnce() throws Exception {
    createTopic("parts");
    FlightDescriptor stream = idempotentStream("parts");
    List<Part> message = List.of(new Part(0, 0, 0, 2), new Part(1, 0, 100, 3),
        new Part(2, 0, 200, 1), new Part(1, 1, 103, 2));

    ProduceAck ack = put(stream, message).get(0);

    assertThat(ack.error()).isNull();
    assertThat(ack.recordCount()).isEqualTo(8);
    assertThat(ack.parts()).extracting(ProduceAck::partition).containsExactly(0, 1, 2, 1);
    assertThat(ack.parts()).extracting(ProduceAck::sequence).containsExactly(0, 0, 0, 1);
    assertThat(ack.parts()).extracting(ProduceAck::baseOffset).containsExactly(0L, 0L, 0L, 3L);
    assertThat(ack.parts()).extracting(ProduceAck::recordCount).containsExactly(2, 3, 1, 2);
    assertThat(ack.parts()).extracting(ProduceAck::error).containsOnlyNulls();
    assertThat(ids("parts", 0)).containsExactly(0L, 1L);
    assertThat(ids("parts", 1)).containsExactly(100L, 101L, 102L, 103L, 104L);
    assertThat(ids("parts", 2)).containsExactly(200L);

    // the same message again, as after a lost ack: every part is a duplicate of its sequence
    ProduceAck again = put(stream, message).get(0);

    assertThat(again.parts()).extracting(ProduceAck::baseOffset)
        .containsExactly(0L, 0L, 0L, 3L);
    assertThat(again.parts()).extracting(ProduceAck::error).containsOnlyNulls();
    assertThat(ids("parts", 0)).containsExactly(0L, 1L);
    assertThat(ids("parts", 1)).containsExactly(100L, 101L, 102L, 103L, 104L);
    assertThat(ids("parts", 2)).containsExactly(200L);
  }

  @Test
  void aBadPartFailsAloneAndTheOthersAreStored() throws Exception {
    createTopic("badpart");
    FlightDescriptor stream = FlightDescriptor.path("badpart");

    ProduceAck ack = put(stream, List.of(new Part(0, null, 10, 2), new Part(7, null, 70, 1),
        new Part(2, null, 20, 1))).get(0);

    assertThat(ack.parts()).hasSize(3);
    assertThat(ack.parts().get(0).error()).isNull();
    assertThat(ack.parts().get(1).partition()).isEqualTo(7);
    assertThat(ack.parts().get(1).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.name());
    assertThat(ack.parts().get(1).message()).contains("Partition 7", "partitions 0-2");
    assertThat(ack.parts().get(2).error()).isNull();
    assertThat(ids("badpart", 0)).containsExactly(10L, 11L);
    assertThat(ids("badpart", 1)).isEmpty();
    assertThat(ids("badpart", 2)).containsExactly(20L);
  }

  @Test
  void partsThatDoNotAddUpFailTheMessageAndTheStreamGoesOn() throws Exception {
    createTopic("mismatch");
    FlightDescriptor stream = FlightDescriptor.path("mismatch");
    List<Part> rows = List.of(new Part(0, null, 1, 2), new Part(1, null, 3, 2));
    // metadata that claims 3 rows for partition 1, where the batch holds 2
    ProduceMetadata wrong = ProduceMetadata.ofParts(List.of(new ProduceMetadata.Part(0, null, 2),
        new ProduceMetadata.Part(1, null, 3)), null);
    List<Part> good = List.of(new Part(1, null, 50, 1), new Part(2, null, 60, 1));

    List<ProduceAck> acks = put(stream, List.of(rows, good), List.of(wrong, metadataOf(good)));

    assertThat(acks.get(0).error()).isEqualTo(Errors.INVALID_REQUEST.name());
    assertThat(acks.get(0).message()).contains("add up to its 4 rows", "[2, 3]");
    assertThat(acks.get(0).parts()).isNull();
    assertThat(acks.get(1).parts()).extracting(ProduceAck::error).containsOnlyNulls();
    assertThat(ids("mismatch", 0)).isEmpty();
    assertThat(ids("mismatch", 1)).containsExactly(50L);
    assertThat(ids("mismatch", 2)).containsExactly(60L);
  }
}
