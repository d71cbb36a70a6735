package io.pyralog.benchmarks.jmh;

import io.pyralog.benchmarks.harness.Harness;
import io.pyralog.client.BatchResult;
import io.pyralog.client.NewTopic;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.node.server.NodeConfig;
import io.pyralog.node.server.PyralogNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The produce round trip over Flight on loopback, against a real node started in this JVM (free
 * ports, a temporary data directory, default settings: synced Raft commit, one replica set) with
 * a raw topic of one partition. Each operation sends one batch of 256 records with 1 KiB values
 * (about 266 KB on the wire) and waits until the node acknowledges it, i.e. until it is
 * committed (fsync'd in the Raft log) and applied. Client and node share the machine's cores.
 *
 * <ul>
 *   <li>{@code producerSendBatch}: {@link PyralogProducer#sendBatch} then wait on its future
 *       (copy into the producer's buffer, sender thread, idempotent DoPut stream);
 *   <li>{@code flightDoPut}: a plain Flight client on one open DoPut stream: {@code putNext} of
 *       the batch with {@code {"partition":0}} app metadata, then read its {@code PutResult};
 *   <li>{@code producerSendBatchLatency}, {@code flightDoPutLatency}: the same as latency
 *       distributions (JMH sample mode: every round trip is timed);
 *   <li>{@code producerSendBatchPipelined}: 16 {@code sendBatch} calls, then wait for all 16;
 *       one operation is one batch. It shows how much a single round trip leaves idle.
 * </ul>
 */
@Fork(value = 2, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Dpyralog.log.level=WARN", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class FlightProduceBenchmark {
  static final String TOPIC = "jmh-produce";
  static final int PIPELINE = 16;
  private static final byte[] PARTITION_0 = "{\"partition\":0}".getBytes(StandardCharsets.UTF_8);

  private Path dataDir;
  private PyralogNode node;
  private PyralogClient client;
  private PyralogProducer producer;
  private VectorSchemaRoot batch;
  private final CompletableFuture<?>[] inFlight = new CompletableFuture<?>[PIPELINE];

  private BufferAllocator flightAllocator;
  private FlightClient flight;
  private VectorSchemaRoot putRoot;
  private FlightClient.ClientStreamListener putStream;
  private SyncPutListener acks;

  @Setup(Level.Trial)
  public void startNode() throws IOException {
    dataDir = Files.createTempDirectory("pyralog-jmh-node-");
    List<Integer> free = Harness.freePorts(2);
    int port = free.get(0);
    Map<String, String> props = new HashMap<>();
    props.put("data.dir", dataDir.toString());
    props.put("port", Integer.toString(port));
    props.put("raft.port", Integer.toString(free.get(1)));
    node = new PyralogNode(NodeConfig.fromMap(props)).start();

    client = PyralogClient.create("127.0.0.1:" + port);
    client.admin().createTopic(NewTopic.builder(TOPIC).partitions(1).build());
    producer = client.producer();
    batch = RawBatches.build(client.allocator(), RawBatches.RECORDS, RawBatches.VALUE_BYTES,
        System.currentTimeMillis());

    flightAllocator = new RootAllocator();
    flight = FlightClient.builder(flightAllocator, Location.forGrpcInsecure("127.0.0.1", port))
        .build();
    putRoot = RawBatches.build(flightAllocator, RawBatches.RECORDS, RawBatches.VALUE_BYTES,
        System.currentTimeMillis());
    acks = new SyncPutListener();
    putStream = flight.startPut(FlightDescriptor.path(TOPIC), putRoot, acks);

    // one of each, so that a broken setup fails here and not as a figure
    producerSendBatch();
    String ack = flightDoPut();
    if (ack.contains("\"error\"")) {
      throw new IllegalStateException("DoPut was not acknowledged: " + ack);
    }
  }

  @TearDown(Level.Trial)
  public void stopNode() throws Exception {
    try {
      putStream.completed();
      putStream.getResult();
      acks.close();
      putRoot.close();
      flight.close();
      flightAllocator.close();
      batch.close();
      producer.close();
      client.close();
    } finally {
      node.close();
      RawBatches.deleteRecursively(dataDir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public BatchResult producerSendBatch() {
    try {
      return producer.sendBatch(TOPIC, 0, batch).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link #producerSendBatch()} as a latency distribution. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public BatchResult producerSendBatchLatency() {
    return producerSendBatch();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public String flightDoPut() {
    ArrowBuf metadata = flightAllocator.buffer(PARTITION_0.length);
    metadata.writeBytes(PARTITION_0);
    putStream.putNext(metadata);
    try (PutResult result = acks.read()) {
      ArrowBuf md = result.getApplicationMetadata();
      byte[] json = new byte[(int) md.readableBytes()];
      md.getBytes(md.readerIndex(), json);
      return new String(json, StandardCharsets.UTF_8);
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link #flightDoPut()} as a latency distribution. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public String flightDoPutLatency() {
    return flightDoPut();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PIPELINE)
  public void producerSendBatchPipelined() {
    for (int i = 0; i < PIPELINE; i++) {
      inFlight[i] = producer.sendBatch(TOPIC, 0, batch);
    }
    CompletableFuture.allOf(inFlight).join();
  }

}
