package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.Errors;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.Location;

/** Parses {@code host:port} node addresses. */
@Internal
public final class Addresses {
  private Addresses() {}

  /** A comma-separated list of {@code host:port}, checked. */
  public static List<String> parseList(String list) {
    if (list == null || list.isBlank()) {
      throw Errors.INVALID_CONFIG.exception(
          "bootstrap is empty; set it to host:port of a node, e.g. 127.0.0.1:7070");
    }
    List<String> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String a = part.trim();
      if (!a.isEmpty()) {
        toLocation(a); // validates
        out.add(a);
      }
    }
    if (out.isEmpty()) {
      throw Errors.INVALID_CONFIG.exception("bootstrap '" + list + "' names no node; use host:port");
    }
    return List.copyOf(out);
  }

  /** {@code host:port} or {@code [v6addr]:port} to a plain-gRPC Flight location. */
  public static Location toLocation(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw Errors.INVALID_CONFIG.exception("Node address '" + address
          + "' is not host:port, e.g. 127.0.0.1:7070");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port <= 0 || port > 65535) {
      throw Errors.INVALID_CONFIG.exception("Node address '" + address
          + "' has an invalid port; use host:port with a port in 1..65535");
    }
    return Location.forGrpcInsecure(host, port);
  }
}
