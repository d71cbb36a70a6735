package io.pyralog.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionIndexTest {

  @Test
  void theLastStableOffsetIsTheFirstOffsetOfTheOldestOpenTransaction() {
    TransactionIndex index = new TransactionIndex();
    assertThat(index.lastStableOffset(100)).isEqualTo(100);
    index.begin(7, 1, 40);
    index.begin(8, 1, 60);
    index.begin(7, 1, 70); // already open: the first offset stays
    assertThat(index.lastStableOffset(100)).isEqualTo(40);
    assertThat(index.end(7, 1, true, 100)).isTrue();
    assertThat(index.lastStableOffset(100)).isEqualTo(60);
    assertThat(index.end(8, 1, false, 110)).isTrue();
    assertThat(index.lastStableOffset(110)).isEqualTo(110);
    assertThat(index.end(8, 1, false, 120)).as("no open transaction left").isFalse();
  }

  @Test
  void onlyTheAbortedProducersBatchesInsideTheRangeAreAborted() {
    TransactionIndex index = new TransactionIndex();
    index.begin(1, 1, 10);
    index.begin(2, 1, 12);
    index.end(1, 1, false, 20);
    index.end(2, 1, true, 25);
    index.begin(1, 2, 30);
    index.end(1, 2, false, 40);
    assertThat(index.isAborted(1, 10)).isTrue();
    assertThat(index.isAborted(1, 19)).isTrue();
    assertThat(index.isAborted(1, 20)).isFalse();
    assertThat(index.isAborted(1, 35)).isTrue();
    assertThat(index.isAborted(2, 15)).isFalse();
    assertThat(index.isAborted(1, 5)).isFalse();
    index.prune(20);
    assertThat(index.abortedTransactions()).containsExactly(
        new TransactionIndex.AbortedTxn(1, 30, 40));
  }

  @Test
  void aLateMarkerOfAnEarlierTransactionLeavesTheNextOneOpen() {
    TransactionIndex index = new TransactionIndex();
    index.begin(5, 1, 10);
    assertThat(index.end(5, 1, true, 20)).isTrue();
    index.begin(5, 2, 20); // the producer's next transaction
    assertThat(index.end(5, 1, true, 30)).as("transaction 1's marker, again").isFalse();
    assertThat(index.lastStableOffset(30)).isEqualTo(20);
    assertThat(index.end(5, 2, false, 30)).isTrue();
    assertThat(index.isAborted(5, 25)).isTrue();
  }

  @Test
  void restoreReplacesTheState() {
    TransactionIndex index = new TransactionIndex();
    index.begin(3, 1, 1);
    index.restore(List.of(new TransactionIndex.OpenTxn(4, 50, 3)),
        List.of(new TransactionIndex.AbortedTxn(5, 10, 20)));
    assertThat(index.openTransactions()).containsExactly(new TransactionIndex.OpenTxn(4, 50, 3));
    assertThat(index.lastStableOffset(99)).isEqualTo(50);
    assertThat(index.isAborted(5, 15)).isTrue();
  }
}
