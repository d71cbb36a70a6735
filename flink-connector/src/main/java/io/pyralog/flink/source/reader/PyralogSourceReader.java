package io.pyralog.flink.source.reader;

import io.pyralog.client.PyralogClient;
import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.split.PyralogPartitionSplit;
import io.pyralog.flink.source.split.PyralogPartitionSplitState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source reader: one fetcher thread with one consumer for all of this subtask's partitions.
 * When a checkpoint completes it commits the offsets that checkpoint holds to the consumer group
 * (when enabled), so that tools and a later {@code committedOffsets()} start see the job's
 * progress. Flink's checkpoint, not the group offset, is what a restored job resumes from.
 */
public final class PyralogSourceReader<T> extends SingleThreadMultiplexSourceReaderBase<
    PyralogRow, T, PyralogPartitionSplit, PyralogPartitionSplitState> {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogSourceReader.class);

  private final PyralogClient client;
  private final String groupId;
  private final boolean commitOffsets;
  private final SortedMap<Long, Map<TopicPartition, Long>> offsetsToCommit = new TreeMap<>();
  private final ExecutorService committer;
  private final Counter commitsSucceeded;
  private final Counter commitsFailed;
  private final Set<PyralogFetch> outstanding;
  /**
   * The end offsets of splits that finished. They are no longer in the checkpoints, so every
   * later commit carries them: a checkpoint that is aborted must not lose them.
   */
  private final Map<TopicPartition, Long> finishedOffsets = new HashMap<>();

  /**
   * @param columns the only columns to fetch of typed topics, or null for all
   */
  public PyralogSourceReader(PyralogClient client, Duration pollTimeout, List<String> columns,
      PyralogRecordEmitter<T> emitter, Configuration config, SourceReaderContext context,
      String groupId, boolean commitOffsets) {
    this(client, ConcurrentHashMap.newKeySet(), pollTimeout, columns, emitter, config, context,
        groupId, commitOffsets);
  }

  private PyralogSourceReader(PyralogClient client, Set<PyralogFetch> outstanding,
      Duration pollTimeout, List<String> columns, PyralogRecordEmitter<T> emitter,
      Configuration config, SourceReaderContext context, String groupId, boolean commitOffsets) {
    super(splitReaders(client, pollTimeout, columns, context, outstanding), emitter, config,
        context);
    this.outstanding = outstanding;
    this.client = client;
    this.groupId = groupId;
    this.commitOffsets = commitOffsets && groupId != null;
    this.committer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "pyralog-offset-commit-" + context.getIndexOfSubtask());
      t.setDaemon(true);
      return t;
    });
    this.commitsSucceeded = context.metricGroup().counter("commitsSucceeded");
    this.commitsFailed = context.metricGroup().counter("commitsFailed");
  }

  private static Supplier<SplitReader<PyralogRow, PyralogPartitionSplit>> splitReaders(
      PyralogClient client, Duration pollTimeout, List<String> columns,
      SourceReaderContext context, Set<PyralogFetch> outstanding) {
    PyralogSourceReaderMetrics metrics = new PyralogSourceReaderMetrics(context.metricGroup());
    return () -> new PyralogPartitionSplitReader(client, pollTimeout, columns, metrics,
        outstanding);
  }

  @Override
  protected void onSplitFinished(Map<String, PyralogPartitionSplitState> finished) {
    finished.values().forEach(s -> {
      LOG.info("Finished {} at offset {}", s.split(), s.currentOffset());
      if (commitOffsets) {
        finishedOffsets.put(s.split().topicPartition(), s.currentOffset());
      }
    });
  }

  @Override
  protected PyralogPartitionSplitState initializedState(PyralogPartitionSplit split) {
    return new PyralogPartitionSplitState(split);
  }

  @Override
  protected PyralogPartitionSplit toSplitType(String splitId, PyralogPartitionSplitState state) {
    return state.toSplit();
  }

  @Override
  public List<PyralogPartitionSplit> snapshotState(long checkpointId) {
    List<PyralogPartitionSplit> splits = super.snapshotState(checkpointId);
    if (commitOffsets) {
      // finished splits are no longer in the checkpoint; their end still goes to the group
      Map<TopicPartition, Long> offsets = new HashMap<>(finishedOffsets);
      for (PyralogPartitionSplit s : splits) {
        offsets.put(s.topicPartition(), s.startingOffset());
      }
      offsetsToCommit.put(checkpointId, offsets);
    }
    return splits;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    Map<TopicPartition, Long> offsets = offsetsToCommit.get(checkpointId);
    offsetsToCommit.headMap(checkpointId + 1).clear();
    if (offsets == null || offsets.isEmpty()) {
      return;
    }
    committer.execute(() -> commit(checkpointId, offsets));
  }

  private void commit(long checkpointId, Map<TopicPartition, Long> offsets) {
    Map<String, Map<Integer, Long>> byTopic = new HashMap<>();
    offsets.forEach((tp, o) -> byTopic.computeIfAbsent(tp.topic(), t -> new HashMap<>())
        .put(tp.partition(), o));
    try {
      byTopic.forEach((topic, o) -> client.admin().commitOffsets(groupId, topic, o));
      commitsSucceeded.inc();
      LOG.debug("Committed the offsets of checkpoint {} for group {}: {}", checkpointId, groupId,
          offsets);
    } catch (RuntimeException e) {
      commitsFailed.inc();
      LOG.warn("Could not commit the offsets of checkpoint {} for group '{}': {}. The job goes "
          + "on; its progress is in its checkpoints", checkpointId, groupId, e.getMessage());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      super.close();
    } finally {
      // a fetch being emitted when the task stopped, or held by a fetcher, is never recycled
      for (PyralogFetch f : List.copyOf(outstanding)) {
        f.recycle();
      }
      committer.shutdown();
      committer.awaitTermination(10, TimeUnit.SECONDS);
      client.close();
    }
  }
}
