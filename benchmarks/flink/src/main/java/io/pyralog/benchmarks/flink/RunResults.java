package io.pyralog.benchmarks.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The results of one run of {@code benchmarks/flink.sh}: the {@code RESULT} lines of the output
 * files in its {@code out/} directory, and a note for every run that did not print all of its
 * results.
 *
 * <p>Files are named by what ran in them: {@code fill.out} (both systems' topics),
 * {@code projection-SYSTEM-rN.out} (both projections) and {@code sink-SYSTEM-rN.out} (both
 * delivery guarantees).
 */
public final class RunResults {
  private final List<Result> results = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  public RunResults(Path outDir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(outDir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".out"))
          .sorted(Comparator.comparing(Path::toString)).toList();
    }
    for (Path file : files) {
      add(file.getFileName().toString(),
          Files.readAllLines(file, StandardCharsets.UTF_8));
    }
  }

  /** For tests: the results of the given files, by name and lines. */
  RunResults(List<String> names, List<List<String>> contents) {
    for (int i = 0; i < names.size(); i++) {
      add(names.get(i), contents.get(i));
    }
  }

  public List<Result> results() {
    return results;
  }

  /** One line per run that is missing a result, with the end of its output. */
  public List<String> problems() {
    return problems;
  }

  private void add(String name, List<String> lines) {
    List<Result> found = new ArrayList<>();
    for (String line : lines) {
      try {
        Result.parse(line).ifPresent(found::add);
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    results.addAll(found);
    List<String> missing = new ArrayList<>();
    for (String expected : expected(name)) {
      if (found.stream().noneMatch(r -> expected.equals(r.variant().isEmpty() ? r.system()
          : r.variant()))) {
        missing.add(expected);
      }
    }
    if (!missing.isEmpty()) {
      problems.add(name + ": no result for " + String.join(", ", missing)
          + "; its output ends with: " + lastLine(lines));
    }
  }

  /** The variants (or, for the fill, the systems) a file of this name should have results for. */
  static List<String> expected(String name) {
    if (name.equals("fill.out")) {
      return List.of(Result.PYRALOG, Result.KAFKA);
    }
    if (name.startsWith(Result.PROJECTION + "-")) {
      return List.of(Result.TWO_OF_20, Result.ALL_20);
    }
    if (name.startsWith(Result.SINK + "-")) {
      return List.of(Result.AT_LEAST_ONCE, Result.EXACTLY_ONCE);
    }
    return List.of();
  }

  private static String lastLine(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (!line.isEmpty()) {
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
      }
    }
    return "(no output)";
  }
}
