package io.pyralog.node.server;

import io.pyralog.common.memory.ArrowAllocators;
import io.pyralog.common.protocol.FlightZeroCopy;
import io.pyralog.common.errors.Errors;
import io.pyralog.node.cluster.ClusterLayout;
import io.pyralog.node.cluster.PeerAddress;
import io.pyralog.node.cluster.PeerWatch;
import io.pyralog.node.cluster.ReplicaSetSpec;
import io.pyralog.node.metadata.MetadataStore;
import io.pyralog.node.replication.GroupClient;
import io.pyralog.node.replication.FollowerLagGate;
import io.pyralog.node.replication.LeaderExitElection;
import io.pyralog.node.replication.Groups;
import io.pyralog.node.replication.MetadataStateMachine;
import io.pyralog.node.replication.RaftSubmitter;
import io.pyralog.node.replication.RatisCrc;
import io.pyralog.node.replication.RatisProperties;
import io.pyralog.node.replication.ReplicaQuery;
import io.pyralog.node.replication.ReplicaRebuild;
import io.pyralog.node.replication.ReplicaSetStateMachine;
import io.pyralog.node.replication.ReplicaSetWriter;
import io.pyralog.node.server.protocol.PyralogFlightProducer;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pyralog log node: a Ratis {@link RaftServer} hosting the metadata group and the replica
 * sets, RocksDB for metadata, and the Arrow Flight service clients talk to.
 *
 * <p>The groups come from the static member list ({@code peers}) through {@link ClusterLayout}.
 * A single node is a cluster of one: every group has this node as its only member.
 */
