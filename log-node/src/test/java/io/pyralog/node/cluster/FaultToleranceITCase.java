package io.pyralog.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.RecordMetadata;
import io.pyralog.common.errors.ApiException;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.node.testing.ClusterProcesses;
import io.pyralog.node.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults with real processes and {@code kill -9} on a 3-node cluster, at replication factor 3.
 * Every check compares exact record sets: each acknowledged record must be read back exactly
 * once; records that were never acknowledged may be absent.
 */
class FaultToleranceITCase {
  private static final String TOPIC = "faults";
  private static final int PARTITIONS = 4;

  private ClusterProcesses cluster;

  @BeforeEach
  void startCluster() throws Exception {
    // Small segments and frequent checkpoints, so recovery crosses rolls, checkpoints and purges.
    cluster = new ClusterProcesses(3, List.of("-X", "segment.bytes=1048576",
        "-X", "checkpoint.interval.entries=64")).start();
    try (PyralogClient client = client()) {
      client.admin().createTopic(NewTopic.builder(TOPIC).partitions(PARTITIONS)
          .replicationFactor(3).build());
      ReplicatedClusterITCase.awaitLeadersOf(client.admin(), TOPIC);
      // Faults start on a settled cluster: each set led by its preferred leader, after the
      // hand-overs that follow a start, with every member caught up. A leader killed during
      // such a hand-over has left its set without a leader for over a minute (see "Known
      // limits" in docs/operations.md).
      Set<Integer> all = Set.of(1, 2, 3);
      for (var g : client.admin().nodeStatus(cluster.node(1).bootstrap()).groups()) {
        if (g.replicationFactor() == 3 && g.name().startsWith("rs-")) {
          int preferred = g.members().get(0);
          awaitOrDescribe(client, g.name(), all, g.name() + " settled on n" + preferred,
              () -> leaderOfSet(client, g.name(), all) == preferred
                  && membersCaughtUp(client, g.name(), preferred));
        }
      }
    }
  }

  @AfterEach
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private PyralogClient client() {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", cluster.bootstrap());
    config.put("request.timeout.ms", "5000");
    config.put("delivery.timeout.ms", "60000");
    config.put("linger.ms", "5");
    return PyralogClient.create(config);
  }

  /**
   * Record numbers 0, 1, 2, ... of one writer, one bit each: a writer sends about 20,000 records
   * a second for minutes, and sets of their values would fill the test JVM's heap.
   */
  static final class Ids {
    private final BitSet bits = new BitSet();
    private int count;

    synchronized void add(int id) {
      if (!bits.get(id)) {
        bits.set(id);
        count++;
      }
    }

    synchronized int size() {
      return count;
    }

    synchronized boolean contains(int id) {
      return bits.get(id);
    }

    synchronized BitSet snapshot() {
      return (BitSet) bits.clone();
    }
  }

  /** Writes uniquely numbered records in the background until stopped. */
  private final class Writer implements AutoCloseable {
    final Ids acked = new Ids();
    final Ids sent = new Ids();
    final String prefix;
    final AtomicInteger failed = new AtomicInteger();
    final AtomicBoolean running = new AtomicBoolean(true);
    final PyralogClient client = client();
    final PyralogProducer producer = client.producer();
    final Thread thread;

    Writer(String prefix) {
      this(prefix, null, 0);
    }

    /**
     * Writes to {@code partition} only, or spreads the records when it is null; each value is
     * padded with {@code padding} characters.
     */
    Writer(String prefix, Integer partition, int padding) {
      this.prefix = prefix;
      String pad = "x".repeat(padding);
      thread = new Thread(() -> {
        int i = 0;
        while (running.get()) {
          int id = i++;
          String value = prefix + "-" + id + pad;
          sent.add(id);
          producer.send(new ProducerRecord(TOPIC, partition, null,
                  value.getBytes(StandardCharsets.UTF_8)))
              .whenComplete((md, t) -> {
                if (t == null) {
                  acked.add(id);
                } else {
                  failed.incrementAndGet();
                }
              });
          if (i % 100 == 0) {
            sleepMs(5);
          }
        }
      }, "writer-" + prefix);
      thread.start();
    }

