package io.pyralog.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tool outputs of one harness run, as {@code run.sh} leaves them: {@code
 * OUT/SYSTEM/NAME-rREP.out}, for example {@code out/kafka/produce-1kib-defaults-r2.out}. A run
 * whose output cannot be parsed counts as a missing sample, and is listed in {@link
 * #problems()}.
 */
public final class RunOutputs {
  public static final String PYRALOG = "pyralog";
  public static final String KAFKA = "kafka";
  public static final String DISK = "disk";

  private static final Pattern FILE_NAME = Pattern.compile("(.+)-r(\\d+)\\.out");

  private final Path dir;
  private final List<String> problems = new ArrayList<>();

  public RunOutputs(Path dir) {
    this.dir = dir;
  }

  /** Where the output of one repetition goes. */
  public static Path file(Path dir, String system, String name, int repetition) {
    return dir.resolve(system).resolve(name + "-r" + repetition + ".out");
  }

  public List<ProduceResult> kafkaProduce(String name) {
    return parseAll(KAFKA, name, KafkaPerfOutput::parseProducer);
  }

  public List<ConsumeResult> kafkaConsume(String name) {
    return parseAll(KAFKA, name, KafkaPerfOutput::parseConsumer);
  }

  public List<ProduceResult> pyralogProduce(String name) {
    return parseAll(PYRALOG, name, PyralogPerfOutput::parseProduce);
  }

  /** Pyralog's produce runs with latencies counted from the send() call, as Kafka's tool does. */
  public List<ProduceResult> pyralogProduceFromSend(String name) {
    return parseAll(PYRALOG, name, PyralogPerfOutput::parseProduceFromSend);
  }

  public List<ConsumeResult> pyralogConsume(String name) {
    return parseAll(PYRALOG, name, PyralogPerfOutput::parseConsume);
  }

  public List<Double> diskMbPerSec(String name) {
    return parseAll(DISK, name, DiskOutput::parseDdMbPerSec);
  }

  /** The runs whose output could not be read, one line each. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Every repetition of one run, in repetition order; unreadable ones are left out. */
  private <T> List<T> parseAll(String system, String name, Function<String, T> parser) {
    List<T> results = new ArrayList<>();
    for (Path file : repetitions(system, name)) {
      try {
        results.add(parser.apply(Files.readString(file, StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        problems.add(dir.relativize(file) + ": " + e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return results;
  }

  private List<Path> repetitions(String system, String name) {
    Path systemDir = dir.resolve(system);
    if (!Files.isDirectory(systemDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(systemDir)) {
      return files
          .filter(f -> {
            Matcher m = FILE_NAME.matcher(f.getFileName().toString());
            return m.matches() && m.group(1).equals(name);
          })
          .sorted((a, b) -> Integer.compare(repetition(a), repetition(b)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int repetition(Path file) {
    Matcher m = FILE_NAME.matcher(file.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(2)) : 0;
  }
}
