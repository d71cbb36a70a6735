package io.pyralog.flink.sink;

import io.pyralog.common.annotation.Internal;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: transactional id (UTF), producer id (long), producer epoch (short). */
@Internal
public final class PyralogCommittableSerializer
    implements SimpleVersionedSerializer<PyralogCommittable> {

  @Override
  public int getVersion() {
    return 1;
  }

  @Override
  public byte[] serialize(PyralogCommittable c) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeUTF(c.transactionalId());
    out.writeLong(c.producerId());
    out.writeShort(c.producerEpoch());
    return out.getCopyOfBuffer();
  }

  @Override
  public PyralogCommittable deserialize(int version, byte[] bytes) throws IOException {
    if (version != 1) {
      throw new IOException("Unknown committable version " + version + " (this version reads 1)");
    }
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    return new PyralogCommittable(in.readUTF(), in.readLong(), in.readShort());
  }
}
