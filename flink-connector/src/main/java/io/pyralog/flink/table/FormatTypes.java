package io.pyralog.flink.table;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/** The row types that the key and value formats see: a projection of the physical columns. */
final class FormatTypes {
  private FormatTypes() {}

  /**
   * The row of the physical columns at {@code positions}; a non-empty {@code prefix}
   * (key.fields-prefix) is removed from the names that start with it.
   */
  static DataType project(DataType physical, int[] positions, String prefix) {
    RowType row = (RowType) physical.getLogicalType();
    List<DataType> children = physical.getChildren();
    List<DataTypes.Field> fields = new ArrayList<>(positions.length);
    for (int p : positions) {
      String name = row.getFieldNames().get(p);
      if (prefix != null && !prefix.isEmpty() && name.startsWith(prefix)) {
        name = name.substring(prefix.length());
      }
      fields.add(DataTypes.FIELD(name, children.get(p)));
    }
    return DataTypes.ROW(fields.toArray(new DataTypes.Field[0])).notNull();
  }
}