    /** The number of a record this writer sent as {@code value}, or -1 if it is not one. */
    int idOf(String value) {
      if (!value.startsWith(prefix + "-")) {
        return -1;
      }
      int end = prefix.length() + 1;
      while (end < value.length() && Character.isDigit(value.charAt(end))) {
        end++;
      }
      try {
        return Integer.parseInt(value.substring(prefix.length() + 1, end));
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    String valueOf(int id) {
      return prefix + "-" + id;
    }

    /** Stops sending and waits for every outstanding record's outcome. */
    @Override
    public void close() throws Exception {
      running.set(false);
      thread.join(30_000);
      producer.flush(Duration.ofSeconds(120));
      producer.close();
      client.close();
    }
  }

  @Test
  void leaderKilledTenTimesDuringProduceLosesAndDuplicatesNothing() throws Exception {
    Writer writer = new Writer("kill");
    try (PyralogClient admin = client()) {
      for (int cycle = 1; cycle <= 10; cycle++) {
        int before = writer.acked.size();
        Awaitility.await("progress before kill " + cycle).atMost(Duration.ofSeconds(90))
            .until(() -> writer.acked.size() > before + 2_000);
        int leader = leaderOfPartition(admin, 0);
        long killedAt = System.nanoTime();
        cluster.kill(leader);
        int atKill = writer.acked.size();
        // The survivors elect a new leader and the producer carries on through it.
        Awaitility.await("progress after killing node " + leader).atMost(Duration.ofSeconds(90))
            .until(() -> writer.acked.size() > atKill + 1_000);
        long resumedAt = System.nanoTime();
        cluster.start(leader);
        System.out.printf("Kill %d of 10: node %d; 1,000 more records acknowledged %d ms after "
            + "the kill; node back after %d ms more; %,d records sent so far%n", cycle, leader,
            (resumedAt - killedAt) / 1_000_000, (System.nanoTime() - resumedAt) / 1_000_000,
            writer.sent.size());
      }
    } finally {
      writer.close();
    }
    assertExactlyOnce(writer);
  }

  /**
   * Transactions while partition leaders and the metadata leader (the transaction coordinator)
   * are killed with {@code kill -9}: a read_committed reader sees every committed transaction
   * whole and exactly once, nothing of an aborted one, and each transaction whose outcome the
   * producer could not learn either whole or not at all.
   */
  @Test
  void transactionsStayAllOrNothingWhileLeadersAreKilled() throws Exception {
    int perTxn = 200;
    Map<Integer, List<String>> committed = new ConcurrentHashMap<>();
    Map<Integer, List<String>> aborted = new ConcurrentHashMap<>();
    Map<Integer, List<String>> uncertain = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", cluster.bootstrap());
    config.put("request.timeout.ms", "30000");
    config.put("delivery.timeout.ms", "60000");
    config.put("transactional.id", "faults-txn");
    config.put("transaction.timeout.ms", "20000");
    Thread writer = new Thread(() -> {
      try (PyralogClient c = PyralogClient.create(config)) {
        PyralogProducer p = null;
        int t = 0;
        while (running.get()) {
          if (p == null) {
            try {
              p = c.producer();
              p.initTransactions(); // aborts what an earlier producer left open
            } catch (ApiException e) {
              p.close(Duration.ZERO);
              p = null;
              sleepMs(200);
              continue;
            }
          }
          List<String> values = new java.util.ArrayList<>();
          for (int i = 0; i < perTxn; i++) {
            values.add("txn" + t + "-" + i);
          }
          try {
            p.beginTransaction();
            for (String v : values) {
              p.send(new ProducerRecord(TOPIC, null, null, v.getBytes(StandardCharsets.UTF_8)));
            }
            p.commitTransaction();
            committed.put(t, values);
          } catch (ApiException e) {
            uncertain.put(t, values);
            try {
              p.abortTransaction();
              uncertain.remove(t);
              aborted.put(t, values);
            } catch (RuntimeException ignored) {
              // the outcome stays uncertain; a new producer fences and aborts what is open
            }
            p.close(Duration.ZERO);
            p = null;
          }
          t++;
        }
        if (p != null) {
          p.close();
        }
      }
    }, "txn-writer");
    writer.start();
    try (PyralogClient admin = client()) {
      for (int cycle = 1; cycle <= 6; cycle++) {
        int before = committed.size();
        Awaitility.await("transactions before kill " + cycle).atMost(Duration.ofSeconds(120))
            .until(() -> committed.size() >= before + 3);
        int victim = cycle % 2 == 1 ? leaderOfPartition(admin, cycle % PARTITIONS)
            : leaderOfSet(admin, "metadata", Set.of(1, 2, 3));
        if (victim < 0) {
          victim = leaderOfPartition(admin, 0);
        }
        cluster.kill(victim);
        int atKill = committed.size();
        Awaitility.await("transactions after killing node " + victim)
            .atMost(Duration.ofSeconds(120)).until(() -> committed.size() >= atKill + 3);
        cluster.start(victim);
      }
    } finally {
      running.set(false);
      writer.join(180_000);
    }
    assertThat(writer.isAlive()).as("the transactional writer stopped").isFalse();
    try (PyralogClient admin = client()) {
      // transactions a killed coordinator left prepared, or a dropped producer left open, end
      Awaitility.await("no transaction left open").atMost(Duration.ofSeconds(90))
          .until(() -> admin.admin().listTransactions("faults-txn", true).isEmpty());
    }
    List<String> read = TopicReader.readAllStored(cluster.bootstrap(), TOPIC, PARTITIONS,
        "read_committed").stream().map(TopicReader.Stored::value).toList();
    assertThat(new HashSet<>(read)).as("no duplicates").hasSameSizeAs(read);
    Set<String> seen = new HashSet<>(read);
    Set<String> known = new HashSet<>();
    committed.values().forEach(known::addAll);
    aborted.values().forEach(known::addAll);
    uncertain.values().forEach(known::addAll);
    assertThat(known).as("every record read was sent in a transaction").containsAll(seen);
    committed.forEach((t, values) -> assertThat(seen).as("committed transaction %d", t)
        .containsAll(values));
    aborted.forEach((t, values) -> assertThat(seen).as("aborted transaction %d", t)
        .doesNotContainAnyElementsOf(values));
    uncertain.forEach((t, values) -> {
      long present = values.stream().filter(seen::contains).count();
      assertThat(present).as("transaction %d is all or nothing", t).isIn(0L, (long) perTxn);
    });
    assertThat(committed).hasSizeGreaterThanOrEqualTo(36);
    System.out.printf("Transactions: %d committed, %d aborted, %d of unknown outcome%n",
        committed.size(), aborted.size(), uncertain.size());
  }

  @Test
  void leadershipReturnsToThePreferredLeaderWhenItComesBack() throws Exception {
    try (PyralogClient admin = client()) {
      String set = admin.admin().describeTopic(TOPIC).partitionInfo().get(0).replicaSet();
      int first = -1;
      for (var g : admin.admin().nodeStatus(cluster.node(1).bootstrap()).groups()) {
        if (g.name().equals(set)) {
          first = g.members().get(0); // the layout lists a set's preferred leader first
        }
      }
      assertThat(first).as("node 1 is a member of %s", set).isPositive();
      int preferred = first;
      Set<Integer> all = Set.of(1, 2, 3);
      // the preferred leader leads (the rebalancing brings it there) and every member has
      // committed as far as it: a settled set
      awaitOrDescribe(admin, set, all, "the preferred leader n" + preferred + " leads " + set
          + " with every member caught up", () -> leaderOfSet(admin, set, all) == preferred
              && membersCaughtUp(admin, set, preferred));

      cluster.kill(preferred);
      Set<Integer> alive = new java.util.TreeSet<>(all);
      alive.remove(preferred);
      awaitOrDescribe(admin, set, alive, "another member takes over " + set,
          () -> leaderOfSet(admin, set, alive) > 0);

      cluster.start(preferred);
      // the leader hands the set back once the preferred leader is up and has caught up
      awaitOrDescribe(admin, set, all, "leadership of " + set + " back on n" + preferred,
          () -> leaderOfSet(admin, set, all) == preferred);
      try (PyralogProducer producer = admin.producer()) {
        assertThat(send(producer, "after-rebalance").partition()).isGreaterThanOrEqualTo(0);
      }
    }
  }

  /** The node among {@code nodes} that reports leading the replica set, or -1 while none does. */
  private int leaderOfSet(PyralogClient client, String set, Set<Integer> nodes) {
    for (int id : nodes) {
      for (var g : client.admin().nodeStatus(cluster.node(id).bootstrap()).groups()) {
        if (g.name().equals(set) && g.role().equals("LEADER")) {
          return id;
        }
      }
    }
    return -1;
  }

  /** Whether every member of the set has committed as far as its leader {@code leader}. */
  private boolean membersCaughtUp(PyralogClient client, String set, int leader) {
    for (var g : client.admin().nodeStatus(cluster.node(leader).bootstrap()).groups()) {
      if (g.name().equals(set) && g.role().equals("LEADER")) {
        return g.memberCommits().size() == g.members().size()
            && g.memberCommits().stream().allMatch(c -> c.commitIndex() >= g.commitIndex());
      }
    }
    return false;
  }

  /** Awaits the condition for a minute; on timeout, fails with each node's view of the set. */
  private void awaitOrDescribe(PyralogClient client, String set, Set<Integer> nodes, String what,
      java.util.concurrent.Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .ignoreExceptions().until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder views = new StringBuilder();
      for (int id : nodes) {
        try {
          for (var g : client.admin().nodeStatus(cluster.node(id).bootstrap()).groups()) {
            if (g.name().equals(set)) {
              views.append("\n  n").append(id).append(": ").append(g);
            }
          }
        } catch (RuntimeException re) {
          views.append("\n  n").append(id).append(": ").append(re.getMessage());
        }
      }
      throw new AssertionError(what + " did not happen within 60 s; the nodes' views:" + views,
          e);
    }
  }

