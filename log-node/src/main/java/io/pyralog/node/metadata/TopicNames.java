package io.pyralog.node.metadata;

import io.pyralog.common.errors.Errors;
import java.util.regex.Pattern;

/** Topic name rules, the same as Kafka's: 1-249 of {@code [a-zA-Z0-9._-]}, not "." or "..". */
public final class TopicNames {
  public static final int MAX_LENGTH = 249;
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

  private TopicNames() {}

  public static void validate(String name) {
    if (name == null || name.isEmpty()) {
      throw Errors.INVALID_TOPIC.exception("Topic name is empty");
    }
    if (name.equals(".") || name.equals("..")) {
      throw Errors.INVALID_TOPIC.exception("Topic name cannot be '.' or '..'");
    }
    if (name.length() > MAX_LENGTH) {
      throw Errors.INVALID_TOPIC.exception("Topic name is " + name.length()
          + " characters long; the limit is " + MAX_LENGTH);
    }
    if (!LEGAL.matcher(name).matches()) {
      throw Errors.INVALID_TOPIC.exception("Topic name '" + name
          + "' is invalid: use only ASCII letters, digits, '.', '_' and '-'");
    }
  }
}
