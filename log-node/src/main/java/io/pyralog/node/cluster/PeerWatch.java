package io.pyralog.node.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once when a peer's process exits. For every peer it holds one idle TCP connection to
 * the peer's Raft port and blocks reading it. When a process exits, even by {@code kill -9}, its
 * operating system closes that connection, and a new connection to the port is refused: the peer
 * is reported down within milliseconds, long before a Raft election timeout would notice.
 *
 * <p>While a peer is down, its port is tried every {@value #RETRY_MS} ms. On loopback, a
 * connection to a port in the ephemeral range where nothing listens can connect to itself (the
 * kernel picks that very port as the local one); such a socket is closed at once, without the
 * TIME_WAIT that would keep the peer from binding its port when it restarts.
 *
 * <p>A closed connection alone proves nothing (a live peer may close idle connections), so a
 * peer is reported down only when its port refuses a new connection. A peer whose host is
 * unreachable (connections time out rather than being refused) is never reported here: Raft's own
 * timeouts cover that case.
 */
public final class PeerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerWatch.class);
  private static final long RETRY_MS = 250;
  /** A held connection that closes sooner than this is followed by a pause, never a busy loop. */
  private static final long SHORT_LIVED_MS = 20;

  private final List<PeerAddress> peers;
  private final int connectTimeoutMs;
  private final IntConsumer onDown;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param peers the peers to watch (not this node)
   * @param connectTimeoutMs how long a connection attempt may take
   * @param onDown called with a peer's node id when a peer seen up refuses connections; it runs on
   *     the watching thread and must not block for long
   */
  public PeerWatch(List<PeerAddress> peers, long connectTimeoutMs, IntConsumer onDown) {
    this.peers = List.copyOf(peers);
    this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs);
    this.onDown = onDown;
  }

  public PeerWatch start() {
    for (PeerAddress peer : peers) {
      Thread t = new Thread(() -> watch(peer), "pyralog-peer-watch-" + peer.nodeId());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    return this;
  }

  private void watch(PeerAddress peer) {
    boolean up = false;
    while (!closed) {
      Socket socket = new Socket();
      try {
        register(socket);
        socket.connect(new InetSocketAddress(peer.host(), peer.raftPort()), connectTimeoutMs);
        if (PeerLiveness.connectedToItself(socket)) {
          throw new ConnectException("connected to itself: nothing listens on the port");
        }
        if (!up) {
          LOG.debug("Peer {} is up", peer.nodeId());
          up = true;
        }
        long opened = System.nanoTime();
        holdUntilClosed(socket);
        if ((System.nanoTime() - opened) / 1_000_000 < SHORT_LIVED_MS) {
          pause(SHORT_LIVED_MS);
        }
      } catch (ConnectException refused) {
        if (up && !closed) {
          up = false;
          LOG.info("Peer {} at {}:{} refuses connections: its process has exited", peer.nodeId(),
              peer.host(), peer.raftPort());
          notifyDown(peer.nodeId());
        }
        pause(RETRY_MS);
      } catch (IOException e) {
        // Timed out or unreachable: not proof that the process exited.
        pause(RETRY_MS);
      } finally {
        unregister(socket);
        PeerLiveness.closeWithoutLinger(socket);
      }
    }
  }

  private void holdUntilClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] discard = new byte[256];
    try {
      while (!closed && in.read(discard) >= 0) {
        // A peer never sends on this connection; anything read is discarded.
      }
    } catch (IOException e) {
      // Reset by the peer: treated like a close; the reconnect decides.
    }
  }

  private void notifyDown(int nodeId) {
    try {
      onDown.accept(nodeId);
    } catch (RuntimeException e) {
      LOG.warn("Handling the exit of peer {} failed: {}", nodeId, e.toString());
    }
  }

  private synchronized void register(Socket s) {
    sockets.add(s);
  }

  private synchronized void unregister(Socket s) {
    sockets.remove(s);
  }

  private void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      sockets.forEach(PeerLiveness::closeWithoutLinger);
    }
    threads.forEach(Thread::interrupt);
  }
}
