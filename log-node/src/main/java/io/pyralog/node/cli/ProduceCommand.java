package io.pyralog.node.cli;

import io.pyralog.client.ProducerRecord;
import io.pyralog.client.PyralogClient;
import io.pyralog.client.PyralogProducer;
import io.pyralog.client.RecordMetadata;
import io.pyralog.common.errors.PyralogException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyralog produce TOPIC}: one record per line of standard input. */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "Write one record per line of standard input to a raw topic; prints how many "
        + "were acknowledged.")
final class ProduceCommand implements Callable<Integer> {
  @Mixin ClientOptions client;
  @Parameters(index = "0", paramLabel = "TOPIC") String topic;

  @Option(names = "--key-separator", paramLabel = "SEP",
      description = "Split each line at the first SEP into key and value.")
  String keySeparator;

  @Option(names = "--partition", description = "Write every record to this partition.")
  Integer partition;

  @Override
  public Integer call() throws Exception {
    AtomicLong acked = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    long lines = 0;
    List<CompletableFuture<RecordMetadata>> window = new ArrayList<>();
    try (PyralogClient c = client.connect();
        PyralogProducer producer = c.producer();
        BufferedReader in = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)) {
      c.admin().describeTopic(topic); // fail fast on an unknown topic
      String line;
      while ((line = in.readLine()) != null && firstError.get() == null) {
        byte[] key = null;
        String value = line;
        if (keySeparator != null) {
          int at = line.indexOf(keySeparator);
          if (at >= 0) {
            key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            value = line.substring(at + keySeparator.length());
          }
        }
        ProducerRecord r = new ProducerRecord(topic, partition, key,
            value.getBytes(StandardCharsets.UTF_8));
        lines++;
        producer.send(r).whenComplete((md, t) -> {
          if (t != null) {
            firstError.compareAndSet(null, t);
          } else {
            acked.incrementAndGet();
          }
        });
      }
      producer.flush();
    }
    if (firstError.get() != null) {
      System.out.println("Acknowledged " + acked.get() + " of " + lines + " records.");
      Throwable t = firstError.get();
      throw t instanceof PyralogException p ? p : new PyralogException(PyralogCli.describe(t), t);
    }
    System.out.println("Acknowledged " + acked.get() + " records.");
    return 0;
  }
}