  @Test
  void wholeClusterKilledAtOnceLosesNothingAcknowledged() throws Exception {
    Writer writer = new Writer("all");
    try {
      Awaitility.await("progress").atMost(Duration.ofSeconds(90))
          .until(() -> writer.acked.size() > 20_000);
      for (int id = 1; id <= 3; id++) {
        cluster.kill(id);
      }
      for (int id = 1; id <= 3; id++) {
        cluster.start(id);
      }
      writer.running.set(false);
      writer.close();
    } finally {
      writer.close();
    }
    // What was acknowledged before the kill must be there, and so must what the producer
    // delivered after the restart.
    assertExactlyOnce(writer);
  }

  @Test
  void followerDownDuringHeavyWritesCatchesUpByteForByte() throws Exception {
    int follower;
    try (PyralogClient admin = client()) {
      int leader = leaderOfPartition(admin, 0);
      follower = leader % 3 + 1;
    }
    cluster.kill(follower);
    Writer writer = new Writer("catch-up");
    try {
      Awaitility.await("heavy writes").atMost(Duration.ofSeconds(120))
          .until(() -> writer.acked.size() > 60_000);
    } finally {
      writer.close();
    }
    cluster.start(follower);
    awaitSamePartitionFiles(follower);
    assertExactlyOnce(writer);
  }

