package io.pyralog.flink.source.enumerator;

import io.pyralog.client.TopicPartition;
import io.pyralog.flink.source.split.PyralogPartitionSplit;
import io.pyralog.flink.source.split.PyralogPartitionSplitSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 1: the assigned partitions (count, then topic UTF and partition int each), the pending
 * splits (count, then length-prefixed bytes of the split serializer's version each), then the
 * discovery flag.
 */
public final class PyralogEnumeratorStateSerializer
    implements SimpleVersionedSerializer<PyralogEnumeratorState> {
  private static final int VERSION = 1;
  private final PyralogPartitionSplitSerializer splits = new PyralogPartitionSplitSerializer();

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(PyralogEnumeratorState state) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(state.assignedPartitions().size());
      for (TopicPartition tp : state.assignedPartitions()) {
        out.writeUTF(tp.topic());
        out.writeInt(tp.partition());
      }
      out.writeInt(state.pendingSplits().size());
      out.writeInt(splits.getVersion());
      for (PyralogPartitionSplit s : state.pendingSplits()) {
        byte[] b = splits.serialize(s);
        out.writeInt(b.length);
        out.write(b);
      }
      out.writeBoolean(state.initialDiscoveryFinished());
    }
    return bytes.toByteArray();
  }

  @Override
  public PyralogEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
    if (version != VERSION) {
      throw new IOException("Unknown version " + version + " of a Pyralog enumerator state; "
          + "this connector reads version " + VERSION);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      int n = in.readInt();
      Set<TopicPartition> assigned = new HashSet<>(n * 2);
      for (int i = 0; i < n; i++) {
        assigned.add(new TopicPartition(in.readUTF(), in.readInt()));
      }
      int pendingCount = in.readInt();
      int splitVersion = in.readInt();
      List<PyralogPartitionSplit> pending = new ArrayList<>(pendingCount);
      for (int i = 0; i < pendingCount; i++) {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        pending.add(splits.deserialize(splitVersion, b));
      }
      return new PyralogEnumeratorState(assigned, pending, in.readBoolean());
    }
  }
}
