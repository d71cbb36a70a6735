package io.pyralog.flink.source.split;

import io.pyralog.client.TopicPartition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: topic (UTF), partition (int), starting offset (long), stopping offset (long). */
public final class PyralogPartitionSplitSerializer
    implements SimpleVersionedSerializer<PyralogPartitionSplit> {
  private static final int VERSION = 1;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(PyralogPartitionSplit split) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(split.topicPartition().topic());
      out.writeInt(split.topicPartition().partition());
      out.writeLong(split.startingOffset());
      out.writeLong(split.stoppingOffset());
    }
    return bytes.toByteArray();
  }

  @Override
  public PyralogPartitionSplit deserialize(int version, byte[] serialized) throws IOException {
    if (version != VERSION) {
      throw new IOException("Unknown version " + version + " of a Pyralog split; this connector "
          + "reads version " + VERSION);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      TopicPartition tp = new TopicPartition(in.readUTF(), in.readInt());
      return new PyralogPartitionSplit(tp, in.readLong(), in.readLong());
    }
  }
}
