package io.pyralog.node.cluster;

import io.pyralog.common.errors.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One member of a static cluster: its node id and the address of its Ratis server. */
public record PeerAddress(int nodeId, String host, int raftPort) {

  /** {@code ID@HOST:RAFT_PORT} */
  @Override
  public String toString() {
    return nodeId + "@" + host + ":" + raftPort;
  }

  public String raftAddress() {
    return host + ":" + raftPort;
  }

  /**
   * Parses {@code 1@host:7071,2@host:7073,...}. Ids must be unique and positive; the result is
   * sorted by id. An empty or blank value gives an empty list.
   */
  public static List<PeerAddress> parseList(String value) {
    List<PeerAddress> peers = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return peers;
    }
    Set<Integer> ids = new HashSet<>();
    for (String part : value.split(",")) {
      String entry = part.trim();
      if (entry.isEmpty()) {
        continue;
      }
      PeerAddress p = parse(entry);
      if (!ids.add(p.nodeId())) {
        throw Errors.INVALID_CONFIG.exception("Invalid peers: node id " + p.nodeId()
            + " appears twice in '" + value + "'");
      }
      peers.add(p);
    }
    peers.sort((a, b) -> Integer.compare(a.nodeId(), b.nodeId()));
    return peers;
  }

  static PeerAddress parse(String entry) {
    int at = entry.indexOf('@');
    int colon = entry.lastIndexOf(':');
    if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
      throw invalid(entry);
    }
    try {
      int id = Integer.parseInt(entry.substring(0, at));
      int port = Integer.parseInt(entry.substring(colon + 1));
      if (id < 1 || port < 1 || port > 65535) {
        throw invalid(entry);
      }
      return new PeerAddress(id, entry.substring(at + 1, colon), port);
    } catch (NumberFormatException e) {
      throw invalid(entry);
    }
  }

  private static RuntimeException invalid(String entry) {
    return Errors.INVALID_CONFIG.exception("Invalid peers entry '" + entry
        + "': expected ID@HOST:RAFT_PORT, e.g. 1@10.0.0.1:7071");
  }
}
