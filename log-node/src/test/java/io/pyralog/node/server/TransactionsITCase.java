package io.pyralog.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.TopicPartition;
import io.pyralog.client.TransactionHandle;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.TransactionInfo;
import io.pyralog.node.testing.PyralogClusterExtension;
import io.pyralog.node.testing.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transactions end to end on one in-JVM node: read_committed readers see a transaction's records
 * only once it commits and never those of an aborted one; a new producer with the same
 * transactional id fences the old one; a transaction left open is aborted after its timeout;
 * committing by handle is idempotent; and transaction state outlives a restart. Record sets are
 * compared exactly.
 */
class TransactionsITCase {
  @RegisterExtension
  static final PyralogClusterExtension CLUSTER = PyralogClusterExtension.builder()
      .option("checkpoint.interval.entries", "4")
      .option("transaction.abort.timed.out.transaction.cleanup.interval.ms", "100")
      .option("transaction.max.timeout.ms", "600000")
      .build();

  private static final int PARTITIONS = 3;

  private static PyralogClient client(String... extra) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", CLUSTER.bootstrap());
    config.put("linger.ms", "1");
    for (int i = 0; i < extra.length; i += 2) {
      config.put(extra[i], extra[i + 1]);
    }
    return PyralogClient.create(config);
  }

  private static void createTopic(String name) {
    try (PyralogClient c = client()) {
      c.admin().createTopic(NewTopic.builder(name).partitions(PARTITIONS).build());
    }
  }

  private static void send(PyralogProducer p, String topic, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      p.send(ProducerRecord.ofStrings(topic, prefix + i, prefix + i));
    }
    p.flush();
  }

  private static List<String> values(String prefix, int n) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      result.add(prefix + i);
    }
    return result;
  }

  /**
   * Every value of the topic an {@code isolation} consumer reads from the start up to its end
   * offsets (which, for read_committed, are the last stable offsets).
   */
  private static List<String> read(String topic, String isolation) {
    return TopicReader.readAllStored(CLUSTER.bootstrap(), topic, PARTITIONS, isolation).stream()
        .map(TopicReader.Stored::value).toList();
  }

  private static Map<TopicPartition, Long> endOffsets(String topic, String isolation) {
    try (PyralogClient c = client("isolation.level", isolation);
        PyralogConsumer consumer = c.consumer()) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        parts.add(new TopicPartition(topic, p));
      }
      return consumer.endOffsets(parts);
    }
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void recordsBecomeVisibleToReadCommittedOnlyWhenTheTransactionCommits() {
    String topic = "txn-commit";
    createTopic(topic);
    try (PyralogClient c = client("transactional.id", "tx-commit");
        PyralogProducer p = c.producer()) {
      p.initTransactions();
      p.beginTransaction();
      send(p, topic, "a", 300);
      // open: stored (read_uncommitted sees it) but not stable
      assertThat(read(topic, "read_uncommitted")).containsExactlyInAnyOrderElementsOf(
          values("a", 300));
      assertThat(sum(endOffsets(topic, "read_committed"))).isZero();
      assertThat(read(topic, "read_committed")).isEmpty();
      p.commitTransaction();
    }
    assertThat(sum(endOffsets(topic, "read_committed"))).isEqualTo(300);
    assertThat(read(topic, "read_committed")).containsExactlyInAnyOrderElementsOf(
        values("a", 300));
  }

  @Test
  void abortedRecordsAreNeverReturnedToReadCommittedReaders() {
    String topic = "txn-abort";
    createTopic(topic);
    try (PyralogClient c = client("transactional.id", "tx-abort");
        PyralogProducer p = c.producer();
        PyralogClient plainClient = client();
        PyralogProducer plain = plainClient.producer()) {
      p.initTransactions();
      p.beginTransaction();
      send(p, topic, "aborted-", 200);
      send(plain, topic, "plain-", 50); // written while the transaction is open
      p.abortTransaction();
      p.beginTransaction();
      send(p, topic, "committed-", 100);
      p.commitTransaction();
      p.beginTransaction();
      send(p, topic, "aborted-again-", 20); // the last batches of the log are aborted ones
      p.abortTransaction();
    }
    List<String> expected = new ArrayList<>(values("plain-", 50));
    expected.addAll(values("committed-", 100));
    // read_committed reaches the end offsets across the aborted batches at the end
    assertThat(read(topic, "read_committed")).containsExactlyInAnyOrderElementsOf(expected);
    List<String> everything = new ArrayList<>(expected);
    everything.addAll(values("aborted-", 200));
    everything.addAll(values("aborted-again-", 20));
    assertThat(read(topic, "read_uncommitted")).containsExactlyInAnyOrderElementsOf(everything);
  }

  @Test
  void aNewProducerWithTheSameIdFencesTheOldOneAndAbortsItsTransaction() throws Exception {
    String topic = "txn-fence";
    createTopic(topic);
    try (PyralogClient c = client("transactional.id", "tx-fence");
        PyralogProducer old = c.producer();
        PyralogProducer fresh = c.producer()) {
      old.initTransactions();
      old.beginTransaction();
      send(old, topic, "zombie-", 30);
      fresh.initTransactions(); // aborts the zombie's open transaction
      assertThatThrownBy(old::commitTransaction).isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(
              Errors.PRODUCER_FENCED));
      fresh.beginTransaction();
      send(fresh, topic, "fresh-", 30);
      fresh.commitTransaction();
    }
    assertThat(read(topic, "read_committed")).containsExactlyInAnyOrderElementsOf(
        values("fresh-", 30));
  }

  @Test
  void aTransactionLeftOpenIsAbortedAfterItsTimeout() {
    String topic = "txn-timeout";
    createTopic(topic);
    try (PyralogClient c = client("transactional.id", "tx-timeout",
        "transaction.timeout.ms", "500");
        PyralogProducer p = c.producer()) {
      p.initTransactions();
      p.beginTransaction();
      send(p, topic, "late-", 40);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.admin()
          .listTransactions("tx-timeout", false).get(0).state().equals("COMPLETE_ABORT"));
      assertThatThrownBy(p::commitTransaction).isInstanceOf(ApiException.class)
          .hasMessageContaining("timed out")
          .satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(
              Errors.PRODUCER_FENCED));
    }
    // the stable offset moved past the aborted records: a later commit is visible
    try (PyralogClient c = client("transactional.id", "tx-timeout-2");
        PyralogProducer p = c.producer()) {
      p.initTransactions();
      p.beginTransaction();
      send(p, topic, "ok-", 10);
      p.commitTransaction();
    }
    assertThat(read(topic, "read_committed")).containsExactlyInAnyOrderElementsOf(
        values("ok-", 10));
  }

  @Test
  void anotherProcessCommitsByHandleAndCommittingTwiceIsHarmless() {
    String topic = "txn-handle";
    createTopic(topic);
    TransactionHandle handle;
    TransactionHandle aborted;
    try (PyralogClient c = client("transactional.id", "tx-handle");
        PyralogProducer p = c.producer();
        PyralogClient c2 = client("transactional.id", "tx-handle-2");
        PyralogProducer p2 = c2.producer()) {
      p.initTransactions();
      p.beginTransaction();
      send(p, topic, "h-", 50);
      handle = p.prepareTransaction();
      assertThatThrownBy(p::beginTransaction).hasMessageContaining("another transactional.id");
      p2.initTransactions();
      p2.beginTransaction();
      send(p2, topic, "x-", 5);
      aborted = p2.prepareTransaction();
    }
    assertThat(handle).isNotNull();
    try (PyralogClient c = client()) {
      TransactionInfo first = c.admin().commitTransaction(handle);
      TransactionInfo again = c.admin().commitTransaction(handle);
      assertThat(first.state()).isEqualTo("COMPLETE_COMMIT");
      assertThat(again.state()).isEqualTo("COMPLETE_COMMIT");
      assertThat(c.admin().abortTransaction(aborted).state()).isEqualTo("COMPLETE_ABORT");
      assertThatThrownBy(() -> c.admin().commitTransaction(aborted))
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(
              Errors.INVALID_TXN_STATE));
    }
    assertThat(read(topic, "read_committed")).containsExactlyInAnyOrderElementsOf(
        values("h-", 50));
  }

  @Test
  void openAndAbortedTransactionsOutliveARestart() {
    String topic = "txn-restart";
    createTopic(topic);
    TransactionHandle open;
    try (PyralogClient c = client("transactional.id", "tx-restart");
        PyralogProducer p = c.producer()) {
      p.initTransactions();
      p.beginTransaction();
      send(p, topic, "gone-", 60);
      p.abortTransaction();
      p.beginTransaction();
      send(p, topic, "kept-", 60);
      open = p.prepareTransaction();
    }
    CLUSTER.restart();
    assertThat(read(topic, "read_committed")).isEmpty(); // still open after the restart
    try (PyralogClient c = client()) {
      c.admin().commitTransaction(open);
    }
    assertThat(read(topic, "read_committed")).containsExactlyInAnyOrderElementsOf(
        values("kept-", 60));
    CLUSTER.restart();
    assertThat(read(topic, "read_committed")).containsExactlyInAnyOrderElementsOf(
        values("kept-", 60));
  }

  /**
   * A plain Flight client that writes on a transactional stream without adding the partition to
   * the transaction, or under a fenced epoch, gets an error ack; the node stays up and stores
   * nothing of those batches.
   */
  @Test
  void aTransactionalBatchOutsideTheOpenTransactionIsRefused() throws Exception {
    try (org.apache.arrow.memory.BufferAllocator allocator =
            new org.apache.arrow.memory.RootAllocator();
        org.apache.arrow.flight.FlightClient flight =
            IdempotentProducerITCase.connect(allocator, CLUSTER.port());
        PyralogClient c = client()) {
      IdempotentProducerITCase.createTopic(flight, "txn-raw");
      TransactionHandle h = c.admin().fenceTransactionalId("tx-raw", null);
      io.pyralog.common.protocol.Actions.ProducerId id =
          new io.pyralog.common.protocol.Actions.ProducerId(h.producerId(), h.producerEpoch());
      var refused = IdempotentProducerITCase.put(allocator, flight, "txn-raw", id, "tx-raw", 1,
          new IdempotentProducerITCase.Batch(0, 1, 3));
      assertThat(refused).singleElement().satisfies(a -> {
        assertThat(a.error()).isEqualTo("INVALID_TXN_STATE");
        assertThat(a.message()).contains("add-partitions-to-txn");
      });
      String added = IdempotentProducerITCase.action(flight, "add-partitions-to-txn",
          "{\"transactionalId\":\"tx-raw\",\"producerId\":" + h.producerId()
              + ",\"producerEpoch\":" + h.producerEpoch()
              + ",\"topic\":\"txn-raw\",\"partitions\":[1]}");
      long number = io.pyralog.common.protocol.Json.read(added.getBytes(
          java.nio.charset.StandardCharsets.UTF_8),
          io.pyralog.common.protocol.Actions.TransactionList.class).transactions().get(0)
          .transactionNumber();
      assertThat(number).isEqualTo(1);
      var wrongNumber = IdempotentProducerITCase.put(allocator, flight, "txn-raw", id, "tx-raw",
          0, new IdempotentProducerITCase.Batch(0, 5, 3));
      assertThat(wrongNumber).singleElement().satisfies(a ->
          assertThat(a.error()).isEqualTo("INVALID_TXN_STATE"));
      var stored = IdempotentProducerITCase.put(allocator, flight, "txn-raw", id, "tx-raw",
          number, new IdempotentProducerITCase.Batch(0, 10, 3));
      assertThat(stored).singleElement().satisfies(a -> assertThat(a.error()).isNull());
      TransactionHandle newer = c.admin().fenceTransactionalId("tx-raw", null); // aborts it
      var fenced = IdempotentProducerITCase.put(allocator, flight, "txn-raw", id, "tx-raw",
          number, new IdempotentProducerITCase.Batch(1, 20, 3));
      assertThat(fenced).singleElement().satisfies(a ->
          assertThat(a.error()).isEqualTo("PRODUCER_FENCED"));
      assertThat(newer.producerEpoch()).isGreaterThan(h.producerEpoch());
      // nothing of the refused batches is stored; the aborted one is stored but never committed
      assertThat(IdempotentProducerITCase.readPartition(flight, "txn-raw"))
          .extracting(IdempotentProducerITCase.Fetched::ids)
          .containsExactly(List.of(10L, 11L, 12L));
      assertThat(c.admin().listTopics()).isNotEmpty(); // the node still answers
    }
  }

  @Test
  void misuseGetsAClearError() throws Exception {
    String topic = "txn-misuse";
    createTopic(topic);
    try (PyralogClient c = client("transactional.id", "tx-misuse");
        PyralogProducer p = c.producer()) {
      assertThatThrownBy(p::beginTransaction).hasMessageContaining("initTransactions()");
      p.initTransactions();
      assertThatThrownBy(() -> p.send(ProducerRecord.ofStrings(topic, "k", "v")).get())
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("beginTransaction()");
      assertThatThrownBy(p::commitTransaction).hasMessageContaining("No transaction is open");
    }
    try (PyralogClient c = client("transactional.id", "tx-misuse-2",
        "transaction.timeout.ms", "99999999");
        PyralogProducer p = c.producer()) {
      assertThatThrownBy(p::initTransactions).isInstanceOf(ApiException.class)
          .hasMessageContaining("transaction.max.timeout.ms");
    }
    try (PyralogClient c = client()) {
      assertThatThrownBy(() -> c.admin().commitTransaction(
          new TransactionHandle("never-initialized", 1, (short) 0)))
          .isInstanceOf(ApiException.class).hasMessageContaining("initTransactions()");
    }
    assertThatThrownBy(() -> client("isolation.level", "serializable"))
        .isInstanceOf(ApiException.class).hasMessageContaining("read_committed");
  }
}
