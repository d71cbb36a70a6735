package io.pyralog.flink.source.reader;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.split.PyralogPartitionSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the batches of this reader's splits with one {@link PyralogConsumer}, on the split
 * fetcher thread. Each fetched batch is moved (not copied) into memory the reader owns, because
 * the consumer releases a poll's batches on the next poll while the task thread may still be
 * emitting them. A bounded split finishes once the consumer's position reaches its stopping
 * offset.
 */
public final class PyralogPartitionSplitReader implements SplitReader<PyralogRow,
    PyralogPartitionSplit> {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogPartitionSplitReader.class);

  private final PyralogConsumer consumer;
  private final BufferAllocator allocator;
  private final Duration pollTimeout;
  private final List<String> columns;
  private final Set<String> projectedTopics = new HashSet<>();
  private final PyralogSourceReaderMetrics metrics;
  private final Set<PyralogFetch> outstanding;
  private final Map<TopicPartition, Long> paused = new HashMap<>();
  private final Map<TopicPartition, Long> stoppingOffsets = new HashMap<>();
  private final Set<String> finishedOnAssignment = new HashSet<>();

  /**
   * @param columns the only columns to fetch of typed topics (projection on the node), or null
   *     for all
   */
  PyralogPartitionSplitReader(PyralogClient client, Duration pollTimeout, List<String> columns,
      PyralogSourceReaderMetrics metrics, Set<PyralogFetch> outstanding) {
    this.metrics = metrics;
    this.outstanding = outstanding;
    this.consumer = client.consumer();
    this.allocator = client.allocator();
    this.pollTimeout = pollTimeout;
    this.columns = columns == null || columns.isEmpty() ? null : List.copyOf(columns);
  }

  @Override
  public RecordsWithSplitIds<PyralogRow> fetch() {
    Map<String, List<PyralogFetch.Rows>> bySplit = new HashMap<>();
    Set<String> finished = new HashSet<>(finishedOnAssignment);
    finishedOnAssignment.clear();
    if (!consumer.assignment().isEmpty()) {
      try (ConsumerBatches batches = consumer.poll(pollTimeout)) {
        long now = System.currentTimeMillis();
        for (ArrowBatch b : batches.batches()) {
          metrics.fetched(b, now);
          Long stop = stoppingOffsets.get(b.topicPartition());
          int rows = stop == null ? b.recordCount()
              : (int) Math.max(0, Math.min(b.recordCount(), stop - b.baseOffset()));
          if (rows == 0) {
            continue;
          }
          bySplit.computeIfAbsent(PyralogPartitionSplit.splitId(b.topicPartition()),
              k -> new ArrayList<>()).add(new PyralogFetch.Rows(owned(b), rows));
        }
      } catch (RuntimeException e) {
        PyralogFetch.release(bySplit);
        throw e;
      }
      List<TopicPartition> done = new ArrayList<>();
      for (Map.Entry<TopicPartition, Long> e : stoppingOffsets.entrySet()) {
        if (consumer.position(e.getKey()) >= e.getValue()) {
          done.add(e.getKey());
        }
      }
      if (!done.isEmpty()) {
        unassign(done);
        done.forEach(tp -> finished.add(PyralogPartitionSplit.splitId(tp)));
      }
    }
    return new PyralogFetch(bySplit, finished, outstanding);
  }

  /** A batch whose Arrow buffers now belong to this reader, not to the consumer's poll. */
  private ArrowBatch owned(ArrowBatch b) {
    VectorSchemaRoot source = b.root();
    List<FieldVector> vectors = new ArrayList<>(source.getFieldVectors().size());
    for (FieldVector v : source.getFieldVectors()) {
      TransferPair transfer = v.getTransferPair(allocator);
      transfer.transfer();
      vectors.add((FieldVector) transfer.getTo());
    }
    VectorSchemaRoot root = new VectorSchemaRoot(source.getSchema().getFields(), vectors,
        source.getRowCount());
    return new ArrowBatch(b.topicPartition(), b.baseOffset(), b.firstTimestamp(),
        b.maxTimestamp(), b.highWatermark(), b.isRaw(), root);
  }

  @Override
  public void handleSplitsChanges(SplitsChange<PyralogPartitionSplit> change) {
    if (!(change instanceof SplitsAddition)) {
      throw new UnsupportedOperationException("Unsupported split change " + change);
    }
    List<TopicPartition> assignment = new ArrayList<>(consumer.assignment());
    List<PyralogPartitionSplit> added = new ArrayList<>();
    for (PyralogPartitionSplit s : change.splits()) {
      if (s.isBounded() && s.startingOffset() >= s.stoppingOffset()) {
        LOG.info("{} is empty; finishing it", s);
        finishedOnAssignment.add(s.splitId());
        continue;
      }
      assignment.add(s.topicPartition());
      added.add(s);
    }
    consumer.assign(assignment);
    for (PyralogPartitionSplit s : added) {
      if (columns != null && projectedTopics.add(s.topicPartition().topic())) {
        consumer.project(s.topicPartition().topic(), columns);
      }
      consumer.seek(s.topicPartition(), s.startingOffset());
      if (s.isBounded()) {
        stoppingOffsets.put(s.topicPartition(), s.stoppingOffset());
      }
      LOG.info("Reading {}", s);
    }
  }

  private void unassign(Collection<TopicPartition> partitions) {
    List<TopicPartition> rest = new ArrayList<>(consumer.assignment());
    rest.removeAll(partitions);
    consumer.assign(rest);
    partitions.forEach(stoppingOffsets::remove);
    partitions.forEach(metrics::removed);
  }

  /**
   * Watermark alignment: a paused split's partition leaves the consumer's assignment (so nothing
   * is fetched for it) and comes back at the same position when it is resumed.
   */
  @Override
  public void pauseOrResumeSplits(Collection<PyralogPartitionSplit> toPause,
      Collection<PyralogPartitionSplit> toResume) {
    List<TopicPartition> assignment = new ArrayList<>(consumer.assignment());
    for (PyralogPartitionSplit s : toPause) {
      TopicPartition tp = s.topicPartition();
      if (assignment.remove(tp)) {
        paused.put(tp, consumer.position(tp));
      }
    }
    List<TopicPartition> resumed = new ArrayList<>();
    for (PyralogPartitionSplit s : toResume) {
      if (paused.containsKey(s.topicPartition())) {
        assignment.add(s.topicPartition());
        resumed.add(s.topicPartition());
      }
    }
    consumer.assign(assignment);
    for (TopicPartition tp : resumed) {
      consumer.seek(tp, paused.remove(tp));
    }
  }

  @Override
  public void wakeUp() {
    // a poll waits at most pollTimeout; nothing to interrupt
  }

  @Override
  public void close() {
    consumer.close();
  }
}
