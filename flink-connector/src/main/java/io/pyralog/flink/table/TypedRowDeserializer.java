package io.pyralog.flink.table;

import io.pyralog.client.ArrowBatch;
import io.pyralog.client.ConsumerRecord;
import io.pyralog.flink.source.PyralogDeserializationSchema;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.Collector;

/**
 * Reads rows of a typed topic straight from its Arrow columns, matched to the table's columns
 * by name; metadata columns follow. With projection push-down the batches hold only the columns
 * the query needs.
 */
final class TypedRowDeserializer implements PyralogDeserializationSchema<RowData> {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final List<LogicalType> types;
  private final List<ReadableMetadata> metadata;
  private final String topicDescription;
  private final TypeInformation<RowData> producedType;
  private transient VectorSchemaRoot lastRoot;
  private transient FieldVector[] vectors;

  /** @param physical the columns to produce (after projection), in order */
  TypedRowDeserializer(RowType physical, List<ReadableMetadata> metadata, String topicDescription,
      TypeInformation<RowData> producedType) {
    this.names = List.copyOf(physical.getFieldNames());
    this.types = List.copyOf(physical.getChildren());
    this.metadata = List.copyOf(metadata);
    this.topicDescription = topicDescription;
    this.producedType = producedType;
  }

  @Override
  public void deserialize(ArrowBatch batch, int row, Collector<RowData> out) throws IOException {
    VectorSchemaRoot root = batch.root();
    if (root != lastRoot) {
      vectors = bind(root, batch.topicPartition().topic());
      lastRoot = root;
    }
    GenericRowData result = new GenericRowData(names.size() + metadata.size());
    for (int i = 0; i < vectors.length; i++) {
      result.setField(i, ArrowToFlink.read(vectors[i], row));
    }
    if (!metadata.isEmpty()) {
      ConsumerRecord record = batch.record(row);
      for (int i = 0; i < metadata.size(); i++) {
        result.setField(names.size() + i, metadata.get(i).read(record));
      }
    }
    out.collect(result);
  }

  private FieldVector[] bind(VectorSchemaRoot root, String topic) {
    FieldVector[] out = new FieldVector[names.size()];
    for (int i = 0; i < names.size(); i++) {
      FieldVector v = root.getVector(names.get(i));
      if (v == null) {
        throw new IllegalStateException("Column '" + names.get(i) + "' of the table is not in "
            + "topic '" + topic + "'" + (root.getSchema().getFields().isEmpty() ? ""
            : "; the batch has " + root.getSchema().getFields().stream().map(f -> f.getName())
            .toList()) + ". Is " + topicDescription + " a typed topic with that column?");
      }
      if (!ArrowToFlink.compatible(types.get(i), v.getField())) {
        throw new IllegalStateException("Column '" + names.get(i) + "' is " + types.get(i)
            + " in the table but " + v.getField().getType() + " in topic '" + topic + "', which "
            + "reads as " + ArrowToFlink.flinkRoot(v.getField()) + " (see docs/flink.md)");
      }
      out[i] = v;
    }
    return out;
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }
}
