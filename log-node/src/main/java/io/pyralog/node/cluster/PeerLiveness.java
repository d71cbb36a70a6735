package io.pyralog.node.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether peers are up, judged by whether their Ratis port accepts a connection within the
 * liveness timeout. Answers are cached for a second, so status pages and topic creation do not
 * probe on every call.
 */
public final class PeerLiveness {
  private static final long CACHE_NANOS = 1_000_000_000L;

  private final int timeoutMs;
  private final Map<Integer, long[]> cache = new ConcurrentHashMap<>();

  public PeerLiveness(long timeoutMs) {
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
  }

  public boolean isUp(PeerAddress peer) {
    long now = System.nanoTime();
    long[] cached = cache.get(peer.nodeId());
    if (cached != null && now - cached[0] < CACHE_NANOS) {
      return cached[1] == 1;
    }
    boolean up = probe(peer);
    cache.put(peer.nodeId(), new long[] {now, up ? 1 : 0});
    return up;
  }

  private boolean probe(PeerAddress peer) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(peer.host(), peer.raftPort()), timeoutMs);
      if (connectedToItself(s)) {
        closeWithoutLinger(s);
        return false;
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether a loopback connection reached itself: where nothing listens on a port of the
   * ephemeral range, the kernel may pick that port as the local one and the connection succeeds
   * with no server at all. Such a socket also holds the port the peer needs to bind.
   */
  static boolean connectedToItself(Socket s) {
    return s.getLocalPort() == s.getPort() && s.getLocalAddress().equals(s.getInetAddress());
  }

  /**
   * Closes a socket with a reset instead of the usual close, so that no TIME_WAIT entry lingers
   * on its ports: a peer restarting on its port must be able to bind it at once.
   */
  static void closeWithoutLinger(Socket s) {
    try {
      if (!s.isClosed()) {
        s.setSoLinger(true, 0);
      }
    } catch (IOException ignored) {
      // not connected; close below
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
