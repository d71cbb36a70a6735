package io.pyralog.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;

/** When a member declines a leader's request to rebuild it, and when it goes ahead. */
class RebuildCheckTest {
  private final RebuildCheck check = new RebuildCheck();

  @Test
  void aMemberThatCommittedUpToTheLeadersFirstEntryDeclinesOnce() {
    TermIndex first = TermIndex.valueOf(20, 43209);
    // committed through 43209: the leader can send everything after its own first entry
    assertThat(check.decline(43209, first)).isTrue();
    // the same request again: the leader really cannot serve this member, so rebuild
    assertThat(check.decline(43209, first)).isFalse();
    // a later request, after the leader purged further, is judged afresh
    assertThat(check.decline(50000, TermIndex.valueOf(20, 48000))).isTrue();
  }

  @Test
  void aMemberThatLacksEntriesBeforeTheLeadersFirstIsRebuilt() {
    assertThat(check.decline(43207, TermIndex.valueOf(20, 43209))).isFalse();
    // one short: the entry at the leader's first index may be a stale one of an old term
    assertThat(check.decline(43208, TermIndex.valueOf(20, 43209))).isFalse();
    assertThat(check.decline(-1, TermIndex.valueOf(1, 5))).isFalse();
  }
}
