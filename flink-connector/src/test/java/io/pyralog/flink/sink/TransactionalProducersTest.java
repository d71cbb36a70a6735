package io.pyralog.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionalProducersTest {

  @Test
  void idsParseBackToSubtaskAndInterval() {
    String id = TransactionalProducers.transactionalId("job-a", 3, 17);
    assertThat(id).isEqualTo("job-a-3-17");
    assertThat(TransactionalProducers.parse("job-a", id)).containsExactly(3, 17);
  }

  @Test
  void idsOfAnotherPrefixAreNotTakenForOwn() {
    // "job" and "job-1" are different prefixes: job-1's ids have one part too many for "job"
    String other = TransactionalProducers.transactionalId("job-1", 0, 5);
    assertThat(TransactionalProducers.parse("job", other)).isNull();
    assertThat(TransactionalProducers.parse("job", "job-x-5")).isNull();
    assertThat(TransactionalProducers.parse("job", "jobs-0-5")).isNull();
  }
}
