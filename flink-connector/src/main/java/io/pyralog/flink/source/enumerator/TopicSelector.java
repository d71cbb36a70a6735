package io.pyralog.flink.source.enumerator;

import io.pyralog.client.PyralogAdmin;
import io.pyralog.client.TopicPartition;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The topics a source reads: a fixed list, or every topic whose name matches a pattern. */
public final class TopicSelector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> topics;
  private final Pattern pattern;

  private TopicSelector(List<String> topics, Pattern pattern) {
    this.topics = topics;
    this.pattern = pattern;
  }

  public static TopicSelector topics(List<String> topics) {
    if (topics == null || topics.isEmpty()) {
      throw new IllegalArgumentException("Name at least one topic");
    }
    return new TopicSelector(List.copyOf(topics), null);
  }

  public static TopicSelector pattern(Pattern pattern) {
    return new TopicSelector(null, pattern);
  }

  /**
   * Every partition of the selected topics as the cluster has them now. A listed topic that
   * does not exist fails with the node's error; a pattern that matches nothing gives no partitions.
   */
  public List<TopicPartition> partitions(PyralogAdmin admin) {
    TreeSet<String> names = new TreeSet<>();
    if (topics != null) {
      names.addAll(topics);
    } else {
      admin.listTopics().forEach(t -> {
        if (pattern.matcher(t.name()).matches()) {
          names.add(t.name());
        }
      });
    }
    List<TopicPartition> out = new ArrayList<>();
    for (String name : names) {
      int n = admin.describeTopic(name).partitions();
      for (int p = 0; p < n; p++) {
        out.add(new TopicPartition(name, p));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return topics != null ? "topics " + topics : "topics matching " + pattern.pattern();
  }
}
