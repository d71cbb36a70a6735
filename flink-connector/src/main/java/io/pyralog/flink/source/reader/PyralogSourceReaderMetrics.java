package io.pyralog.flink.source.reader;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.TopicPartition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.vector.FieldVector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * The reader's standard connector metrics: {@code numBytesIn} (Arrow bytes fetched), {@code
 * currentFetchEventTimeLag} (fetch time minus the event time of the last fetched record) and
 * {@code pendingRecords} (records behind the end of the assigned partitions). Flink itself keeps
 * {@code numRecordsIn} and {@code currentEmitEventTimeLag}. Updated on the fetcher thread, read
 * by the metric reporters.
 */
final class PyralogSourceReaderMetrics {
  private final Counter bytesIn;
  private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
  private volatile long fetchLagMs = -1;

  PyralogSourceReaderMetrics(SourceReaderMetricGroup group) {
    this.bytesIn = group.getIOMetricGroup().getNumBytesInCounter();
    group.gauge("currentFetchEventTimeLag", () -> fetchLagMs);
    group.setPendingRecordsGauge(() -> lag.values().stream().mapToLong(Long::longValue).sum());
  }

  void fetched(ArrowBatch batch, long nowMs) {
    long bytes = 0;
    for (FieldVector v : batch.root().getFieldVectors()) {
      bytes += v.getBufferSize();
    }
    bytesIn.inc(bytes);
    fetchLagMs = Math.max(0, nowMs - batch.maxTimestamp());
    lag.put(batch.topicPartition(), Math.max(0, batch.highWatermark() - batch.nextOffset()));
  }

  void removed(TopicPartition tp) {
    lag.remove(tp);
  }
}
