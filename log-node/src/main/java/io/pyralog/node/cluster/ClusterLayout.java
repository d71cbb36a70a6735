package io.pyralog.node.cluster;

import io.pyralog.common.errors.Errors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The replica sets of a static cluster, computed from the member list alone, so that every node
 * (and every restart) derives the same layout without coordination.
 *
 * <p>For each replication factor R from 1 to the number of nodes N there are {@code perFactor}
 * replica sets of R members. Set j of factor R has the members {@code nodes[j], nodes[j+1], ...,
 * nodes[j+R-1]} (wrapping around), and {@code nodes[j]} is its preferred leader: with one set per
 * node, every node leads one set of each factor, which spreads leadership and CPU evenly. Global
 * indexes run factor by factor: factor 1 takes indexes {@code 0..perFactor-1}, and so on. A single
 * node therefore keeps the indexes, and so the Raft groups, it had before it joined a cluster.
 */
public final class ClusterLayout {
  private final List<PeerAddress> nodes;
  private final int perFactor;
  private final List<ReplicaSetSpec> sets;

  /**
   * @param nodes the cluster members, sorted by id
   * @param replicaSetsPerFactor replica sets per replication factor; 0 means one per node
   */
  public ClusterLayout(List<PeerAddress> nodes, int replicaSetsPerFactor) {
    if (nodes.isEmpty()) {
      throw Errors.INVALID_CONFIG.exception("A cluster needs at least one node");
    }
    this.nodes = List.copyOf(nodes);
    this.perFactor = replicaSetsPerFactor <= 0 ? nodes.size() : replicaSetsPerFactor;
    List<ReplicaSetSpec> all = new ArrayList<>();
    int n = nodes.size();
    for (int rf = 1; rf <= n; rf++) {
      for (int j = 0; j < perFactor; j++) {
        List<Integer> members = new ArrayList<>(rf);
        for (int k = 0; k < rf; k++) {
          members.add(nodes.get((j + k) % n).nodeId());
        }
        all.add(new ReplicaSetSpec(all.size(), rf, Collections.unmodifiableList(members)));
      }
    }
    this.sets = Collections.unmodifiableList(all);
  }

  public List<PeerAddress> nodes() {
    return nodes;
  }

  public int nodeCount() {
    return nodes.size();
  }

  public PeerAddress node(int nodeId) {
    for (PeerAddress p : nodes) {
      if (p.nodeId() == nodeId) {
        return p;
      }
    }
    return null;
  }

  public List<ReplicaSetSpec> replicaSets() {
    return sets;
  }

  public ReplicaSetSpec replicaSet(int index) {
    return index >= 0 && index < sets.size() ? sets.get(index) : null;
  }

  /** The replica sets with {@code rf} members, in index order. */
  public List<ReplicaSetSpec> replicaSetsWithFactor(int rf) {
    if (rf < 1 || rf > nodes.size()) {
      return List.of();
    }
    return sets.subList((rf - 1) * perFactor, rf * perFactor);
  }

  /** The replica sets {@code nodeId} is a member of. */
  public List<ReplicaSetSpec> replicaSetsOf(int nodeId) {
    List<ReplicaSetSpec> result = new ArrayList<>();
    for (ReplicaSetSpec s : sets) {
      if (s.hasMember(nodeId)) {
        result.add(s);
      }
    }
    return result;
  }

  /**
   * The replica set of each partition of a new topic: the sets of its factor in turn, starting
   * at an offset given by the topic id so that small topics do not all land on the first set.
   */
  public List<Integer> assign(long topicId, int partitions, int rf) {
    List<ReplicaSetSpec> candidates = replicaSetsWithFactor(rf);
    List<Integer> result = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      result.add(candidates.get((int) ((topicId + p) % candidates.size())).index());
    }
    return result;
  }
}
