package io.pyralog.flink.source.enumerator;

import io.pyralog.client.TopicPartition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: count (int), then topic (UTF) and partition (int) each, then the discovery flag. */
public final class PyralogEnumeratorStateSerializer
    implements SimpleVersionedSerializer<PyralogEnumeratorState> {
  private static final int VERSION = 1;

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
      return new PyralogEnumeratorState(assigned, in.readBoolean());
    }
  }
}
