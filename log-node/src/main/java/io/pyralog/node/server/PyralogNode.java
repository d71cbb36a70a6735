package io.pyralog.node.server;

import io.pyralog.common.errors.Errors;
import io.pyralog.node.metadata.MetadataStore;
import io.pyralog.node.replication.Groups;
import io.pyralog.node.replication.MetadataStateMachine;
import io.pyralog.node.replication.RaftSubmitter;
import io.pyralog.node.replication.RatisProperties;
import io.pyralog.node.replication.ReplicaSetStateMachine;
import io.pyralog.node.replication.ReplicaSetWriter;
import io.pyralog.node.server.protocol.PyralogFlightProducer;
import java.io.IOException;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pyralog log node: a Ratis {@link RaftServer} hosting the metadata group and the replica
 * sets, RocksDB for metadata, and the Arrow Flight service clients talk to.
 *
 * <p>A single node is a cluster of one: every group has this node as its only member. The
 * groups are built from a peer list, so more members can be configured without a redesign.
 */
public final class PyralogNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogNode.class);

  private final NodeConfig config;
  private final RaftPeer self;
  private final List<RaftPeer> peers;
  private FileChannel lockChannel;
  private FileLock lock;
  private MetadataStore store;
  private MetadataStateMachine metadataSm;
  private final List<ReplicaSetStateMachine> replicaSets = new ArrayList<>();
  private final List<ReplicaSetWriter> writers = new ArrayList<>();
  private RaftServer raft;
  private RaftSubmitter metadataSubmitter;
  private BufferAllocator allocator;
  private FlightServer flight;
  private PyralogFlightProducer flightProducer;
  private TopicAdmin admin;
  private ScheduledExecutorService scheduler;
  private volatile boolean closed;
  private final CompletableFuture<Void> stopping = new CompletableFuture<>();

  public PyralogNode(NodeConfig config) {
    this.config = config;
    this.self = RaftPeer.newBuilder()
        .setId(peerId(config.nodeId()))
        .setAddress(config.host() + ":" + config.raftPort())
        .build();
    this.peers = List.of(self);
  }

  public static RaftPeerId peerId(int nodeId) {
    return RaftPeerId.valueOf("n" + nodeId);
  }

  public NodeConfig config() {
    return config;
  }

  public TopicAdmin admin() {
    return admin;
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  public ReplicaSetStateMachine replicaSet(int index) {
    return replicaSets.get(index);
  }

  public ReplicaSetWriter writer(int index) {
    return writers.get(index);
  }

  /** Completes when the node begins to stop; long polls wait on it so they end at once. */
  public CompletableFuture<Void> stopping() {
    return stopping;
  }

  RaftServer raft() {
    return raft;
  }

  RaftSubmitter metadataSubmitter() {
    return metadataSubmitter;
  }

  MetadataStore store() {
    return store;
  }

  /** Starts every component and returns once the node serves clients. */
  public synchronized PyralogNode start() {
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(config.dataDir());
      lockDataDir();
      store = new MetadataStore(config.dataDir().resolve("metadata"));
      metadataSm = new MetadataStateMachine(store, config.replicaSets());
      for (int i = 0; i < config.replicaSets(); i++) {
        replicaSets.add(new ReplicaSetStateMachine(Groups.replicaSetName(i),
            config.dataDir().resolve("replica-sets").resolve(Groups.replicaSetName(i))));
      }
      startRaft();
      allocator = new RootAllocator();
      admin = new TopicAdmin(this);
      admin.reconcilePartitions();
      startFlight();
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pyralog-retention");
        t.setDaemon(true);
        return t;
      });
      scheduler.scheduleWithFixedDelay(this::enforceRetention, config.retentionCheckIntervalMs(),
          config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new io.pyralog.common.errors.ApiException(Errors.UNKNOWN_SERVER_ERROR,
          "Node failed to start: " + e.getMessage(), e);
    }
    LOG.info("Pyralog node {} ready in {} ms: clients at {}, data in {}", config.nodeId(),
        (System.nanoTime() - t0) / 1_000_000, config.advertisedAddress(), config.dataDir());
    return this;
  }

  private void lockDataDir() throws IOException {
    Path lockFile = config.dataDir().resolve(".lock");
    lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (Exception e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      throw Errors.INVALID_CONFIG.exception("Data directory " + config.dataDir()
          + " is in use by another node; stop it or pass a different --data-dir");
    }
  }

  private void startRaft() throws Exception {
    RaftGroup metadataGroup = RaftGroup.valueOf(Groups.metadata(), peers);
    // A restart recovers the groups found on disk; only the very first start formats.
    boolean existing = Files.isDirectory(config.dataDir().resolve("raft")
        .resolve(Groups.metadata().getUuid().toString()));
    raft = RaftServer.newBuilder()
        .setServerId(self.getId())
        .setGroup(metadataGroup)
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .setProperties(RatisProperties.create(config))
        .setStateMachineRegistry(this::stateMachineFor)
        .build();
    try {
      raft.start();
    } catch (IOException e) {
      if (hasCause(e, BindException.class)) {
        throw Errors.INVALID_CONFIG.exception("Raft port " + config.raftPort()
            + " is already in use; pass a free --raft-port");
      }
      throw e;
    }
    Set<RaftGroupId> hosted = new HashSet<>();
    raft.getGroupIds().forEach(hosted::add);
    ClientId clientId = ClientId.randomId();
    for (int i = 0; i < replicaSets.size(); i++) {
      RaftGroupId id = Groups.replicaSet(i);
      if (!hosted.contains(id)) {
        RaftClientReply reply = raft.groupManagementAsync(GroupManagementRequest.newAdd(
            clientId, self.getId(), i + 1, RaftGroup.valueOf(id, peers))).get(30, TimeUnit.SECONDS);
        if (!reply.isSuccess()) {
          throw new IllegalStateException("Cannot create replica set " + i + ": "
              + reply.getException());
        }
        LOG.info("Created replica set {} (Raft group {})", Groups.replicaSetName(i), id);
      }
    }
    metadataSubmitter = new RaftSubmitter(raft, Groups.metadata());
    awaitLeader(Groups.metadata());
    for (int i = 0; i < replicaSets.size(); i++) {
      awaitLeader(Groups.replicaSet(i));
      writers.add(new ReplicaSetWriter(Groups.replicaSetName(i),
          new RaftSubmitter(raft, Groups.replicaSet(i)), config.entryMaxBytes(),
          config.maxInflightEntries()));
    }
  }

  private org.apache.ratis.statemachine.StateMachine stateMachineFor(RaftGroupId id) {
    if (id.equals(Groups.metadata())) {
      return metadataSm;
    }
    for (int i = 0; i < replicaSets.size(); i++) {
      if (id.equals(Groups.replicaSet(i))) {
        return replicaSets.get(i);
      }
    }
    throw new IllegalStateException("Raft group " + id + " found in " + config.dataDir()
        + " is not configured on this node (replica.sets=" + config.replicaSets() + ")");
  }

  private void awaitLeader(RaftGroupId id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      RaftServer.Division d = raft.getDivision(id);
      if (d.getInfo().isLeader() && d.getInfo().isLeaderReady()) {
        return;
      }
      if (peers.size() > 1 && d.getInfo().getLeaderId() != null) {
        return;
      }
      Thread.sleep(20);
    }
    throw Errors.UNAVAILABLE.exception("Raft group " + id + " elected no leader within 60 s");
  }

  private void startFlight() throws IOException {
    Location location = Location.forGrpcInsecure(config.host(), config.port());
    flightProducer = new PyralogFlightProducer(this);
    flight = FlightServer.builder(allocator, location, flightProducer)
        .maxInboundMessageSize(config.messageMaxBytes() + (4 << 20))
        .build();
    try {
      flight.start();
    } catch (IOException e) {
      if (hasCause(e, BindException.class)) {
        throw Errors.INVALID_CONFIG.exception("Port " + config.port()
            + " is already in use (is another node running?); pass a free --port");
      }
      throw e;
    }
  }

  private void enforceRetention() {
    long now = System.currentTimeMillis();
    for (ReplicaSetStateMachine rs : replicaSets) {
      try {
        rs.enforceRetention(now);
      } catch (RuntimeException e) {
        LOG.warn("{}: retention check failed: {}", rs.name(), e.getMessage());
      }
    }
  }

  /** Blocks until {@link #close()} is called. */
  public void awaitTermination() throws InterruptedException {
    synchronized (this) {
      while (!closed) {
        wait();
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    LOG.info("Stopping Pyralog node {}", config.nodeId());
    stopping.complete(null);
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (flightProducer != null) {
      flightProducer.shutdownStreams();
    }
    if (flight != null) {
      try {
        flight.shutdown();
        flight.awaitTermination(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("Flight shutdown: {}", e.getMessage());
      }
      try {
        flight.close();
      } catch (Exception e) {
        LOG.debug("Flight close: {}", e.getMessage());
      }
    }
    for (ReplicaSetWriter w : writers) {
      w.close();
    }
    if (raft != null) {
      try {
        raft.close();
      } catch (IOException e) {
        LOG.warn("Raft server close: {}", e.getMessage());
      }
    }
    if (store != null) {
      store.close();
    }
    if (allocator != null) {
      try {
        allocator.close();
      } catch (RuntimeException e) {
        LOG.debug("Allocator close: {}", e.getMessage());
      }
    }
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.debug("Releasing data dir lock: {}", e.getMessage());
    }
    LOG.info("Pyralog node {} stopped", config.nodeId());
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
