package io.pyralog.node.cli;

import io.pyralog.client.NewTopic;
import io.pyralog.client.PyralogClient;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions.PartitionInfo;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.common.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyralog topic create|list|describe|delete}. */
@Command(name = "topic", description = "Create, list, describe and delete topics.",
    mixinStandardHelpOptions = true,
    subcommands = {TopicCommand.Create.class, TopicCommand.ListTopics.class,
        TopicCommand.Describe.class, TopicCommand.Delete.class})
final class TopicCommand {

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--partitions", description = "Number of partitions (default: 1).")
    Integer partitions;
    @Option(names = "--replication-factor", description = "Copies of each partition (default: 1).")
    Integer replicationFactor;
    @Option(names = "--schema", paramLabel = "FILE.json",
        description = "Typed topic: an Arrow schema as JSON (see docs/schemas.md).")
    Path schema;
    @Option(names = "--retention-ms", description = "Delete data older than this; -1 = forever.")
    Long retentionMs;
    @Option(names = "--retention-bytes", description = "Cap per partition; -1 = no limit.")
    Long retentionBytes;
    @Option(names = "--segment-bytes", description = "Roll segments at this size.")
    Long segmentBytes;
    @Option(names = "--segment-ms", description = "Roll segments at this age.")
    Long segmentMs;

    @Override
    public Integer call() {
      NewTopic.Builder b = NewTopic.builder(name);
      if (partitions != null) {
        b.partitions(partitions);
      }
      if (replicationFactor != null) {
        b.replicationFactor(replicationFactor);
      }
      if (schema != null) {
        try {
          b.schemaJson(Files.readString(schema));
        } catch (IOException e) {
          throw Errors.INVALID_CONFIG.exception("Cannot read schema file " + schema + ": "
              + e.getMessage());
        }
      }
      if (retentionMs != null) {
        b.retentionMs(retentionMs);
      }
      if (retentionBytes != null) {
        b.retentionBytes(retentionBytes);
      }
      if (segmentBytes != null) {
        b.segmentBytes(segmentBytes);
      }
      if (segmentMs != null) {
        b.segmentMs(segmentMs);
      }
      try (PyralogClient c = client.connect()) {
        TopicInfo t = c.admin().createTopic(b.build());
        System.out.println("Created topic " + t.name() + " with " + t.partitions()
            + " partition" + (t.partitions() == 1 ? "" : "s") + ".");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List topics.")
  static final class ListTopics implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      try (PyralogClient c = client.connect()) {
        for (TopicInfo t : c.admin().listTopics()) {
          System.out.println(t.name());
        }
      }
      return 0;
    }
  }

  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Show a topic's settings, schema and partitions.")
  static final class Describe implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      try (PyralogClient c = client.connect()) {
        TopicInfo t = c.admin().describeTopic(name);
        System.out.printf("Topic: %s  Id: %d  Partitions: %d  ReplicationFactor: %d%n", t.name(),
            t.topicId(), t.partitions(), t.replicationFactor());
        System.out.printf("Config: retention.ms=%d retention.bytes=%d segment.bytes=%d "
            + "segment.ms=%d%n", t.retentionMs(), t.retentionBytes(), t.segmentBytes(),
            t.segmentMs());
        System.out.println("Schema: " + (t.raw()
            ? "raw (key: binary, value: binary, headers: map<utf8, binary>, timestamp: "
                + "timestamp[ms])"
            : oneLine(t.schema())));
        List<PartitionInfo> parts = t.partitionInfo();
        for (PartitionInfo p : parts) {
          System.out.printf("  Partition: %d  ReplicaSet: %s  Leader: %d  LogStartOffset: %d  "
              + "HighWatermark: %d%n", p.partition(), p.replicaSet(), p.leader(),
              p.logStartOffset(), p.highWatermark());
        }
      }
      return 0;
    }
  }

  /** The schema JSON on a single line (Arrow's own schema JSON is pretty-printed). */
  static String oneLine(String schemaJson) {
    try {
      return Json.MAPPER.readTree(schemaJson).toString();
    } catch (IOException e) {
      return schemaJson.replace('\n', ' ');
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      try (PyralogClient c = client.connect()) {
        c.admin().deleteTopic(name);
        System.out.println("Deleted topic " + name + ".");
      }
      return 0;
    }
  }
}
