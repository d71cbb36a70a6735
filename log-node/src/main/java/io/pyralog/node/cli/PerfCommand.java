package io.pyralog.node.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pyralog perf produce|consume}: load generators shaped like Kafka's perf tools. */
@Command(name = "perf", mixinStandardHelpOptions = true,
    description = "Measure produce and consume throughput and latency.",
    subcommands = {PerfCommand.Produce.class, PerfCommand.Consume.class})
final class PerfCommand {

  @Command(name = "produce", mixinStandardHelpOptions = true,
      description = "Send N records of B bytes and report records/s, MB/s and send-to-ack "
          + "latency percentiles. The last line is one JSON object.")
  static final class Produce implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--topic", required = true) String topic;
    @Option(names = "--records", required = true, paramLabel = "N") long records;
    @Option(names = "--record-size", required = true, paramLabel = "B") int recordSize;
    @Option(names = "--producers", paramLabel = "P", description = "Producer threads (default 1).")
    int producers = 1;
    @Option(names = "--rate", paramLabel = "R",
        description = "Records per second in total, as an open-loop schedule; latency counts "
            + "from each record's scheduled send time, or from its send() call when it went out "
            + "early (records due within 1 ms are sent together). The JSON's sendLatency* fields "
            + "count from the send() call, as Kafka's ProducerPerformance does. Default: as fast "
            + "as possible.")
    Long rate;

