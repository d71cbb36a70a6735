package io.pyralog.node.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerBatches;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogConsumer;
import io.pyralog.client.TopicPartition;
import io.pyralog.common.config.PyralogConfigOptions;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.protocol.Json;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyralog consume TOPIC}. */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Print records of a topic to standard output.")
final class ConsumeCommand implements Callable<Integer> {
  @Mixin ClientOptions client;
  @Parameters(index = "0", paramLabel = "TOPIC") String topic;

  @Option(names = "--from", paramLabel = "earliest|latest|OFFSET|@EPOCH_MS",
      description = "Where to start in every partition (default: latest).")
  String from = "latest";

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
  Long max;

  @Option(names = "--until-end",
      description = "Stop at the end offsets taken when the command starts.")
  boolean untilEnd;

  @Option(names = "--partition", description = "Read only this partition.")
  Integer partition;

  @Option(names = "--format", paramLabel = "value|jsonl",
      description = "value: one record value per line; jsonl: one JSON object per record with "
          + "topic, partition, offset, timestamp, key, value and headers (default: value).")
  String format = "value";

  @Option(names = "--group", description = "Commit the final positions to this consumer group.")
  String group;

  @Option(names = "--isolation-level", paramLabel = "read_committed|read_uncommitted",
      description = "read_committed prints only records of committed transactions (and records "
          + "written outside transactions); with --until-end it stops at the last stable offset "
          + "(default: read_uncommitted).")
  String isolationLevel;

  @Override
  public Integer call() {
    if (!format.equals("value") && !format.equals("jsonl")) {
      throw Errors.INVALID_REQUEST.exception("Unknown --format '" + format
          + "'; use value or jsonl");
    }
    PrintWriter out = new PrintWriter(new BufferedWriter(
        new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
    long printed = 0;
    if (isolationLevel != null) {
      client.properties.put(PyralogConfigOptions.ISOLATION_LEVEL.key(), isolationLevel);
    }
    try (PyralogClient c = client.connect(); PyralogConsumer consumer = c.consumer()) {
      TopicInfo info = c.admin().describeTopic(topic);
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < info.partitions(); p++) {
        if (partition == null || partition == p) {
          parts.add(new TopicPartition(topic, p));
        }
      }
      if (parts.isEmpty()) {
        throw Errors.UNKNOWN_TOPIC_OR_PARTITION.exception("Partition " + partition
            + " of topic '" + topic + "' does not exist; the topic has partitions 0-"
            + (info.partitions() - 1));
      }
      consumer.assign(parts);
      seek(consumer, parts);
      Map<TopicPartition, Long> ends = untilEnd ? consumer.endOffsets(parts) : Map.of();
      Map<TopicPartition, Long> positions = new HashMap<>();
      while (max == null || printed < max) {
        if (untilEnd && reachedEnd(consumer, parts, ends)) {
          break;
        }
        try (ConsumerBatches batches = consumer.poll(Duration.ofMillis(500))) {
          for (ArrowBatch batch : batches.batches()) {
            for (int row = 0; row < batch.recordCount() && (max == null || printed < max);
                row++) {
              long offset = batch.offset(row);
              Long end = ends.get(batch.topicPartition());
              if (end != null && offset >= end) {
                break;
              }
              print(out, batch, row, offset);
              printed++;
              positions.put(batch.topicPartition(), offset + 1);
            }
          }
        }
        out.flush();
      }
      if (group != null && !positions.isEmpty()) {
        Map<Integer, Long> commit = new HashMap<>();
        positions.forEach((tp, o) -> commit.put(tp.partition(), o));
        c.admin().commitOffsets(group, topic, commit);
      }
    }
    out.flush();
    System.err.println("Consumed " + printed + " records.");
    return 0;
  }

  private void seek(PyralogConsumer consumer, List<TopicPartition> parts) {
    switch (from) {
      case "earliest" -> consumer.seekToBeginning(parts);
      case "latest" -> consumer.seekToEnd(parts);
      default -> {
        try {
          if (from.startsWith("@")) {
            long ts = Long.parseLong(from.substring(1));
            parts.forEach(tp -> consumer.seekToTimestamp(tp, ts));
          } else {
            long offset = Long.parseLong(from);
            parts.forEach(tp -> consumer.seek(tp, offset));
          }
        } catch (NumberFormatException e) {
          throw Errors.INVALID_REQUEST.exception("Invalid --from '" + from
              + "'; use earliest, latest, an offset, or @EPOCH_MS");
        }
      }
    }
  }

  private static boolean reachedEnd(PyralogConsumer consumer, List<TopicPartition> parts,
      Map<TopicPartition, Long> ends) {
    for (TopicPartition tp : parts) {
      if (consumer.position(tp) < ends.get(tp)) {
        return false;
      }
    }
    return true;
  }

  private void print(PrintWriter out, ArrowBatch batch, int row, long offset) {
    if (batch.isRaw()) {
      ConsumerRecord r = batch.records().get(row);
      if (format.equals("value")) {
        out.println(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
        return;
      }
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("topic", r.topic());
      n.put("partition", r.partition());
      n.put("offset", r.offset());
      n.put("timestamp", r.timestamp());
      n.put("key", r.key() == null ? null : text(r.key()));
      n.put("value", r.value() == null ? null : text(r.value()));
      ObjectNode h = n.putObject("headers");
      if (r.headers() != null) {
        r.headers().forEach((k, v) -> h.put(k, v == null ? null : text(v)));
      }
      out.println(n);
      return;
    }
    VectorSchemaRoot root = batch.root();
    ObjectNode value = Json.MAPPER.createObjectNode();
    for (var v : root.getFieldVectors()) {
      Object o = v.getObject(row);
      value.putPOJO(v.getName(), o == null ? null : o instanceof byte[] b ? text(b)
          : o.toString());
    }
    if (format.equals("value")) {
      out.println(value);
      return;
    }
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("topic", batch.topicPartition().topic());
    n.put("partition", batch.topicPartition().partition());
    n.put("offset", offset);
    n.put("timestamp", batch.maxTimestamp());
    n.set("value", value);
    out.println(n);
  }

  /** UTF-8 text when the bytes are valid UTF-8, otherwise "base64:" and the Base64 form. */
  static String text(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder();
    try {
      return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
  }
}
