package io.pyralog.common.config;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.Errors;
import java.util.Map;
import java.util.function.Function;

/**
 * One configuration key with its type, default and description. Options are declared in one
 * catalogue ({@link PyralogConfigOptions}) and read with {@link #get(Map)}.
 */
@PublicEvolving
public final class ConfigOption<T> {
  private final String key;
  private final T defaultValue;
  private final String description;
  private final Function<String, T> parser;

  private ConfigOption(String key, T defaultValue, String description, Function<String, T> parser) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.parser = parser;
  }

  public static ConfigOption<Long> longOption(String key, long defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, description, Long::parseLong);
  }

  public static ConfigOption<Integer> intOption(String key, int defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, description, Integer::parseInt);
  }

  public static ConfigOption<String> stringOption(String key, String defaultValue,
      String description) {
    return new ConfigOption<>(key, defaultValue, description, s -> s);
  }

  public static ConfigOption<Boolean> booleanOption(String key, boolean defaultValue,
      String description) {
    return new ConfigOption<>(key, defaultValue, description, s -> {
      if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("expected true or false");
      }
      return Boolean.parseBoolean(s);
    });
  }

  public String key() {
    return key;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The value in {@code props}, or the default; a malformed value is {@code INVALID_CONFIG}. */
  public T get(Map<String, String> props) {
    String raw = props.get(key);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    return parse(raw.trim());
  }

  public T parse(String raw) {
    try {
      return parser.apply(raw);
    } catch (RuntimeException e) {
      throw Errors.INVALID_CONFIG.exception("Invalid value '" + raw + "' for " + key + ": "
          + (e.getMessage() == null ? "cannot parse" : e.getMessage())
          + ". Default is " + defaultValue + ".");
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