    @Override
    public Integer call() throws Exception {
      if (records < 1 || recordSize < 1 || producers < 1 || (rate != null && rate < 1)) {
        throw Errors.INVALID_REQUEST.exception(
            "--records, --record-size, --producers and --rate must be positive");
      }
      Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(5), 3);
      // With --rate, also from the send() call instead of the due time, as Kafka's
      // ProducerPerformance measures; without --rate the two are the same
      Recorder fromSend = rate == null ? null : new Recorder(TimeUnit.MINUTES.toNanos(5), 3);
      AtomicLong acked = new AtomicLong();
      AtomicReference<Throwable> error = new AtomicReference<>();
      byte[] payload = new byte[recordSize];
      new Random(42).nextBytes(payload);
      try (PyralogClient c = client.connect()) {
        TopicInfo info = c.admin().describeTopic(topic);
        int partitions = info.partitions();
        List<Thread> threads = new ArrayList<>();
        // the producers exist before the clock starts, as in Kafka's ProducerPerformance; each
        // thread closes its own once it has flushed
        List<PyralogProducer> senders = new ArrayList<>();
        for (int t = 0; t < producers; t++) {
          senders.add(c.producer());
        }
        long start = System.nanoTime();
        for (int t = 0; t < producers; t++) {
          final int id = t;
          long share = records / producers + (id < records % producers ? 1 : 0);
          Thread thread = new Thread(() -> {
            try (PyralogProducer producer = senders.get(id)) {
              SendSchedule schedule = rate == null ? null
                  : new SendSchedule(start, (double) rate / producers);
              for (long i = 0; i < share && error.get() == null; i++) {
                if (schedule != null) {
                  long park = schedule.parkNanos(i, System.nanoTime());
                  if (park > 0) {
                    LockSupport.parkNanos(park);
                  }
                }
                long called = System.nanoTime();
                long sendTime = schedule == null ? called : schedule.latencyStartNanos(i, called);
                int partition = (int) ((i * producers + id) % partitions);
                // a callback per record, as Kafka's ProducerPerformance uses
                producer.send(new ProducerRecord(topic, partition, null, payload), (md, ex) -> {
                  if (ex != null) {
                    error.compareAndSet(null, ex);
                  } else {
                    long now = System.nanoTime();
                    recorder.recordValue(Math.max(0, now - sendTime));
                    if (fromSend != null) {
                      fromSend.recordValue(Math.max(0, now - called));
                    }
                    acked.incrementAndGet();
                  }
                });
              }
              producer.flush();
            }
          }, "perf-producer-" + t);
          threads.add(thread);
          thread.start();
        }
        Histogram total = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
        long lastAcked = 0;
        long lastTime = start;
        while (threads.stream().anyMatch(Thread::isAlive)) {
          for (Thread th : threads) {
            th.join(1000);
            if (th.isAlive()) {
              break;
            }
          }
          long now = System.nanoTime();
          Histogram interval = recorder.getIntervalHistogram();
          total.add(interval);
          long a = acked.get();
          double secs = (now - lastTime) / 1e9;
          if (secs >= 0.9 && threads.stream().anyMatch(Thread::isAlive)) {
            System.out.printf("%d records acknowledged, %.1f records/sec (%.2f MB/sec), "
                    + "%.1f ms p50, %.1f ms p99 latency%n", a, (a - lastAcked) / secs,
                (a - lastAcked) * (double) recordSize / secs / 1e6,
                interval.getValueAtPercentile(50) / 1e6, interval.getValueAtPercentile(99) / 1e6);
            lastAcked = a;
            lastTime = now;
          }
        }
        total.add(recorder.getIntervalHistogram());
        Histogram totalFromSend = fromSend == null ? total : fromSend.getIntervalHistogram();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (error.get() != null) {
          throw Errors.UNKNOWN_SERVER_ERROR.exception("Produce failed after " + acked.get()
              + " acknowledged records: " + PyralogCli.describe(error.get()));
        }
        long n = acked.get();
        double rps = n / elapsed;
        double mbps = n * (double) recordSize / elapsed / 1e6;
        System.out.printf("%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, "
                + "%.2f ms max latency, %.2f ms 50th, %.2f ms 99th, %.2f ms 99.9th.%n", n, rps,
            mbps, total.getMean() / 1e6, total.getMaxValue() / 1e6,
            total.getValueAtPercentile(50) / 1e6, total.getValueAtPercentile(99) / 1e6,
            total.getValueAtPercentile(99.9) / 1e6);
        if (rate != null) {
          System.out.printf("Counted from the send() call instead of the due time: %.2f ms 50th, "
                  + "%.2f ms 99th, %.2f ms 99.9th.%n", totalFromSend.getValueAtPercentile(50) / 1e6,
              totalFromSend.getValueAtPercentile(99) / 1e6,
              totalFromSend.getValueAtPercentile(99.9) / 1e6);
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("records", n);
        json.put("recordSize", recordSize);
        json.put("elapsedSec", round(elapsed));
        json.put("recordsPerSec", round(rps));
        json.put("mbPerSec", round(mbps));
        json.put("latencyAvgMs", round(total.getMean() / 1e6));
        json.put("latencyP50Ms", round(total.getValueAtPercentile(50) / 1e6));
        json.put("latencyP99Ms", round(total.getValueAtPercentile(99) / 1e6));
        json.put("latencyP999Ms", round(total.getValueAtPercentile(99.9) / 1e6));
        json.put("latencyMaxMs", round(total.getMaxValue() / 1e6));
        json.put("sendLatencyP50Ms", round(totalFromSend.getValueAtPercentile(50) / 1e6));
        json.put("sendLatencyP99Ms", round(totalFromSend.getValueAtPercentile(99) / 1e6));
        json.put("sendLatencyP999Ms", round(totalFromSend.getValueAtPercentile(99.9) / 1e6));
        System.out.println(json);
      }
      return 0;
    }
  }

  @Command(name = "consume", mixinStandardHelpOptions = true,
      description = "Read N records from the start of every partition and report throughput. "
          + "The last line is one JSON object.")
  static final class Consume implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--topic", required = true) String topic;
    @Option(names = "--records", required = true, paramLabel = "N") long records;
    @Option(names = "--timeout-ms", description = "Give up after this long without data "
        + "(default 10000).")
    long timeoutMs = 10_000;

    @Override
    public Integer call() {
      try (PyralogClient c = client.connect(); PyralogConsumer consumer = c.consumer()) {
        TopicInfo info = c.admin().describeTopic(topic);
        List<TopicPartition> parts = new ArrayList<>();
        for (int p = 0; p < info.partitions(); p++) {
          parts.add(new TopicPartition(topic, p));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        long start = System.nanoTime();
        long lastData = start;
        long lastReport = start;
        long count = 0;
        long bytes = 0;
        while (count < records) {
          try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
            for (ArrowBatch b : batches.batches()) {
              count += b.recordCount();
              bytes += b.root().getFieldVectors().stream()
                  .mapToLong(v -> v.getBufferSize()).sum();
            }
            long now = System.nanoTime();
            if (!batches.isEmpty()) {
              lastData = now;
            } else if (now - lastData > timeoutMs * 1_000_000L) {
              throw Errors.REQUEST_TIMED_OUT.exception("Only " + count + " of " + records
                  + " records arrived; no data for " + timeoutMs + " ms");
            }
            if (now - lastReport > 1_000_000_000L) {
              System.out.printf("%d records consumed, %.1f records/sec%n", count,
                  count / ((now - start) / 1e9));
              lastReport = now;
            }
          }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d records consumed in %.2f s, %.1f records/sec (%.2f MB/sec).%n",
            count, elapsed, count / elapsed, bytes / elapsed / 1e6);
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("records", count);
        json.put("elapsedSec", round(elapsed));
        json.put("recordsPerSec", round(count / elapsed));
        json.put("mbPerSec", round(bytes / elapsed / 1e6));
        System.out.println(json);
      }
      return 0;
    }
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
