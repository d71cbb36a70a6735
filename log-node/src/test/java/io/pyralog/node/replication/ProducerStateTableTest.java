package io.pyralog.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProducerStateTableTest {
  @Test
  void acceptsTheNextSequenceAndRecognisesRecentDuplicates() {
    ProducerStateTable t = new ProducerStateTable();
    assertThat(t.check(7, (short) 0, 1, 0, 0)).isInstanceOf(ProducerStateTable.Accept.class);
    t.record(7, (short) 0, 1, 0, 0, 0L, 10);
    t.record(7, (short) 0, 1, 0, 1, 10L, 5);
    assertThat(t.check(7, (short) 0, 1, 0, 2)).isInstanceOf(ProducerStateTable.Accept.class);
    assertThat(t.check(7, (short) 0, 1, 0, 1))
        .isEqualTo(new ProducerStateTable.Duplicate(10L, 5));
    assertThat(t.check(7, (short) 0, 1, 0, 0))
        .isEqualTo(new ProducerStateTable.Duplicate(0L, 10));
    // other partitions and producers are independent
    assertThat(t.check(7, (short) 0, 1, 1, 0)).isInstanceOf(ProducerStateTable.Accept.class);
    assertThat(t.check(8, (short) 0, 1, 0, 0)).isInstanceOf(ProducerStateTable.Accept.class);
  }

  @Test
  void rejectsGapsOldSequencesAndStaleEpochs() {
    ProducerStateTable t = new ProducerStateTable();
    for (int s = 0; s < 20; s++) {
      t.record(1, (short) 2, 9, 0, s, s * 10L, 10);
    }
    assertThat(t.check(1, (short) 2, 9, 0, 25)).isInstanceOf(ProducerStateTable.Reject.class)
        .extracting(c -> ((ProducerStateTable.Reject) c).message()).asString()
        .contains("expected 20");
    assertThat(t.check(1, (short) 2, 9, 0, 3)).isInstanceOf(ProducerStateTable.Reject.class);
    assertThat(t.check(1, (short) 1, 9, 0, 20)).isInstanceOf(ProducerStateTable.Reject.class);
    // a newer epoch starts over
    assertThat(t.check(1, (short) 3, 9, 0, 0)).isInstanceOf(ProducerStateTable.Accept.class);
  }

  @Test
  void survivesSnapshotAndRestore() {
    ProducerStateTable t = new ProducerStateTable();
    t.record(1, (short) 0, 9, 0, 0, 0L, 3);
    t.record(1, (short) 0, 9, 0, 1, 3L, 3);
    ProducerStateTable copy = new ProducerStateTable();
    copy.restore(t.snapshot());
    assertThat(copy.check(1, (short) 0, 9, 0, 1))
        .isEqualTo(new ProducerStateTable.Duplicate(3L, 3));
    assertThat(copy.check(1, (short) 0, 9, 0, 2)).isInstanceOf(ProducerStateTable.Accept.class);
    copy.removeTopic(9);
    assertThat(copy.size()).isZero();
  }
}