  @Test
  void wipedFollowerIsRebuiltWhileTheClusterKeepsServing() throws Exception {
    int follower;
    try (PyralogClient admin = client()) {
      follower = leaderOfPartition(admin, 0) % 3 + 1; // a follower of partition 0
      // Enough metadata entries for the metadata group to checkpoint and purge its log too, so
      // that the wiped node must copy the metadata store rather than replay it.
      for (int i = 0; i < 600; i++) {
        admin.admin().commitOffsets("wipe-group", TOPIC, Map.of(0, (long) i));
      }
    }
    // All on partition 0, in 1 KiB records, so that its replica set fills several Raft log
    // segments, checkpoints, and purges the start of its log on every member: the wiped node
    // cannot replay it and must copy the leader's checkpoint.
    Writer writer = new Writer("wipe", 0, 1000);
    try {
      // Long enough for every member to checkpoint and purge the start of its Raft log, so that
      // the wiped node cannot replay the log and must copy a checkpoint.
      Awaitility.await("writes before the wipe").atMost(Duration.ofSeconds(120))
          .until(() -> writer.acked.size() > 60_000);
      cluster.kill(follower);
      io.pyralog.node.testing.PyralogClusterExtension.deleteRecursively(
          cluster.dataDir(follower));
      int atWipe = writer.acked.size();
      Awaitility.await("the cluster keeps serving without node " + follower)
          .atMost(Duration.ofSeconds(90)).until(() -> writer.acked.size() > atWipe + 10_000);
      cluster.start(follower);
      int atReturn = writer.acked.size();
      Awaitility.await("writes after the return").atMost(Duration.ofSeconds(90))
          .until(() -> writer.acked.size() > atReturn + 10_000);
    } finally {
      writer.close();
    }
    awaitSamePartitionFiles(follower);
    try (PyralogClient admin = client()) {
      assertThat(admin.admin().fetchOffsets("wipe-group", TOPIC)).containsEntry(0, 599L);
    }
    // Whether the node replayed the leaders' logs or had to copy a checkpoint
    // (ReplicaRebuildTest covers the copy) depends on how far the others had purged.
    assertExactlyOnce(writer);
  }

