package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import io.pyralog.common.errors.PyralogException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Flight client per node address, created on first use and shared by every producer,
 * consumer and admin of a {@code PyralogClient}. gRPC reconnects a broken channel by itself, so a
 * client is kept until {@link #close()}.
 */
@Internal
public final class Connections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private final BufferAllocator allocator;
  private final ConcurrentHashMap<String, FlightClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public Connections(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  public FlightClient get(String address) {
    if (closed) {
      throw new PyralogException("The PyralogClient is closed; create a new one");
    }
    return clients.computeIfAbsent(address, a -> {
      LOG.debug("Connecting to node {}", a);
      return FlightClient.builder(allocator, Addresses.toLocation(a)).build();
    });
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  @Override
  public void close() {
    closed = true;
    for (var e : clients.entrySet()) {
      try {
        e.getValue().close();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException re) {
        LOG.warn("Closing the connection to {} failed: {}", e.getKey(), re.toString());
      }
    }
    clients.clear();
  }
}
