package io.pyralog.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.NewTopic;
import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.common.protocol.Actions.TopicInfo;
import io.pyralog.flink.sink.PyralogRecordSerializationSchema;
import io.pyralog.flink.sink.PyralogSink;
import io.pyralog.flink.source.OffsetsInitializer;
import io.pyralog.flink.source.PyralogSource;
import io.pyralog.node.testing.ClusterProcesses;
import io.pyralog.node.testing.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Flink job reads and writes a 3-node cluster while a node that leads partitions of both topics
 * is killed with {@code kill -9} and started again: the source and the sink follow the new
 * leaders, and every input record reaches the output (at least once).
 */
class ConnectorFailoverITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = TestFlink.miniCluster();

  private static final int RECORDS = 20_000;

  /** Slows the job so that the kill lands in the middle of it: one millisecond per 20 records. */
  static final class Pace implements MapFunction<String, String> {
    static final AtomicLong SEEN = new AtomicLong();

    @Override
    public String map(String value) throws Exception {
      if (SEEN.incrementAndGet() % 20 == 0) {
        Thread.sleep(1);
      }
      return value;
    }
  }

  @Test
  void aJobKeepsEveryRecordWhenALeaderIsKilledAndRestarted() throws Exception {
    try (ClusterProcesses cluster = new ClusterProcesses(3, List.of()).start();
        PyralogClient client = PyralogClient.create(Map.of("bootstrap", cluster.bootstrap(),
            "request.timeout.ms", "5000"))) {
      for (String topic : List.of("fo-in", "fo-out")) {
        client.admin().createTopic(NewTopic.builder(topic).partitions(4).replicationFactor(3)
            .build());
        awaitLeaders(client, topic);
      }
      // faults start on a settled cluster, as in the node's own fault tests
      awaitPreferredLeaders(cluster, client);
      List<String> input = new ArrayList<>(RECORDS);
      try (PyralogProducer producer = client.producer()) {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
          String v = "r-" + i;
          input.add(v);
          acks.add(producer.send(ProducerRecord.ofStrings("fo-in", "k" + i, v)));
        }
        producer.flush();
        acks.forEach(CompletableFuture::join);
      }

      Configuration conf = new Configuration();
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      env.setParallelism(2);
      env.enableCheckpointing(300);
      PyralogSource<String> source = PyralogSource.<String>builder()
          .setBootstrap(cluster.bootstrap())
          .setTopics("fo-in")
          .setStartingOffsets(OffsetsInitializer.earliest())
          .setBounded(OffsetsInitializer.latest())
          .setValueOnlyDeserializer(new SimpleStringSchema())
          .build();
      PyralogSink<String> sink = PyralogSink.<String>builder()
          .setBootstrap(cluster.bootstrap())
          .setRecordSerializer(PyralogRecordSerializationSchema.<String>builder()
              .setTopic("fo-out")
              .setValueSerializationSchema(new SimpleStringSchema())
              .build())
          .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
          .build();
      Pace.SEEN.set(0);
      env.fromSource(source, WatermarkStrategy.noWatermarks(), "fo-in")
          .map(new Pace())
          .sinkTo(sink);
      JobClient job = env.executeAsync("failover");

      // kill the node that leads partition 0 of the input once a quarter has passed the job
      Awaitility.await().atMost(Duration.ofSeconds(60))
          .until(() -> Pace.SEEN.get() > RECORDS / 4);
      int victim = cluster.idOf(client.admin().describeTopic("fo-in").partitionInfo().get(0)
          .leaderAddress());
      assertThat(victim).isPositive();
      cluster.kill(victim);
      long seenAtKill = Pace.SEEN.get();
      Thread.sleep(3000);
      cluster.start(victim);

      job.getJobExecutionResult().get();
      assertThat(seenAtKill).as("the kill came before the job's end").isLessThan(RECORDS);
      List<String> output = TopicReader.readAll(cluster.bootstrap(), "fo-out", 4);
      assertThat(new HashSet<>(output)).isEqualTo(new HashSet<>(input));
      assertThat(output).hasSizeGreaterThanOrEqualTo(RECORDS);
    }
  }

  /** Until every replica set is led by its preferred leader (the first of its members). */
  private static void awaitPreferredLeaders(ClusterProcesses cluster, PyralogClient client) {
    Awaitility.await("preferred leaders").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
          for (int id = 1; id <= 3; id++) {
            for (var g : client.admin().nodeStatus(cluster.node(id).bootstrap()).groups()) {
              if (g.name().startsWith("rs-") && g.members().get(0) == id
                  && !g.role().equals("LEADER")) {
                return false;
              }
            }
          }
          return true;
        });
  }

  private static void awaitLeaders(PyralogClient client, String topic) {
    Awaitility.await("leaders of " + topic).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
          TopicInfo info = client.admin().describeTopic(topic);
          return info.partitionInfo().stream().allMatch(p -> p.leaderAddress() != null);
        });
  }
}
