package io.pyralog.flink.sink;

import io.pyralog.common.annotation.Internal;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What a writer keeps in a checkpoint: the transactional id prefix it used, so that a job
 * restored with another prefix still aborts the transactions the old one left open.
 */
@Internal
public record PyralogWriterState(String transactionalIdPrefix) {

  /** Version 1: the prefix (UTF, empty when the writer had none). */
  @Internal
  public static final class Serializer implements SimpleVersionedSerializer<PyralogWriterState> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(PyralogWriterState state) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(64);
      out.writeUTF(state.transactionalIdPrefix() == null ? "" : state.transactionalIdPrefix());
      return out.getCopyOfBuffer();
    }

    @Override
    public PyralogWriterState deserialize(int version, byte[] bytes) throws IOException {
      if (version != 1) {
        throw new IOException("Unknown writer state version " + version
            + " (this version reads 1)");
      }
      String prefix = new DataInputDeserializer(bytes).readUTF();
      return new PyralogWriterState(prefix.isEmpty() ? null : prefix);
    }
  }
}
