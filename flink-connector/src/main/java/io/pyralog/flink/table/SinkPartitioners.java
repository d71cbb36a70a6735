package io.pyralog.flink.table;

import io.pyralog.flink.sink.PyralogPartitioner;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.InstantiationUtil;

/** The partitioners that {@code sink.partitioner} names. */
final class SinkPartitioners {
  private SinkPartitioners() {}

  /** Null for {@code default}: the producer partitions by key, or spreads keyless rows. */
  @SuppressWarnings("unchecked")
  static PyralogPartitioner<RowData> of(String name, ClassLoader loader) {
    switch (name) {
      case "default":
        return null;
      case "fixed":
        return new Fixed();
      case "round-robin":
        return new RoundRobin();
      default:
        try {
          Class<?> c = Class.forName(name, true, loader);
          if (!PyralogPartitioner.class.isAssignableFrom(c)) {
            throw new ValidationException("sink.partitioner class " + name + " does not "
                + "implement " + PyralogPartitioner.class.getName());
          }
          return (PyralogPartitioner<RowData>) InstantiationUtil.instantiate(c);
        } catch (ClassNotFoundException e) {
          throw new ValidationException("Unknown sink.partitioner '" + name + "': use default, "
              + "fixed, round-robin or the class name of a PyralogPartitioner");
        }
    }
  }

  /** Each sink subtask writes to one partition: subtask index modulo the partition count. */
  static final class Fixed implements PyralogPartitioner<RowData> {
    private static final long serialVersionUID = 1L;
    private int subtask;

    @Override
    public void open(int subtaskId, int parallelism) {
      this.subtask = subtaskId;
    }

    @Override
    public int partition(RowData record, byte[] key, byte[] value, String topic, int partitions) {
      return subtask % partitions;
    }
  }

  /** Rows go to the partitions in turn. */
  static final class RoundRobin implements PyralogPartitioner<RowData> {
    private static final long serialVersionUID = 1L;
    private int next;

    @Override
    public void open(int subtaskId, int parallelism) {
      this.next = subtaskId;
    }

    @Override
    public int partition(RowData record, byte[] key, byte[] value, String topic, int partitions) {
      int p = Math.floorMod(next, partitions);
      next++;
      return p;
    }
  }
}