  @Test
  void writesFailClearlyWithoutAMajorityAndResumeWhenANodeReturns() throws Exception {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap", cluster.bootstrap());
    config.put("request.timeout.ms", "3000");
    config.put("delivery.timeout.ms", "8000");
    try (PyralogClient client = PyralogClient.create(config);
        PyralogProducer producer = client.producer()) {
      assertThat(send(producer, "before")).isNotNull();

      // One node of three down: a majority remains and writes go on.
      cluster.kill(3);
      assertThat(send(producer, "minority-down")).isNotNull();
      // A follower read through node 1 sees both acknowledged records once node 1 has learnt
      // that they are committed.
      assertThat(TopicReader.readFromFollowers(cluster.node(1).bootstrap(), TOPIC, PARTITIONS,
          Set.of("before", "minority-down"), Duration.ofSeconds(30)))
          .containsExactlyInAnyOrder("before", "minority-down");

      // Two down: no majority. The write fails within the delivery timeout, with an error that
      // says why, rather than hanging.
      cluster.kill(2);
      CompletableFuture<RecordMetadata> doomed = producer.send(ProducerRecord.of(TOPIC,
          "majority-down".getBytes(StandardCharsets.UTF_8)));
      ExecutionException failure = null;
      try {
        doomed.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failure = e;
      }
      assertThat(failure).as("a write without a majority must fail").isNotNull();
      assertThat(failure.getCause()).isInstanceOf(ApiException.class);
      // e.g. "... not acknowledged within delivery.timeout.ms ... Last error: NOT_ENOUGH_REPLICAS:
      // Partition 2 of topic 'faults' has 1 of 3 replicas reachable from its leader ..."
      assertThat(failure.getCause().getMessage()).contains("delivery.timeout.ms")
          .containsAnyOf("NOT_ENOUGH_REPLICAS", "NOT_LEADER", "no leader");

      // Node 1 alone has no leader for any replica set, yet it still serves follower reads of
      // everything committed: both acknowledged records, and not the write that never got a
      // majority even if node 1 appended it to its own Raft log.
      Awaitility.await("node 1 alone leads no replica set of factor 3").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
              client.admin().nodeStatus(cluster.node(1).bootstrap()).groups())
              .noneMatch(g -> g.replicationFactor() == 3 && g.role().equals("LEADER")));
      List<String> alone = TopicReader.readFromFollowers(cluster.node(1).bootstrap(), TOPIC,
          PARTITIONS, Set.of("before", "minority-down"), Duration.ofSeconds(30));
      assertThat(alone).containsExactlyInAnyOrder("before", "minority-down");

