package io.pyralog.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Probing a peer's port on loopback must never hold the port the peer needs to bind. */
class PeerLivenessTest {

  @Test
  void aConnectionToAPortWithoutListenerCanReachItselfAndIsToldApart() throws Exception {
    // what the kernel does by chance when a probe's local port equals the port it probes
    Socket self = new Socket();
    self.setReuseAddress(false);
    self.bind(new InetSocketAddress("127.0.0.1", 0));
    int port = self.getLocalPort();
    self.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
    assertThat(self.isConnected()).isTrue();
    assertThat(PeerLiveness.connectedToItself(self)).isTrue();

    PeerLiveness.closeWithoutLinger(self);
    // the peer restarting on that port binds it at once, even without SO_REUSEADDR
    try (ServerSocket peer = new ServerSocket()) {
      peer.setReuseAddress(false);
      peer.bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(peer.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aConnectionToAListeningPeerIsNotMistakenForItself() throws Exception {
    try (ServerSocket peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort()), 1_000);
      assertThat(PeerLiveness.connectedToItself(s)).isFalse();
    }
  }

  @Test
  void aPortWithoutListenerIsDown() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    assertThat(new PeerLiveness(500).isUp(new PeerAddress(2, "127.0.0.1", port))).isFalse();
  }
}
