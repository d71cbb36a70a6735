package io.pyralog.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.node.replication.LeaderExitElection.Survivor;
import java.util.List;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;

/** Which surviving member starts the election after its leader's process exits. */
class LeaderExitElectionTest {
  private static final RaftPeerId N1 = RaftPeerId.valueOf("n1");
  private static final RaftPeerId N2 = RaftPeerId.valueOf("n2");
  private static final RaftPeerId N3 = RaftPeerId.valueOf("n3");

  private static Survivor survivor(RaftPeerId id, long term, long index, int priority) {
    return new Survivor(id, TermIndex.valueOf(term, index), priority);
  }

  @Test
  void theMostCompleteLogStartsWhateverItsPriority() {
    // a voter refuses a candidate whose log is behind its own, so the longer log must start
    assertThat(LeaderExitElection.winner(List.of(
        survivor(N2, 7, 1000, 1), survivor(N3, 7, 1001, 0)))).isEqualTo(N3);
    // a later term beats a longer log of an older term
    assertThat(LeaderExitElection.winner(List.of(
        survivor(N2, 6, 5000, 0), survivor(N3, 7, 1001, 0)))).isEqualTo(N3);
  }

  @Test
  void onEqualLogsTheHigherPriorityStarts() {
    // a voter with an equal log refuses a candidate of lower priority than its own
    assertThat(LeaderExitElection.winner(List.of(
        survivor(N3, 7, 1000, 0), survivor(N2, 7, 1000, 1)))).isEqualTo(N2);
  }

  @Test
  void onEqualLogsAndPrioritiesTheLowerIdStarts() {
    List<Survivor> seenFromN2 = List.of(survivor(N2, 7, 1000, 0), survivor(N3, 7, 1000, 0));
    List<Survivor> seenFromN3 = List.of(survivor(N3, 7, 1000, 0), survivor(N2, 7, 1000, 0));
    // both members reach the same answer, so exactly one of them starts
    assertThat(LeaderExitElection.winner(seenFromN2)).isEqualTo(N2);
    assertThat(LeaderExitElection.winner(seenFromN3)).isEqualTo(N2);
    assertThat(LeaderExitElection.winner(List.of(
        survivor(N1, 7, 1000, 0), survivor(N3, 7, 1000, 0), survivor(N2, 7, 1000, 0))))
        .isEqualTo(N1);
  }
}