      // One node back: a majority again, and writes resume.
      cluster.start(2);
      assertThat(send(producer, "after")).isNotNull();
    }
    List<String> values = TopicReader.readAll(cluster.bootstrap(), TOPIC, PARTITIONS);
    assertThat(values).contains("before", "minority-down", "after");
    assertThat(values).doesNotHaveDuplicates();
  }

  /** Waits until node {@code id} holds the topic's segment files byte for byte as the next. */
  private void awaitSamePartitionFiles(int id) {
    int other = id % 3 + 1;
    Awaitility.await("node " + id + " holds the same partition files as node " + other)
        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          var expected = ReplicatedClusterITCase.segmentFiles(cluster.dataDir(other), TOPIC);
          var actual = ReplicatedClusterITCase.segmentFiles(cluster.dataDir(id), TOPIC);
          assertThat(actual.keySet()).isEqualTo(expected.keySet());
          for (String f : expected.keySet()) {
            assertThat(java.util.Arrays.equals(actual.get(f), expected.get(f)))
                .as("%s on node %d", f, id).isTrue();
          }
        });
  }

  private static RecordMetadata send(PyralogProducer producer, String value) throws Exception {
    return producer.send(ProducerRecord.of(TOPIC, value.getBytes(StandardCharsets.UTF_8)))
        .get(90, TimeUnit.SECONDS);
  }


  private int leaderOfPartition(PyralogClient client, int partition) {
    int[] leader = new int[1];
    Awaitility.await("a leader for partition " + partition).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
          TopicInfo info = client.admin().describeTopic(TOPIC);
          PartitionInfo p = info.partitionInfo().get(partition);
          leader[0] = p.leaderAddress() == null ? -1 : cluster.idOf(p.leaderAddress());
          return leader[0] > 0;
        });
    return leader[0];
  }

  /** Every acknowledged record exactly once; nothing that was never sent; no duplicates. */
  private void assertExactlyOnce(Writer writer) {
    BitSet read = new BitSet();
    List<String> duplicates = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    AtomicInteger duplicateCount = new AtomicInteger();
    TopicReader.forEachStored(cluster.bootstrap(), TOPIC, PARTITIONS, "read_uncommitted", s -> {
      int id = writer.idOf(s.value());
      if (id < 0 || !writer.sent.contains(id)) {
        unknown.add(s.toString());
      } else if (read.get(id)) {
        if (duplicateCount.incrementAndGet() <= 10) {
          duplicates.add(s.toString());
        }
      } else {
        read.set(id);
      }
    });
    assertThat(duplicates).as("records stored twice (value@partition:offset), first 10 of "
        + duplicateCount.get()).isEmpty();
    BitSet lost = writer.acked.snapshot();
    lost.andNot(read);
    assertThat(lost.stream().limit(10).mapToObj(writer::valueOf).toList())
        .as("acknowledged records lost, first 10 of " + lost.cardinality()).isEmpty();
    assertThat(unknown).as("records that were never sent").isEmpty();
    assertThat(writer.acked.size()).as("the writer made progress").isPositive();
  }

  private static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
