package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.ProducerId;
import io.pyralog.common.protocol.FetchedBatch;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.protocol.ProduceAck;
import io.pyralog.node.testing.NodeProcess;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idempotent producer protocol as a plain Flight client sees it: a resent sequence is stored
 * once and answered with its original offsets, a sequence that skips ahead is refused, and the
 * producer state outlives a node restart (checkpoint plus Raft log replay).
 */
class IdempotentProducerITCase {
  // Frequent checkpoints, so a restart recovers producer state from a checkpoint and from the
  // Raft log entries after it.
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder()
      .option("checkpoint.interval.entries", "4").build();

  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null)));

  /** One fetched batch: its metadata and its ids. */
  record Fetched(long baseOffset, int recordCount, List<Long> ids) {}

  static FlightClient connect(BufferAllocator allocator) {
    return connect(allocator, CLUSTER.port());
  }

  static FlightClient connect(BufferAllocator allocator, int port) {
    return FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
  }

  static String action(FlightClient client, String type, String body) {
    return new String(client.doAction(new Action(type, body.getBytes(StandardCharsets.UTF_8)))
        .next().getBody(), StandardCharsets.UTF_8);
  }

  static void createTopic(FlightClient client, String name) {
    action(client, "create-topic", "{\"name\":\"" + name + "\",\"partitions\":2,\"schema\":"
        + "\"{\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"int64\\\"}]}\"}");
  }

  static ProducerId initProducerId(FlightClient client) {
    return Json.read(action(client, "init-producer-id", "").getBytes(StandardCharsets.UTF_8),
        ProducerId.class);
  }

  /** A batch to send: its sequence and the ids it holds. */
  record Batch(int sequence, long firstId, int rows) {}

  /**
   * Sends the batches to partition 1 on one idempotent DoPut stream, waiting for each ack before
   * the next batch, and returns the acks.
   */
  static List<ProduceAck> put(BufferAllocator allocator, FlightClient client, String topic,
      ProducerId producer, Batch... batches) throws Exception {
    return put(allocator, client, topic, producer, null, -1, batches);
  }

  /**
   * As above, on a stream of the transactional id's transaction {@code transactionNumber} when
   * the id is not null.
   */
  static List<ProduceAck> put(BufferAllocator allocator, FlightClient client, String topic,
      ProducerId producer, String transactionalId, long transactionNumber, Batch... batches)
      throws Exception {
    String descriptor = "{\"topic\":\"" + topic + "\",\"producerId\":" + producer.producerId()
        + ",\"producerEpoch\":" + producer.producerEpoch()
        + (transactionalId == null ? "" : ",\"transactionalId\":\"" + transactionalId + "\"")
        + "}";
    List<ProduceAck> acks = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener stream = client.startPut(
          FlightDescriptor.command(descriptor.getBytes(StandardCharsets.UTF_8)), root, listener);
      for (Batch b : batches) {
        root.allocateNew();
        BigIntVector id = (BigIntVector) root.getVector("id");
        for (int i = 0; i < b.rows(); i++) {
          id.setSafe(i, b.firstId() + i);
        }
        root.setRowCount(b.rows());
        byte[] md = ("{\"partition\":1,\"sequence\":" + b.sequence()
            + (transactionalId == null ? "" : ",\"transactionNumber\":" + transactionNumber)
            + "}").getBytes(StandardCharsets.UTF_8);
        acks.add(sendAndAwaitAck(allocator, stream, listener, md));
      }
      stream.completed();
      listener.getResult();
    }
    return acks;
  }

  /** Sends the stream's current batch with app metadata {@code md} and waits for its ack. */
  static ProduceAck sendAndAwaitAck(BufferAllocator allocator,
      FlightClient.ClientStreamListener stream, SyncPutListener listener, byte[] md)
      throws Exception {
    ArrowBuf buf = allocator.buffer(md.length);
    buf.writeBytes(md);
    stream.putNext(buf);
    try (PutResult r = listener.read()) {
      byte[] bytes = new byte[(int) r.getApplicationMetadata().readableBytes()];
      r.getApplicationMetadata().getBytes(0, bytes);
      return Json.read(bytes, ProduceAck.class);
    }
  }

  /** Every batch of partition 1, as stored. */
  static List<Fetched> readPartition(FlightClient client, String topic) throws Exception {
    List<Fetched> out = new ArrayList<>();
    String ticket = "{\"topic\":\"" + topic + "\",\"partition\":1,\"offset\":-2}";
    try (FlightStream s = client.getStream(new Ticket(ticket.getBytes(StandardCharsets.UTF_8)))) {
      while (s.next()) {
        ArrowBuf md = s.getLatestMetadata();
        byte[] bytes = new byte[(int) md.readableBytes()];
        md.getBytes(0, bytes);
        FetchedBatch meta = Json.read(bytes, FetchedBatch.class);
        BigIntVector id = (BigIntVector) s.getRoot().getVector("id");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < s.getRoot().getRowCount(); i++) {
          ids.add(id.get(i));
        }
        out.add(new Fetched(meta.baseOffset(), meta.recordCount(), ids));
      }
    }
    return out;
  }

  static List<Long> ids(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void resentSequenceIsStoredOnceAndSkippedSequenceIsRefused() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client = connect(allocator)) {
      createTopic(client, "idem");
      ProducerId producer = initProducerId(client);
      ProducerId other = initProducerId(client);
      assertThat(producer.producerId()).isNotEqualTo(other.producerId());
      assertThat(producer.producerEpoch()).isZero();

      List<ProduceAck> acks = put(allocator, client, "idem", producer,
          new Batch(0, 0, 5), new Batch(1, 5, 5), new Batch(1, 5, 5));
      assertThat(acks).containsExactly(
          ProduceAck.ok(1, 0, 0, 5),
          ProduceAck.ok(1, 1, 5, 5),
          ProduceAck.ok(1, 1, 5, 5));

      // A resend on a new stream (as after a lost connection) is deduplicated too.
      assertThat(put(allocator, client, "idem", producer, new Batch(1, 5, 5)))
          .containsExactly(ProduceAck.ok(1, 1, 5, 5));

      List<ProduceAck> skipped = put(allocator, client, "idem", producer, new Batch(5, 100, 3));
      assertThat(skipped).hasSize(1);
      assertThat(skipped.get(0).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE.name());
      assertThat(skipped.get(0).baseOffset()).isEqualTo(-1);
      assertThat(skipped.get(0).message()).contains("skips ahead").contains("expected 2");

      assertThat(readPartition(client, "idem")).containsExactly(
          new Fetched(0, 5, ids(0, 5)),
          new Fetched(5, 5, ids(5, 10)));

      // The next sequence is accepted after the refusal, and another producer is independent.
      assertThat(put(allocator, client, "idem", producer, new Batch(2, 10, 2)))
          .containsExactly(ProduceAck.ok(1, 2, 10, 2));
      assertThat(put(allocator, client, "idem", other, new Batch(0, 12, 1)))
          .containsExactly(ProduceAck.ok(1, 0, 12, 1));
      assertThat(readPartition(client, "idem")).containsExactly(
          new Fetched(0, 5, ids(0, 5)),
          new Fetched(5, 5, ids(5, 10)),
          new Fetched(10, 2, ids(10, 12)),
          new Fetched(12, 1, ids(12, 13)));
    }
  }

  @Test
  void producerStateSurvivesRestart() throws Exception {
    ProducerId early;
    ProducerId late;
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client = connect(allocator)) {
      createTopic(client, "idem-restart");
      early = initProducerId(client);
      late = initProducerId(client);
      // Enough entries for several checkpoints, then a few more that only the Raft log holds.
      List<Batch> batches = new ArrayList<>();
      for (int seq = 0; seq < 12; seq++) {
        batches.add(new Batch(seq, seq * 2L, 2));
      }
      List<ProduceAck> acks = put(allocator, client, "idem-restart", early,
          batches.toArray(new Batch[0]));
      assertThat(acks).extracting(ProduceAck::baseOffset)
          .containsExactlyElementsOf(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L,
              22L));
      assertThat(put(allocator, client, "idem-restart", late, new Batch(0, 24, 3),
          new Batch(1, 27, 3))).extracting(ProduceAck::baseOffset).containsExactly(24L, 27L);
    }

    CLUSTER.restart();

    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client = connect(allocator)) {
      // Resending the last sequences is still deduplicated, with the original offsets.
      assertThat(put(allocator, client, "idem-restart", early, new Batch(11, 22, 2)))
          .containsExactly(ProduceAck.ok(1, 11, 22, 2));
      assertThat(put(allocator, client, "idem-restart", late, new Batch(1, 27, 3)))
          .containsExactly(ProduceAck.ok(1, 1, 27, 3));
      // ...and so is an older one still remembered, while a gap is still refused.
      assertThat(put(allocator, client, "idem-restart", early, new Batch(9, 18, 2)))
          .containsExactly(ProduceAck.ok(1, 9, 18, 2));
      assertThat(put(allocator, client, "idem-restart", late, new Batch(3, 99, 1)).get(0).error())
          .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE.name());
      // The next sequences carry on at the log end.
      assertThat(put(allocator, client, "idem-restart", early, new Batch(12, 30, 1)))
          .containsExactly(ProduceAck.ok(1, 12, 30, 1));
      assertThat(put(allocator, client, "idem-restart", late, new Batch(2, 31, 1)))
          .containsExactly(ProduceAck.ok(1, 2, 31, 1));

      List<Fetched> stored = readPartition(client, "idem-restart");
      List<Long> all = new ArrayList<>();
      stored.forEach(f -> all.addAll(f.ids()));
      assertThat(all).isEqualTo(ids(0, 32));
      assertThat(stored).extracting(Fetched::baseOffset).containsExactly(0L, 2L, 4L, 6L, 8L,
          10L, 12L, 14L, 16L, 18L, 20L, 22L, 24L, 27L, 30L, 31L);

      // New producer ids keep coming from the restored metadata: never a reused one.
      ProducerId fresh = initProducerId(client);
      assertThat(fresh.producerId()).isNotIn(early.producerId(), late.producerId());
    }
  }

  /**
   * A clean stop checkpoints everything; after {@code kill -9} without any checkpoint the
   * producer state exists only in the Raft log, so deduplicating the resent batches proves the
   * log replay restores it. (Checkpoints run in the background, so with frequent ones a kill may
   * or may not leave entries after the last; the restart test above covers checkpoints.)
   */
  @Test
  void producerStateSurvivesKillDashNine() throws Exception {
    Path dataDir = Files.createTempDirectory("pyralog-idem-kill-");
    int[] free = PyralogClusterExtension.freePorts(2);
    int port = free[0];
    int raftPort = free[1];
    List<String> options = List.of("-X", "checkpoint.interval.entries=100000");
    NodeProcess node = new NodeProcess(dataDir, port, raftPort, options).start();
    try {
      ProducerId producer;
      try (BufferAllocator allocator = new RootAllocator();
          FlightClient client = connect(allocator, port)) {
        createTopic(client, "idem-kill");
        producer = initProducerId(client);
        List<Batch> batches = new ArrayList<>();
        for (int seq = 0; seq < 10; seq++) {
          batches.add(new Batch(seq, seq * 3L, 3));
        }
        assertThat(put(allocator, client, "idem-kill", producer, batches.toArray(new Batch[0])))
            .extracting(ProduceAck::baseOffset)
            .containsExactly(0L, 3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L);
      }
      node.killHard();
      node = new NodeProcess(dataDir, port, raftPort, options).start();
      try (BufferAllocator allocator = new RootAllocator();
          FlightClient client = connect(allocator, port)) {
        for (int seq = 3; seq < 10; seq++) {
          assertThat(put(allocator, client, "idem-kill", producer, new Batch(seq, seq * 3L, 3)))
              .as("resent sequence %d", seq)
              .containsExactly(ProduceAck.ok(1, seq, seq * 3L, 3));
        }
        assertThat(put(allocator, client, "idem-kill", producer, new Batch(10, 30, 3)))
            .containsExactly(ProduceAck.ok(1, 10, 30, 3));
        List<Long> all = new ArrayList<>();
        readPartition(client, "idem-kill").forEach(f -> all.addAll(f.ids()));
        assertThat(all).isEqualTo(ids(0, 33));
      }
      assertThat(node.output()).as("the restart rebuilt the state from the Raft log alone")
          .contains("rs-0: no checkpoint yet; the whole Raft log is applied");
    } finally {
      node.close();
      PyralogClusterExtension.deleteRecursively(dataDir);
    }
  }
}