public final class PyralogNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogNode.class);

  static {
    FlightZeroCopy.enable();
  }
  /** The metadata group's voters; further nodes follow it as listeners. */
  static final int METADATA_VOTERS = 3;

  private final NodeConfig config;
  private final ClusterLayout layout;
  private final RaftPeer self;
  private FileChannel lockChannel;
  private FileLock lock;
  private MetadataStore store;
  private MetadataStateMachine metadataSm;
  /** The replica sets this node is a member of, by index. */
  private final Map<Integer, ReplicaSetStateMachine> replicaSets = new TreeMap<>();
  private final Map<Integer, ReplicaSetWriter> writers = new ConcurrentHashMap<>();
  private final Map<RaftGroupId, GroupClient> groupClients = new ConcurrentHashMap<>();
  private RaftServer raft;
  private BufferAllocator allocator;
  private FlightServer flight;
  private ExecutorService flightExecutor;
  private PyralogFlightProducer flightProducer;
  private TopicAdmin admin;
  private TransactionCoordinator transactions;
  private ClusterView clusterView;
  private ScheduledExecutorService scheduler;
  private ExecutorService electionExecutor;
  private GroupClient peerQueries;
  private PeerWatch peerWatch;
  private volatile boolean closed;
  /** True when this start created the data directory's Raft groups. */
  private boolean formatted;
  private final CompletableFuture<Void> stopping = new CompletableFuture<>();

  public PyralogNode(NodeConfig config) {
    this.config = config;
    this.layout = new ClusterLayout(config.peers(), config.replicaSets());
    this.self = raftPeer(layout.node(config.nodeId()), 0, false);
  }

  private static RaftPeer raftPeer(PeerAddress p, int priority, boolean listener) {
    RaftPeer.Builder b = RaftPeer.newBuilder()
        .setId(peerId(p.nodeId()))
        .setAddress(p.raftAddress())
        .setPriority(priority);
    if (listener) {
      b.setStartupRole(RaftPeerRole.LISTENER);
    }
    return b.build();
  }

  /** The metadata group: every node, the first {@value #METADATA_VOTERS} as voters. */
  RaftGroup metadataGroup() {
    List<RaftPeer> members = new ArrayList<>();
    List<PeerAddress> nodes = layout.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      members.add(raftPeer(nodes.get(i), 0, i >= METADATA_VOTERS));
    }
    return RaftGroup.valueOf(Groups.metadata(), members);
  }

  /**
   * A replica set's group. Every member has the same Ratis priority: a higher one would make Ratis
   * hand leadership to the preferred leader the moment it catches up, a second change of leader
   * right after a failover. {@link LeaderRebalancer} moves it back instead, after a while.
   */
  RaftGroup replicaSetGroup(ReplicaSetSpec spec) {
    List<RaftPeer> members = new ArrayList<>();
    for (int id : spec.members()) {
      members.add(raftPeer(layout.node(id), 0, false));
    }
    return RaftGroup.valueOf(Groups.replicaSet(spec.index()), members);
  }

  public static int nodeIdOf(RaftPeerId id) {
    return Integer.parseInt(id.toString().substring(1));
  }

  public ClusterLayout layout() {
    return layout;
  }

  public ClusterView clusterView() {
    return clusterView;
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

  public TransactionCoordinator transactions() {
    return transactions;
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  /** The state machine of a replica set this node is a member of, or null. */
  public ReplicaSetStateMachine replicaSet(int index) {
    return replicaSets.get(index);
  }

  /** The replica sets this node is a member of. */
  public Map<Integer, ReplicaSetStateMachine> hostedReplicaSets() {
    return replicaSets;
  }

  /** The group-commit writer of a replica set this node is a member of, or null. */
  public ReplicaSetWriter writer(int index) {
    return writers.get(index);
  }

  /** A client that reaches a group's leader from this node, whether it is a member or not. */
  public GroupClient groupClient(RaftGroupId id) {
    return groupClients.computeIfAbsent(id, k -> {
      if (k.equals(Groups.metadata())) {
        return new GroupClient(metadataGroup());
      }
      for (ReplicaSetSpec spec : layout.replicaSets()) {
        if (Groups.replicaSet(spec.index()).equals(k)) {
          return new GroupClient(replicaSetGroup(spec));
        }
      }
      throw new IllegalArgumentException("Unknown Raft group " + k);
    });
  }

  /** Completes when the node begins to stop; long polls wait on it so they end at once. */
  public CompletableFuture<Void> stopping() {
    return stopping;
  }

  RaftServer raft() {
    return raft;
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
      metadataSm = new MetadataStateMachine(store, layout);
      metadataSm.setRebuildQuerier(() -> ReplicaRebuild.over(groupClient(Groups.metadata())));
      for (ReplicaSetSpec spec : layout.replicaSetsOf(config.nodeId())) {
        replicaSets.put(spec.index(), newReplicaSet(spec));
      }
      startRaft();
      allocator = ArrowAllocators.newRoot();
      clusterView = new ClusterView(this);
      admin = new TopicAdmin(this);
      transactions = new TransactionCoordinator(this, admin);
      scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "pyralog-scheduler");
        t.setDaemon(true);
        return t;
      });
      if (config.clustered() && config.electionOnLeaderExit()) {
        watchPeers();
      }
      if (config.clustered()) {
        // Peers may still be starting: registering and reconciling wait for a majority.
        scheduler.execute(this::registerAndReconcile);
      } else {
        admin.registerNode();
        admin.reconcilePartitions();
      }
      startFlight();
      scheduler.scheduleWithFixedDelay(this::enforceRetention, config.retentionCheckIntervalMs(),
          config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
      scheduler.scheduleWithFixedDelay(this::checkTransactions,
          config.transactionCheckIntervalMs(), config.transactionCheckIntervalMs(),
          TimeUnit.MILLISECONDS);
      if (config.clustered() && config.autoLeaderRebalance()) {
        long interval = config.leaderImbalanceCheckIntervalMs();
        // a first look soon after start, so that leaders spread over a newly started cluster
        scheduler.scheduleWithFixedDelay(new LeaderRebalancer(this), Math.min(interval, 5_000),
            interval, TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException | Error e) {
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

  /** Starts an election at once wherever the leader's process exits (see LeaderExitElection). */
  private void watchPeers() {
    electionExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "pyralog-election");
      t.setDaemon(true);
      return t;
    });
    peerQueries = GroupClient.askingOnce(metadataGroup(), config.livenessTimeoutMs());
    LeaderExitElection election = new LeaderExitElection(raft, peerQueries.raftClient(),
        electionExecutor);
    List<PeerAddress> others = new ArrayList<>();
    for (PeerAddress p : layout.nodes()) {
      if (p.nodeId() != config.nodeId()) {
        others.add(p);
      }
    }
    peerWatch = new PeerWatch(others, config.livenessTimeoutMs(),
        id -> election.onExit(peerId(id))).start();
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

  /** Registers this node's client address and repairs partitions, retrying until it works. */
  private void registerAndReconcile() {
    long delayMs = 200;
    boolean checkedReplacement = !formatted;
    while (!closed) {
      try {
        if (!checkedReplacement) {
          rebuildIfReplacement();
          checkedReplacement = true;
        }
        admin.registerNode();
        if (clusterView.isMetadataLeader()) {
          admin.reconcilePartitions();
        }
        return;
      } catch (Exception e) {
        LOG.info("Waiting for a majority of the cluster to register this node: {}",
            e.getMessage());
        try {
          Thread.sleep(delayMs);
        } catch (InterruptedException ie) {
          return;
        }
        delayMs = Math.min(5_000, delayMs * 2);
      }
    }
  }

  /**
   * A node that starts with an empty data directory although the cluster already knows it (its
   * disk was wiped or replaced) must get its replicas back from the leaders. The leaders still
   * remember how far it had replicated before, so each steps down once: the next leader starts
   * from what the node really has, and, where the log it needs is purged, has it copy the
   * leader's checkpoint instead (see {@code notifyInstallSnapshotFromLeader}).
   */
  private void rebuildIfReplacement() throws Exception {
    ByteBuffer reply = ReplicaRebuild.over(groupClient(Groups.metadata()))
        .query(null, ReplicaQuery.registered(config.nodeId()));
    byte[] answer = new byte[reply.remaining()];
    reply.get(answer);
    if (!"true".equals(new String(answer, java.nio.charset.StandardCharsets.UTF_8))) {
      return; // a new node of a new cluster
    }
    LOG.warn("Node {} starts with an empty data directory but the cluster already knows it; "
        + "rebuilding its replicas from the leaders", config.nodeId());
    List<RaftGroupId> groups = new ArrayList<>();
    groups.add(Groups.metadata());
    for (ReplicaSetSpec spec : layout.replicaSetsOf(config.nodeId())) {
      if (spec.replicationFactor() > 1) {
        groups.add(Groups.replicaSet(spec.index()));
      }
    }
    // In parallel and without waiting: a step-down can take a while when the group's other
    // members are slow, and registering this node must not wait for it.
    for (RaftGroupId id : groups) {
      CompletableFuture.runAsync(() -> {
        try {
          RaftClientReply r = groupClient(id).raftClient().admin().transferLeadership(null,
              10_000);
          LOG.info("Asked the leader of group {} to step down: {}", id,
              r.isSuccess() ? "done" : r.getException());
        } catch (IOException | RuntimeException e) {
          LOG.warn("Cannot ask the leader of group {} to step down: {}", id, e.toString());
        }
      });
    }
  }

  private void startRaft() throws Exception {
    if (!RatisCrc.isReplaced()) {
      LOG.warn("Ratis's pure-Java CRC-32C is first on the class path, so Raft log checksums cost "
          + "several times more CPU; put pyralog-node's classes before ratis-common");
    }
    RaftGroup metadataGroup = metadataGroup();
    // A restart recovers the groups found on disk; only the very first start formats.
    boolean existing = Files.isDirectory(config.dataDir().resolve("raft")
        .resolve(Groups.metadata().getUuid().toString()));
    formatted = !existing;
    if (existing) {
      writeMissingConfigurations();
    }
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
    for (ReplicaSetSpec spec : layout.replicaSetsOf(config.nodeId())) {
      RaftGroupId id = Groups.replicaSet(spec.index());
      if (!hosted.contains(id)) {
        RaftClientReply reply = raft.groupManagementAsync(GroupManagementRequest.newAdd(
            clientId, self.getId(), spec.index() + 1, replicaSetGroup(spec)))
            .get(30, TimeUnit.SECONDS);
        if (!reply.isSuccess()) {
          throw new IllegalStateException("Cannot create replica set " + spec.name() + ": "
              + reply.getException());
        }
        LOG.info("Joined replica set {} (Raft group {}, members {})", spec.name(), id,
            spec.members());
      }
    }
    if (!config.clustered()) {
      awaitLeader(Groups.metadata());
    }
    for (ReplicaSetSpec spec : layout.replicaSetsOf(config.nodeId())) {
      if (!config.clustered()) {
        awaitLeader(Groups.replicaSet(spec.index()));
      }
      RaftGroupId group = Groups.replicaSet(spec.index());
      FollowerLagGate gate = spec.replicationFactor() < 2 ? null
          : new FollowerLagGate(spec.name(), () -> division(group),
              config.replicaLagMaxEntries(), config.replicaLagTimeMaxMs());
      writers.put(spec.index(), new ReplicaSetWriter(spec.name(),
          new RaftSubmitter(raft, group), config.entryMaxBytes(), config.maxInflightEntries(),
          gate));
    }
  }

  /**
   * Gives every group directory of this node a configuration file, unless Ratis wrote one. A node
   * killed before the first entry of a group reached its disk restarts with the group's directory
   * but no configuration in its log; Ratis would start that group "not in conf" and shut it down
   * at its first election. Membership is static, so the layout's configuration is the right one.
   * Only a group whose log has no segment at all gets the file; the term and vote Ratis stored
   * beside it are kept, so the node never votes twice in a term.
   */
  private void writeMissingConfigurations() throws IOException {
    Map<RaftGroupId, RaftGroup> groups = new java.util.LinkedHashMap<>();
    groups.put(Groups.metadata(), metadataGroup());
    for (ReplicaSetSpec spec : layout.replicaSetsOf(config.nodeId())) {
      groups.put(Groups.replicaSet(spec.index()), replicaSetGroup(spec));
    }
    for (RaftGroup group : groups.values()) {
      Path current = config.dataDir().resolve("raft")
          .resolve(group.getGroupId().getUuid().toString()).resolve("current");
      Path conf = current.resolve("raft-meta.conf");
      if (!Files.isDirectory(current) || Files.exists(conf) || hasLogSegments(current)) {
        continue;
      }
      RaftConfigurationProto.Builder c = RaftConfigurationProto.newBuilder();
      for (RaftPeer p : group.getPeers()) {
        if (p.getStartupRole() == RaftPeerRole.LISTENER) {
          c.addListeners(p.getRaftPeerProto());
        } else {
          c.addPeers(p.getRaftPeerProto());
        }
      }
      // Index 0 is where the group's first leader writes this same configuration.
      LogEntryProto entry = LogEntryProto.newBuilder().setTerm(0).setIndex(0)
          .setConfigurationEntry(c).build();
      Path tmp = current.resolve("raft-meta.conf.tmp");
      Files.write(tmp, entry.toByteArray());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, conf, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static boolean hasLogSegments(Path current) throws IOException {
    try (var files = Files.list(current)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("log_"));
    }
  }

  private ReplicaSetStateMachine newReplicaSet(ReplicaSetSpec spec) {
    ReplicaSetStateMachine sm = new ReplicaSetStateMachine(spec.name(),
        config.dataDir().resolve("replica-sets").resolve(spec.name()));
    RaftGroupId id = Groups.replicaSet(spec.index());
    sm.setRebuildQuerier(() -> ReplicaRebuild.over(groupClient(id)));
    return sm;
  }

  private org.apache.ratis.statemachine.StateMachine stateMachineFor(RaftGroupId id) {
    if (id.equals(Groups.metadata())) {
      return metadataSm;
    }
    for (Map.Entry<Integer, ReplicaSetStateMachine> e : replicaSets.entrySet()) {
      if (id.equals(Groups.replicaSet(e.getKey()))) {
        return e.getValue();
      }
    }
    throw Errors.INVALID_CONFIG.exception("Raft group " + id + " found in " + config.dataDir()
        + " is not in this node's layout (peers=" + config.peers() + ", replica.sets="
        + config.replicaSets() + "); start the node with the peers it was created with");
  }

  /** The local Raft division of a group, or null when it is not running here. */
  private RaftServer.Division division(RaftGroupId id) {
    return Groups.division(raft, id);
  }

  private void awaitLeader(RaftGroupId id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      RaftServer.Division d = raft.getDivision(id);
      if (d.getInfo().isLeader() && d.getInfo().isLeaderReady()) {
        return;
      }
      Thread.sleep(20);
    }
    throw Errors.UNAVAILABLE.exception("Raft group " + id + " elected no leader within 60 s");
  }

  /**
   * Threads for the Flight handlers. Their context class loader is the node's own, not that of
   * whichever thread happened to start them: Arrow looks up codecs through it once per JVM, and
   * a node embedded in another application (a Flink test job, say) must not pick up a class
   * loader that the application closes later.
   */
  private static ThreadFactory flightThreads() {
    AtomicInteger n = new AtomicInteger();
    ClassLoader loader = PyralogNode.class.getClassLoader();
    return r -> {
      Thread t = new Thread(r, "pyralog-flight-" + n.incrementAndGet());
      t.setDaemon(true);
      t.setContextClassLoader(loader);
      return t;
    };
  }

  private void startFlight() throws IOException {
    Location location = Location.forGrpcInsecure(config.host(), config.port());
    flightProducer = new PyralogFlightProducer(this);
    flightExecutor = Executors.newCachedThreadPool(flightThreads());
    flight = FlightServer.builder(allocator, location, flightProducer)
        .maxInboundMessageSize(config.messageMaxBytes() + (4 << 20))
        .executor(flightExecutor)
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

  private void checkTransactions() {
    try {
      transactions.check();
    } catch (RuntimeException e) {
      LOG.warn("Transaction check failed: {}", e.toString());
    }
  }

  private void enforceRetention() {
    long now = System.currentTimeMillis();
    for (ReplicaSetStateMachine rs : replicaSets.values()) {
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
    if (peerWatch != null) {
      peerWatch.close();
    }
    if (electionExecutor != null) {
      electionExecutor.shutdownNow();
    }
    if (peerQueries != null) {
      peerQueries.close();
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
    if (flightExecutor != null) {
      flightExecutor.shutdownNow();
    }
    for (ReplicaSetWriter w : writers.values()) {
      w.close();
    }
    groupClients.values().forEach(GroupClient::close);
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
