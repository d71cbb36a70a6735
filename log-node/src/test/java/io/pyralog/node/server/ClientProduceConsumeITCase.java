package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.BatchResult;
import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.NewTopic;
import io.pyralog.client.OffsetSpec;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogAdmin;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.RecordMetadata;
import io.pyralog.client.TopicPartition;
import io.pyralog.client.internal.Partitioner;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.node.testing.PyralogClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client against a real in-JVM node: raw records with keys, headers and timestamps come
 * back exactly as written, seeks land where they should, offsets commit, typed topics project,
 * topics are managed, and a long poll wakes up on new data.
 */
class ClientProduceConsumeITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder().build();

  static PyralogClient client;
  static PyralogAdmin admin;

  @BeforeAll
  static void connect() {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", CLUSTER.bootstrap());
    config.put("group.id", "it-group");
    config.put("linger.ms", "2");
    client = PyralogClient.create(config);
    admin = client.admin();
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  /** A record reduced to comparable values. */
  record Rec(int partition, long offset, String key, String value, Map<String, String> headers,
      long timestamp) {
    static Rec of(ConsumerRecord r) {
      return new Rec(r.partition(), r.offset(), r.keyAsString(), r.valueAsString(),
          strings(r.headers()), r.timestamp());
    }
  }

  static Map<String, String> strings(Map<String, byte[]> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k, v == null ? null : new String(v, StandardCharsets.UTF_8)));
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<TopicPartition> partitions(String topic, int n) {
    List<TopicPartition> parts = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      parts.add(new TopicPartition(topic, p));
    }
    return parts;
  }

  /** Polls until every assigned partition's position reaches {@code ends}; returns the records. */
  static List<ConsumerRecord> readUntil(PyralogConsumer consumer, Map<TopicPartition, Long> ends) {
    List<ConsumerRecord> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      assertThat(System.nanoTime()).as("records read within 30 s").isLessThan(deadline);
      try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
        out.addAll(batches.records());
      }
    }
    return out;
  }

  @Test
  void rawRecordsComeBackExactlyOnTheirKeysPartition() throws Exception {
    String topic = "raw-exact";
    int partitionCount = 4;
    TopicInfo created = admin.createTopic(NewTopic.builder(topic).partitions(partitionCount)
        .build());
    assertThat(created.partitions()).isEqualTo(partitionCount);
    assertThat(created.raw()).isTrue();

    long baseTs = 1_700_000_000_000L;
    Map<String, Rec> expected = new TreeMap<>();
    List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
    List<ProducerRecord> sent = new ArrayList<>();
    try (PyralogProducer producer = client.producer()) {
      for (int i = 0; i < 500; i++) {
        String key = "key-" + (i % 37);
        ProducerRecord r = new ProducerRecord(topic, null, utf8(key), utf8("value-" + i),
            null, baseTs + i)
            .withHeader("seq", Integer.toString(i))
            .withHeader("origin", i % 2 == 0 ? "even" : "odd");
        sent.add(r);
        futures.add(producer.send(r));
      }
      // one keyless record without headers, and one with a null key but explicit partition
      ProducerRecord plain = new ProducerRecord(topic, 2, null, utf8("no-key"), null, baseTs);
      sent.add(plain);
      futures.add(producer.send(plain));
      producer.flush();
    }
    for (int i = 0; i < sent.size(); i++) {
      ProducerRecord r = sent.get(i);
      RecordMetadata md = futures.get(i).get(10, TimeUnit.SECONDS);
      if (r.key() != null) {
        assertThat(md.partition()).as("partition of key %s", new String(r.key(),
            StandardCharsets.UTF_8)).isEqualTo(Partitioner.partitionForKey(r.key(),
            partitionCount));
      } else {
        assertThat(md.partition()).isEqualTo(2);
      }
      assertThat(md.timestamp()).isEqualTo(r.timestamp());
      Rec rec = new Rec(md.partition(), md.offset(),
          r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
          new String(r.value(), StandardCharsets.UTF_8), strings(r.headers()), r.timestamp());
      assertThat(expected.put(md.partition() + "@" + md.offset(), rec))
          .as("two records acknowledged at %s-%d", topic, md.offset()).isNull();
    }

    List<TopicPartition> parts = partitions(topic, partitionCount);
    Map<TopicPartition, Long> ends = admin.listOffsets(topic, OffsetSpec.latest()).entrySet()
        .stream().collect(java.util.stream.Collectors.toMap(
            e -> new TopicPartition(topic, e.getKey()), Map.Entry::getValue));
    assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(sent.size());

    try (PyralogConsumer consumer = client.consumer()) {
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      List<ConsumerRecord> read = readUntil(consumer, ends);
      Map<String, Rec> actual = new TreeMap<>();
      Map<Integer, Long> nextOffset = new HashMap<>();
      for (ConsumerRecord r : read) {
        // offsets are dense and in order within a partition
        long want = nextOffset.getOrDefault(r.partition(), 0L);
        assertThat(r.offset()).as("offset in partition %d", r.partition()).isEqualTo(want);
        nextOffset.put(r.partition(), want + 1);
        actual.put(r.partition() + "@" + r.offset(), Rec.of(r));
      }
      assertThat(actual).isEqualTo(expected);
      // records of one key keep their send order
      Map<String, List<Integer>> seqByKey = new HashMap<>();
      for (ConsumerRecord r : read) {
        if (r.key() != null) {
          seqByKey.computeIfAbsent(r.keyAsString(), k -> new ArrayList<>())
              .add(Integer.parseInt(new String(r.headers().get("seq"), StandardCharsets.UTF_8)));
        }
      }
      seqByKey.values().forEach(seqs -> assertThat(seqs).isSorted());
      // headers keep the order they were written in
      for (ConsumerRecord r : read) {
        assertThat(new ArrayList<>(r.headers().keySet()))
            .isEqualTo(r.key() == null ? List.of() : List.of("seq", "origin"));
      }
    }
  }

  @Test
  void seeksToEarliestLatestOffsetAndTimestamp() throws Exception {
    String topic = "seeks";
    admin.createTopic(NewTopic.builder(topic).partitions(1).build());
    TopicPartition tp = new TopicPartition(topic, 0);
    // three separately acknowledged batches of 10 with distinct timestamp ranges
    try (PyralogProducer producer = client.producer()) {
      for (int batch = 0; batch < 3; batch++) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord(topic, 0, null, utf8("v" + (batch * 10 + i)), null,
              (batch + 1) * 1000L + i));
        }
        producer.flush();
      }
    }
    try (PyralogConsumer consumer = client.consumer()) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      assertThat(consumer.position(tp)).isZero();
      assertThat(values(readUntil(consumer, Map.of(tp, 30L))))
          .containsExactlyElementsOf(range("v", 0, 30));

      consumer.seekToEnd(List.of(tp));
      assertThat(consumer.position(tp)).isEqualTo(30);
      try (ConsumerBatches none = consumer.poll(Duration.ofMillis(200))) {
        assertThat(none.isEmpty()).isTrue();
      }

      consumer.seek(tp, 17);
      assertThat(values(readUntil(consumer, Map.of(tp, 30L))))
          .containsExactlyElementsOf(range("v", 17, 30));

      // Batch granularity: the first offset of the first batch whose max timestamp is >= ts.
      consumer.seekToTimestamp(tp, 0);
      assertThat(consumer.position(tp)).isZero();
      consumer.seekToTimestamp(tp, 1009);
      assertThat(consumer.position(tp)).isZero();
      consumer.seekToTimestamp(tp, 1010);
      assertThat(consumer.position(tp)).isEqualTo(10);
      consumer.seekToTimestamp(tp, 2000);
      assertThat(consumer.position(tp)).isEqualTo(10);
      consumer.seekToTimestamp(tp, 2500);
      assertThat(consumer.position(tp)).isEqualTo(20);
      assertThat(values(readUntil(consumer, Map.of(tp, 30L))))
          .containsExactlyElementsOf(range("v", 20, 30));
      consumer.seekToTimestamp(tp, 3010);
      assertThat(consumer.position(tp)).as("past the last timestamp: the log end").isEqualTo(30);
      assertThat(admin.listOffsets(topic, OffsetSpec.forTimestamp(1500)))
          .isEqualTo(Map.of(0, 10L));
      assertThat(admin.listOffsets(topic, OffsetSpec.earliest())).isEqualTo(Map.of(0, 0L));
      assertThat(admin.listOffsets(topic, OffsetSpec.latest())).isEqualTo(Map.of(0, 30L));
    }
  }

  /**
   * A poll that returns data sends the next fetch at once, from the positions it reached. A seek
   * before the next poll must drop that fetch's data, and closing the consumer must release it.
   */
  @Test
  void aSeekDropsTheFetchSentAheadAndCloseReleasesIt() throws Exception {
    String topic = "prefetch-seek";
    admin.createTopic(NewTopic.builder(topic).partitions(1).build());
    TopicPartition tp = new TopicPartition(topic, 0);
    try (PyralogProducer producer = client.producer()) {
      for (int batch = 0; batch < 4; batch++) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord(topic, 0, null, utf8("v" + (batch * 10 + i)), null,
              1000L + i));
        }
        producer.flush();
      }
    }
    // one stored batch per fetch, so every poll leaves a fetch of the next batch in flight
    try (PyralogClient small = PyralogClient.create(Map.of("bootstrap", CLUSTER.bootstrap(),
        "fetch.max.bytes", "1"))) {
      try (PyralogConsumer consumer = small.consumer()) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        assertThat(values(pollOnce(consumer))).containsExactlyElementsOf(range("v", 0, 10));
        Thread.sleep(200); // the fetch sent ahead (offsets 10-19) has arrived by now

        consumer.seek(tp, 0);
        assertThat(values(pollOnce(consumer))).containsExactlyElementsOf(range("v", 0, 10));
        assertThat(values(pollOnce(consumer))).containsExactlyElementsOf(range("v", 10, 20));
        Thread.sleep(200);

        consumer.seek(tp, 35);
        assertThat(values(pollOnce(consumer))).containsExactlyElementsOf(range("v", 35, 40));
        assertThat(consumer.position(tp)).isEqualTo(40);

        consumer.seek(tp, 20);
        assertThat(values(pollOnce(consumer))).containsExactlyElementsOf(range("v", 20, 30));
        Thread.sleep(200);
        // closing now, with the batch 30-39 fetched ahead and never polled, leaves no Arrow
        // memory behind
      }
      assertThat(small.allocator().getAllocatedMemory()).isZero();
    }
  }

  /** One poll that must return data; the records are copied out before the batches close. */
  static List<ConsumerRecord> pollOnce(PyralogConsumer consumer) {
    try (ConsumerBatches batches = consumer.poll(Duration.ofSeconds(10))) {
      assertThat(batches.isEmpty()).as("a poll returned data").isFalse();
      return batches.records();
    }
  }

  @Test
  void committedOffsetsRoundTrip() {
    String topic = "commits";
    admin.createTopic(NewTopic.builder(topic).partitions(3).build());
    List<TopicPartition> parts = partitions(topic, 3);
    try (PyralogProducer producer = client.producer()) {
      for (int i = 0; i < 30; i++) {
        producer.send(new ProducerRecord(topic, i % 3, null, utf8("c" + i)));
      }
      producer.flush();
    }
    try (PyralogConsumer consumer = client.consumer()) {
      consumer.assign(parts);
      for (TopicPartition tp : parts) {
        assertThat(consumer.committed(tp)).isNull();
      }
      consumer.seek(parts.get(0), 4);
      consumer.seek(parts.get(1), 7);
      consumer.seek(parts.get(2), 10);
      consumer.commitSync();
      assertThat(consumer.committed(parts.get(0))).isEqualTo(4);
      assertThat(consumer.committed(parts.get(1))).isEqualTo(7);
      assertThat(consumer.committed(parts.get(2))).isEqualTo(10);
      assertThat(admin.fetchOffsets("it-group", topic)).isEqualTo(Map.of(0, 4L, 1, 7L, 2, 10L));

      consumer.commitSync(Map.of(parts.get(1), 2L));
      assertThat(admin.fetchOffsets("it-group", topic)).isEqualTo(Map.of(0, 4L, 1, 2L, 2, 10L));
    }
    // A new consumer of the group starts at the committed offsets.
    try (PyralogConsumer consumer = client.consumer()) {
      consumer.assign(List.of(parts.get(1)));
      assertThat(consumer.position(parts.get(1))).isEqualTo(2);
      assertThat(values(readUntil(consumer, Map.of(parts.get(1), 10L))))
          .containsExactly("c7", "c10", "c13", "c16", "c19", "c22", "c25", "c28");
    }

    admin.commitOffsets("other-group", topic, Map.of(0, 1L, 2, 9L));
    assertThat(admin.fetchOffsets("other-group", topic)).isEqualTo(Map.of(0, 1L, 2, 9L));
    assertThat(admin.fetchOffsets("no-such-group", topic)).isEmpty();
    assertThat(admin.fetchOffsets("it-group", topic)).isEqualTo(Map.of(0, 4L, 1, 2L, 2, 10L));
  }

  @Test
  void typedTopicProjectsColumnsOnTheNode() throws Exception {
    String topic = "typed-orders";
    admin.createTopic(NewTopic.builder(topic).partitions(2)
        .schemaJson("{\"fields\":[{\"name\":\"id\",\"type\":\"int64\"},"
            + "{\"name\":\"name\",\"type\":\"utf8\"},{\"name\":\"price\",\"type\":\"float64\"}]}")
        .build());
    Schema schema = new Schema(List.of(
        new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
        new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
        new Field("price", FieldType.nullable(
            new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null)));
    List<BatchResult> results = new ArrayList<>();
    try (PyralogProducer producer = client.producer();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, client.allocator())) {
      for (int batch = 0; batch < 3; batch++) {
        root.allocateNew();
        for (int i = 0; i < 20; i++) {
          long id = batch * 20L + i;
          ((BigIntVector) root.getVector("id")).setSafe(i, id);
          ((VarCharVector) root.getVector("name")).setSafe(i, utf8("item-" + id));
          ((Float8Vector) root.getVector("price")).setSafe(i, id * 1.25);
        }
        root.setRowCount(20);
        results.add(producer.sendBatch(topic, 1, root).get(10, TimeUnit.SECONDS));
      }
    }
    assertThat(results).containsExactly(new BatchResult(topic, 1, 0, 20),
        new BatchResult(topic, 1, 20, 20), new BatchResult(topic, 1, 40, 20));

    TopicPartition tp = new TopicPartition(topic, 1);
    try (PyralogConsumer consumer = client.consumer()) {
      consumer.assign(List.of(tp));
      consumer.project(topic, List.of("price", "id"));
      consumer.seek(tp, 5);
      List<Long> ids = new ArrayList<>();
      List<Double> prices = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(tp) < 60) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
          for (ArrowBatch b : batches.batches()) {
            assertThat(b.isRaw()).isFalse();
            VectorSchemaRoot r = b.root();
            assertThat(r.getSchema().getFields()).extracting(Field::getName)
                .containsExactly("price", "id");
            for (int i = 0; i < r.getRowCount(); i++) {
              assertThat(((BigIntVector) r.getVector("id")).get(i)).isEqualTo(b.offset(i));
              ids.add(((BigIntVector) r.getVector("id")).get(i));
              prices.add(((Float8Vector) r.getVector("price")).get(i));
            }
          }
        }
      }
      assertThat(ids).containsExactlyElementsOf(
          java.util.stream.LongStream.range(5, 60).boxed().toList());
      assertThat(prices).containsExactlyElementsOf(
          java.util.stream.LongStream.range(5, 60).mapToObj(id -> id * 1.25).toList());

      // Clearing the projection brings every column back.
      consumer.project(topic, null);
      consumer.seek(tp, 58);
      try (ConsumerBatches batches = consumer.poll(Duration.ofSeconds(5))) {
        ArrowBatch b = batches.batches().get(0);
        assertThat(b.root().getSchema().getFields()).extracting(Field::getName)
            .containsExactly("id", "name", "price");
        assertThat(b.baseOffset()).isEqualTo(58);
        assertThat(b.root().getVector("name").getObject(0).toString()).isEqualTo("item-58");
        assertThat(b.root().getVector("name").getObject(1).toString()).isEqualTo("item-59");
      }
      // An unknown column fails the poll with a request error.
      consumer.project(topic, List.of("nope"));
      consumer.seek(tp, 0);
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(2)))
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).error())
              .isEqualTo(Errors.INVALID_REQUEST));
    }
    // The other partition of the typed topic stayed empty.
    assertThat(admin.listOffsets(topic, OffsetSpec.latest())).isEqualTo(Map.of(0, 0L, 1, 60L));
  }

  @Test
  void listsDescribesDeletesAndRecreatesTopics() throws Exception {
    String topic = "short-lived";
    admin.createTopic(NewTopic.builder(topic).partitions(2).retentionMs(3_600_000L).build());
    assertThat(admin.listTopics()).extracting(TopicInfo::name).contains(topic);
    TopicInfo info = admin.describeTopic(topic);
    assertThat(info.name()).isEqualTo(topic);
    assertThat(info.partitions()).isEqualTo(2);
    assertThat(info.replicationFactor()).isEqualTo(1);
    assertThat(info.retentionMs()).isEqualTo(3_600_000L);
    assertThat(info.raw()).isTrue();
    assertThat(info.partitionInfo()).extracting(PartitionInfo::partition).containsExactly(0, 1);
    assertThat(info.partitionInfo()).allSatisfy(p -> {
      assertThat(p.leaderAddress()).isEqualTo(CLUSTER.bootstrap());
      assertThat(p.logStartOffset()).isZero();
      assertThat(p.highWatermark()).isZero();
    });

    try (PyralogProducer producer = client.producer()) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord(topic, 1, null, utf8("old-" + i)));
      }
      producer.flush();
    }
    assertThat(admin.describeTopic(topic).partitionInfo().get(1).highWatermark()).isEqualTo(5);

    admin.deleteTopic(topic);
    assertThat(admin.listTopics()).extracting(TopicInfo::name).doesNotContain(topic);
    assertThatThrownBy(() -> admin.describeTopic(topic))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).error())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION))
        .hasMessageContaining("'" + topic + "'");
    assertThatThrownBy(() -> admin.deleteTopic(topic))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).error())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION));

    TopicInfo again = admin.createTopic(NewTopic.builder(topic).partitions(2).build());
    assertThat(again.topicId()).isNotEqualTo(info.topicId());
    assertThat(again.partitionInfo()).allSatisfy(p -> assertThat(p.highWatermark()).isZero());
    RecordMetadata md;
    try (PyralogProducer producer = client.producer()) {
      md = producer.send(new ProducerRecord(topic, 1, null, utf8("new-0"))).get(10,
          TimeUnit.SECONDS);
    }
    assertThat(md.offset()).isZero();
    TopicPartition tp = new TopicPartition(topic, 1);
    try (PyralogConsumer consumer = client.consumer()) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      assertThat(consumer.position(tp)).isZero();
      assertThat(values(readUntil(consumer, Map.of(tp, 1L)))).containsExactly("new-0");
    }
  }

  @Test
  void longPollWakesUpWhenARecordArrives() throws Exception {
    String topic = "long-poll";
    admin.createTopic(NewTopic.builder(topic).partitions(1).build());
    TopicPartition tp = new TopicPartition(topic, 0);
    try (PyralogConsumer consumer = client.consumer();
        PyralogProducer producer = client.producer()) {
      consumer.assign(List.of(tp));
      consumer.seekToEnd(List.of(tp));
      assertThat(consumer.position(tp)).isZero();
      Thread writer = new Thread(() -> {
        try {
          Thread.sleep(300);
          producer.send(ProducerRecord.ofStrings(topic, "k", "late")).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "late-writer");
      long start = System.nanoTime();
      writer.start();
      List<ConsumerRecord> got;
      try (ConsumerBatches batches = consumer.poll(Duration.ofSeconds(2))) {
        got = batches.records();
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      writer.join(10_000);
      assertThat(got).hasSize(1);
      assertThat(got.get(0).keyAsString()).isEqualTo("k");
      assertThat(got.get(0).valueAsString()).isEqualTo("late");
      assertThat(got.get(0).offset()).isZero();
      assertThat(elapsedMs).as("poll returned when the record arrived").isBetween(250L, 1900L);
      assertThat(consumer.position(tp)).isEqualTo(1);
    }
  }

  /**
   * The node reads a partition 1 MiB at a time and sends each chunk before reading the next: a
   * fetch of many chunks over several segments still returns every batch once and in order, and
   * stops at the consumer's fetch.max.bytes.
   */
  @Test
  void aFetchOfManyReadChunksReturnsEveryBatchInOrderWithinItsBudget() throws Exception {
    String topic = "read-chunks";
    admin.createTopic(NewTopic.builder(topic).partitions(1).segmentBytes(1L << 20).build());
    TopicPartition tp = new TopicPartition(topic, 0);
    String padding = "x".repeat(1000);
    int records = 6_000;
    try (PyralogProducer producer = client.producer()) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord(topic, 0, null, utf8("c" + i + "-" + padding)));
        if (i % 500 == 499) {
          producer.flush();
        }
      }
      producer.flush();
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      expected.add("c" + i + "-" + padding);
    }
    // the default budget (50 MiB) takes the whole partition, about 6 MB, in one fetch
    try (PyralogConsumer consumer = client.consumer()) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      try (ConsumerBatches batches = consumer.poll(Duration.ofSeconds(10))) {
        assertThat(values(batches.records())).containsExactlyElementsOf(expected);
      }
    }
    // a 2 MiB budget: several fetches, none much over it, together exactly the partition
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", CLUSTER.bootstrap());
    config.put("fetch.max.bytes", String.valueOf(2 << 20));
    try (PyralogClient small = PyralogClient.create(config);
        PyralogConsumer consumer = small.consumer()) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<String> read = new ArrayList<>();
      int polls = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(tp) < records) {
        assertThat(System.nanoTime()).as("records read within 30 s").isLessThan(deadline);
        try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
          long bytes = 0;
          for (ArrowBatch b : batches.batches()) {
            bytes += b.root().getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
          }
          // at most the budget plus the one batch that crossed it (about 500 KB)
          assertThat(bytes).as("bytes of one poll").isLessThan((2L << 20) + (1L << 20));
          if (!batches.isEmpty()) {
            polls++;
          }
          read.addAll(values(batches.records()));
        }
      }
      assertThat(read).containsExactlyElementsOf(expected);
      assertThat(polls).as("polls that returned data").isGreaterThanOrEqualTo(3);
    }
  }

  /**
   * The node serves a fetch's partitions in ticket order, each as far as the budget goes. The
   * consumer starts each fetch one partition further on, so two partitions with backlogs larger
   * than a fetch both make progress from the first polls on.
   */
  @Test
  void partitionsWithLongBacklogsTakeFetchesInTurn() throws Exception {
    String topic = "backlogs";
    admin.createTopic(NewTopic.builder(topic).partitions(2).build());
    String padding = "y".repeat(1000);
    int perPartition = 3_000;
    try (PyralogProducer producer = client.producer()) {
      for (int i = 0; i < perPartition; i++) {
        producer.send(new ProducerRecord(topic, 0, null, utf8("p0-" + i + "-" + padding)));
        producer.send(new ProducerRecord(topic, 1, null, utf8("p1-" + i + "-" + padding)));
      }
      producer.flush();
    }
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", CLUSTER.bootstrap());
    config.put("fetch.max.bytes", String.valueOf(1 << 20)); // about a third of a backlog
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    try (PyralogClient small = PyralogClient.create(config);
        PyralogConsumer consumer = small.consumer()) {
      consumer.assign(List.of(p0, p1));
      consumer.seekToBeginning(List.of(p0, p1));
      Map<Integer, List<String>> read = new TreeMap<>();
      int pollsWithData = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(p0) < perPartition || consumer.position(p1) < perPartition) {
        assertThat(System.nanoTime()).as("records read within 30 s").isLessThan(deadline);
        try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
          for (ConsumerRecord r : batches.records()) {
            read.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.valueAsString());
          }
          if (!batches.isEmpty() && ++pollsWithData == 2) {
            // served in ticket order alone, the first three fetches would all be partition 0's
            assertThat(List.of(consumer.position(p0), consumer.position(p1)))
                .as("positions after two polls with data").allMatch(p -> p > 0 && p < 2_500);
          }
        }
      }
      assertThat(pollsWithData).isGreaterThanOrEqualTo(4);
      for (int p = 0; p < 2; p++) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < perPartition; i++) {
          expected.add("p" + p + "-" + i + "-" + padding);
        }
        assertThat(read.get(p)).as("partition %d", p).containsExactlyElementsOf(expected);
      }
    }
  }

  static List<String> values(Collection<ConsumerRecord> records) {
    return records.stream().map(ConsumerRecord::valueAsString).toList();
  }

  static List<String> range(String prefix, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(prefix + i);
    }
    return out;
  }
}
