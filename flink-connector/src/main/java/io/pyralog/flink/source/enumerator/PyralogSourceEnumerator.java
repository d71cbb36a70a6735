package io.pyralog.flink.source.enumerator;

import io.pyralog.client.OffsetSpec;
import io.pyralog.client.PyralogAdmin;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.split.PyralogPartitionSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the partitions of the selected topics (once, or every discovery interval), resolves where
 * each starts and, for a bounded source, stops, and hands each partition to one reader: always
 * the same reader for the same partition at a given parallelism, spread like the Kafka
 * connector's. A partition is assigned once; after that its progress lives in the reader's split.
 */
public final class PyralogSourceEnumerator
    implements SplitEnumerator<PyralogPartitionSplit, PyralogEnumeratorState> {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogSourceEnumerator.class);

  private final SplitEnumeratorContext<PyralogPartitionSplit> context;
  private final PyralogClient client;
  private final TopicSelector topics;
  private final OffsetsInitializer starting;
  private final OffsetsInitializer stopping;
  private final String groupId;
  private final long discoveryIntervalMs;
  private final Set<TopicPartition> assigned;
  private final Map<Integer, List<PyralogPartitionSplit>> pending = new HashMap<>();
  private volatile boolean initialDiscoveryFinished;
  /** A discovery has completed in this instance (not checkpointed: a restore looks again). */
  private boolean discoveredHere;
  /**
   * Readers told "no more splits" since they registered. Each is told once: a reader that has
   * finished is not running, and Flink fails the job over an event it cannot deliver.
   */
  private final Set<Integer> toldNoMore = new HashSet<>();

  public PyralogSourceEnumerator(SplitEnumeratorContext<PyralogPartitionSplit> context,
      PyralogClient client, TopicSelector topics, OffsetsInitializer starting,
      OffsetsInitializer stopping, String groupId, long discoveryIntervalMs,
      PyralogEnumeratorState restored) {
    this.context = context;
    this.client = client;
    this.topics = topics;
    this.starting = starting;
    this.stopping = stopping;
    this.groupId = groupId;
    this.discoveryIntervalMs = stopping == null ? discoveryIntervalMs : -1;
    this.assigned = ConcurrentHashMap.newKeySet();
    if (restored != null) {
      assigned.addAll(restored.assignedPartitions());
      for (PyralogPartitionSplit s : restored.pendingSplits()) {
        assigned.add(s.topicPartition());
        pending.computeIfAbsent(owner(s.topicPartition(), context.currentParallelism()),
            k -> new ArrayList<>()).add(s);
      }
    }
    this.initialDiscoveryFinished = restored != null && restored.initialDiscoveryFinished();
  }

  @Override
  public void start() {
    if (discoveryIntervalMs > 0) {
      LOG.info("Discovering the partitions of {} every {} ms, starting at {}", topics,
          discoveryIntervalMs, starting);
      context.callAsync(this::discover, this::onDiscovered, 0, discoveryIntervalMs);
    } else {
      LOG.info("Discovering the partitions of {} once, starting at {}{}", topics, starting,
          stopping == null ? "" : ", stopping at " + stopping);
      context.callAsync(this::discover, this::onDiscovered);
    }
  }

  /** Runs on a worker thread: the new partitions, with their offsets resolved. */
  private List<PyralogPartitionSplit> discover() {
    List<TopicPartition> found = topics.partitions(client.admin());
    List<TopicPartition> fresh = new ArrayList<>();
    for (TopicPartition tp : found) {
      if (!assigned.contains(tp)) {
        fresh.add(tp);
      }
    }
    if (fresh.isEmpty()) {
      return List.of();
    }
    OffsetsInitializer.OffsetsLookup lookup = lookup(client.admin());
    // a partition that appears after the first discovery is read from its start, as Kafka does
    OffsetsInitializer from = initialDiscoveryFinished ? OffsetsInitializer.earliest() : starting;
    Map<TopicPartition, Long> starts = from.resolve(fresh, lookup);
    Map<TopicPartition, Long> stops = stopping == null ? Map.of()
        : stopping.resolve(fresh, lookup);
    List<PyralogPartitionSplit> splits = new ArrayList<>(fresh.size());
    for (TopicPartition tp : fresh) {
      splits.add(new PyralogPartitionSplit(tp, starts.get(tp),
          stopping == null ? PyralogPartitionSplit.NO_STOPPING_OFFSET : stops.get(tp)));
    }
    return splits;
  }

  private OffsetsInitializer.OffsetsLookup lookup(PyralogAdmin admin) {
    return new OffsetsInitializer.OffsetsLookup() {
      @Override
      public Map<Integer, Long> list(String topic, OffsetSpec spec) {
        return admin.listOffsets(topic, spec);
      }

      @Override
      public Map<Integer, Long> committed(String topic) {
        if (groupId == null) {
          throw new IllegalStateException("Starting from committed offsets needs a group id: "
              + "set it with setGroupId or the property group.id");
        }
        return admin.fetchOffsets(groupId, topic);
      }
    };
  }

  private void onDiscovered(List<PyralogPartitionSplit> splits, Throwable error) {
    if (error != null) {
      throw new FlinkRuntimeException("Could not list the partitions of " + topics + ": "
          + error.getMessage(), error);
    }
    initialDiscoveryFinished = true;
    discoveredHere = true;
    int added = 0;
    for (PyralogPartitionSplit s : splits) {
      // a discovery that started before the previous one was handled may repeat its partitions
      if (!assigned.add(s.topicPartition())) {
        continue;
      }
      added++;
      pending.computeIfAbsent(owner(s.topicPartition(), context.currentParallelism()),
          k -> new ArrayList<>()).add(s);
    }
    if (added > 0) {
      LOG.info("Found {} new partitions of {}", added, topics);
    }
    assignPending();
  }

  /** The reader of {@code tp}: consecutive partitions of a topic go to consecutive readers. */
  static int owner(TopicPartition tp, int readers) {
    int start = ((tp.topic().hashCode() * 31) & 0x7FFFFFFF) % readers;
    return (start + tp.partition()) % readers;
  }

  private void assignPending() {
    Map<Integer, List<PyralogPartitionSplit>> now = new HashMap<>();
    for (Integer reader : context.registeredReaders().keySet()) {
      List<PyralogPartitionSplit> splits = pending.remove(reader);
      if (splits != null && !splits.isEmpty()) {
        now.put(reader, splits);
      }
    }
    if (!now.isEmpty()) {
      context.assignSplits(new SplitsAssignment<>(now));
    }
    if (discoveryIntervalMs <= 0 && discoveredHere) {
      for (Integer reader : context.registeredReaders().keySet()) {
        if (!pending.containsKey(reader) && toldNoMore.add(reader)) {
          context.signalNoMoreSplits(reader);
        }
      }
    }
  }

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {
    // splits are pushed, not pulled
  }

  @Override
  public void addSplitsBack(List<PyralogPartitionSplit> splits, int subtaskId) {
    for (PyralogPartitionSplit s : splits) {
      pending.computeIfAbsent(owner(s.topicPartition(), context.currentParallelism()),
          k -> new ArrayList<>()).add(s);
    }
    if (context.registeredReaders().containsKey(subtaskId)) {
      assignPending();
    }
  }

  @Override
  public void addReader(int subtaskId) {
    LOG.debug("Reader {} registered", subtaskId);
    toldNoMore.remove(subtaskId); // a restarted reader must be told again
    assignPending();
  }

  @Override
  public PyralogEnumeratorState snapshotState(long checkpointId) {
    Set<TopicPartition> handedOut = new HashSet<>(assigned);
    List<PyralogPartitionSplit> notYet = new ArrayList<>();
    pending.values().forEach(l -> l.forEach(s -> {
      handedOut.remove(s.topicPartition());
      notYet.add(s);
    }));
    return new PyralogEnumeratorState(handedOut, notYet, initialDiscoveryFinished);
  }

  @Override
  public void close() {
    client.close();
  }
}
