package io.pyralog.common.schema;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.Errors;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checks that a batch's schema matches its topic's: the same fields, in the same order, with the
 * same types. Nullability is not compared, because most Arrow writers mark every field nullable.
 */
@PublicEvolving
public final class SchemaCompatibility {
  private SchemaCompatibility() {}

  /** Returns null when compatible, otherwise a message that names the mismatched field. */
  public static String mismatch(Schema topic, Schema batch) {
    return mismatch("", topic.getFields(), batch.getFields());
  }

  private static String mismatch(String prefix, List<Field> expected, List<Field> actual) {
    for (int i = 0; i < expected.size(); i++) {
      Field e = expected.get(i);
      String name = prefix + e.getName();
      if (i >= actual.size()) {
        return "field '" + name + "' (" + SchemaJson.typeName(e) + ") is missing";
      }
      Field a = actual.get(i);
      if (!e.getName().equals(a.getName())) {
        return "field #" + i + " is '" + prefix + a.getName() + "' but the topic expects '" + name
            + "' (" + SchemaJson.typeName(e) + ")";
      }
      if (!e.getType().equals(a.getType())) {
        return "field '" + name + "' has type " + SchemaJson.typeName(a)
            + " but the topic expects " + SchemaJson.typeName(e);
      }
      String nested = mismatch(name + ".", e.getChildren(), a.getChildren());
      if (nested != null) {
        return nested;
      }
    }
    if (actual.size() > expected.size()) {
      Field extra = actual.get(expected.size());
      return "field '" + prefix + extra.getName() + "' is not in the topic schema";
    }
    return null;
  }

  /** Throws {@link Errors#SCHEMA_MISMATCH} when the schemas differ. */
  public static void ensureCompatible(String topic, Schema topicSchema, Schema batch) {
    String problem = mismatch(topicSchema, batch);
    if (problem != null) {
      throw Errors.SCHEMA_MISMATCH.exception(
          "Schema mismatch for topic '" + topic + "': " + problem
              + ". Describe the topic to see its schema.");
    }
  }
}
