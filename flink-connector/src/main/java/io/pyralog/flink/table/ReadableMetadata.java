package io.pyralog.flink.table;

import io.pyralog.client.ConsumerRecord;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

/** The metadata columns a table can read: {@code METADATA FROM 'offset'} and so on. */
enum ReadableMetadata {
  TOPIC("topic", DataTypes.STRING().notNull()) {
    @Override
    Object read(ConsumerRecord r) {
      return StringData.fromString(r.topic());
    }
  },
  PARTITION("partition", DataTypes.INT().notNull()) {
    @Override
    Object read(ConsumerRecord r) {
      return r.partition();
    }
  },
  OFFSET("offset", DataTypes.BIGINT().notNull()) {
    @Override
    Object read(ConsumerRecord r) {
      return r.offset();
    }
  },
  TIMESTAMP("timestamp", DataTypes.TIMESTAMP_WITH_LOCAL_TIME_ZONE(3).notNull()) {
    @Override
    Object read(ConsumerRecord r) {
      return TimestampData.fromEpochMillis(r.timestamp());
    }
  },
  HEADERS("headers", DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable())
      .notNull()) {
    @Override
    Object read(ConsumerRecord r) {
      Map<StringData, byte[]> m = new java.util.HashMap<>();
      r.headers().forEach((k, v) -> m.put(StringData.fromString(k), v));
      return new GenericMapData(m);
    }
  };

  final String key;
  final DataType type;

  ReadableMetadata(String key, DataType type) {
    this.key = key;
    this.type = type;
  }

  abstract Object read(ConsumerRecord record);

  static ReadableMetadata of(String key) {
    for (ReadableMetadata m : values()) {
      if (m.key.equals(key)) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown metadata key '" + key + "'");
  }
}
