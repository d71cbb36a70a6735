package io.pyralog.client.internal;

import io.pyralog.common.protocol.FlightZeroCopy;
import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.PyralogException;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.grpc.NettyClientBuilder;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Flight client per node address, created on first use and shared by every producer,
 * consumer and admin of a {@code PyralogClient}. gRPC reconnects a broken channel by itself, so a
 * client is kept until {@link #close()}.
 *
 * <p>gRPC waits longer and longer between reconnection attempts to a node that went away (1 s,
 * then 1.6 s, 2.6 s and so on). A node that was killed and restarted is often back long before the
 * next attempt, and after a failover it may be the new leader. So whenever a client is handed out
 * while its channel is in that back-off, the channel is told to reconnect at once.
 */
@Internal
public final class Connections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  static {
    FlightZeroCopy.enable();
  }

  private final BufferAllocator allocator;
  private final ConcurrentHashMap<String, Connection> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public Connections(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  public FlightClient get(String address) {
    return connection(address).client;
  }

  /** The gRPC channel under {@link #get}'s client, for calls made without Flight's client. */
  ManagedChannel channel(String address) {
    return connection(address).channel;
  }

  private Connection connection(String address) {
    if (closed) {
      throw new PyralogException("The PyralogClient is closed; create a new one");
    }
    Connection c = clients.computeIfAbsent(address, this::connect);
    if (c.channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      LOG.debug("Reconnecting to node {} without waiting for gRPC's back-off", address);
      c.channel.resetConnectBackoff();
    }
    return c;
  }

  private Connection connect(String address) {
    LOG.debug("Connecting to node {}", address);
    // the channel FlightClient.builder would make, kept at hand
    ManagedChannel channel = new NettyClientBuilder(allocator, Addresses.toLocation(address))
        .build().build();
    return new Connection(FlightGrpcUtils.createFlightClient(allocator, channel), channel);
  }

  private record Connection(FlightClient client, ManagedChannel channel) {}

  public BufferAllocator allocator() {
    return allocator;
  }

  @Override
  public void close() {
    closed = true;
    for (var e : clients.entrySet()) {
      try {
        e.getValue().client().close();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException re) {
        LOG.warn("Closing the connection to {} failed: {}", e.getKey(), re.toString());
      }
    }
    clients.clear();
  }
}
