package io.pyralog.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The JSON codec for every Pyralog descriptor, ticket, action body and batch metadata. */
@Internal
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Json() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  public static String writeString(Object value) {
    return new String(write(value), StandardCharsets.UTF_8);
  }

  /** Decodes a request body; malformed input becomes {@link Errors#INVALID_REQUEST}. */
  public static <T> T read(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw Errors.INVALID_REQUEST.exception("Empty " + type.getSimpleName() + " body");
    }
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw Errors.INVALID_REQUEST.exception(
          "Malformed " + type.getSimpleName() + " JSON: " + getOriginalMessageSafe(e));
    }
  }

  private static String getOriginalMessageSafe(IOException e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
