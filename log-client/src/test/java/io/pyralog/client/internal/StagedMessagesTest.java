package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagedMessagesTest {
  private static PutStream.InFlight inFlight(int partition) {
    TopicPartition tp = new TopicPartition("t", partition);
    return new PutStream.InFlight(new ProducerBatch(tp, 0L, 1_000L, 1),
        new Sender.PartitionState(tp));
  }

  @Test
  void batchesShareAMessageUpToTheLimitAndABigOneGoesAlone() {
    StagedMessages staged = new StagedMessages(100);
    PutStream.InFlight a = inFlight(0);
    PutStream.InFlight b = inFlight(1);
    PutStream.InFlight c = inFlight(2);
    PutStream.InFlight big = inFlight(3);
    PutStream.InFlight d = inFlight(4);
    staged.add(a, 40);
    staged.add(b, 60); // exactly the limit: same message
    staged.add(c, 1); // one byte over: next message
    staged.add(big, 500); // over the limit alone
    staged.add(d, 10);

    assertThat(staged.takeFirst()).containsExactly(a, b);
    assertThat(staged.takeFirst()).containsExactly(c);
    assertThat(staged.takeFirst()).containsExactly(big);
    assertThat(staged.takeFirst()).containsExactly(d);
    assertThat(staged.isEmpty()).isTrue();
  }

  @Test
  void batchesAddedAfterTheLastMessageWasTakenStartAFreshOne() {
    StagedMessages staged = new StagedMessages(100);
    PutStream.InFlight a = inFlight(0);
    PutStream.InFlight b = inFlight(1);
    staged.add(a, 90);
    assertThat(staged.takeFirst()).containsExactly(a);

    staged.add(b, 90); // would not fit beside a, but a is gone

    assertThat(staged.takeFirst()).isEqualTo(List.of(b));
  }
}
