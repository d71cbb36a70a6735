package io.pyralog.common.protocol;

import io.pyralog.common.annotation.Internal;
import java.util.Locale;

/**
 * Arrow Flight's two copy-saving switches. By default Flight copies every message body into a
 * gRPC buffer before it sends it. With {@value #WRITE} it sends Arrow buffers as they are (it
 * holds a reference until they are written, and Pyralog never changes a buffer it has sent). With
 * {@value #READ} it reads a received body from gRPC's buffer rather than through its input
 * stream; in Arrow 19 the body still passes through a new heap array either way, which is why the
 * consumer reads fetch responses with its own call ({@code FetchCall} in the client).
 *
 * <p>Flight reads both once per JVM, when its message class loads, so the node and the client
 * call {@link #enable()} before they first touch Flight. A value the user set as a system
 * property or environment variable is kept.
 */
@Internal
public final class FlightZeroCopy {
  public static final String READ = "arrow.flight.enable_zero_copy_read";
  public static final String WRITE = "arrow.flight.enable_zero_copy_write";

  private FlightZeroCopy() {}

  public static void enable() {
    enable(READ);
    enable(WRITE);
  }

  private static void enable(String property) {
    String env = property.replace('.', '_').toUpperCase(Locale.ROOT);
    if (System.getProperty(property) == null && System.getenv(env) == null) {
      System.setProperty(property, "true");
    }
  }
}
