package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.client.TopicPartition;
import io.pyralog.common.protocol.ProduceAck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the node's ack to one message is matched with the batches the message carried. */
class PutStreamResultsTest {
  private static PutStream.InFlight inFlight(int partition, int sequence) {
    TopicPartition tp = new TopicPartition("t", partition);
    ProducerBatch b = new ProducerBatch(tp, 0L, 1_000L, 1);
    b.sequence = sequence;
    return new PutStream.InFlight(b, new Sender.PartitionState(tp));
  }

  @Test
  void partsAreMatchedInOrder() {
    List<PutStream.InFlight> message = List.of(inFlight(0, 4), inFlight(5, 9));
    ProduceAck first = ProduceAck.ok(0, 4, 10L, 3);
    ProduceAck second = ProduceAck.failed(5, 9, "NOT_LEADER_OR_FOLLOWER", "moved");

    assertThat(PutStream.resultsFor(message, ProduceAck.ofParts(List.of(first, second))))
        .containsExactly(first, second);
  }

  @Test
  void aSingleBatchTakesTheAckAsItIs() {
    ProduceAck ack = ProduceAck.ok(2, 0, 7L, 1);

    assertThat(PutStream.resultsFor(List.of(inFlight(2, 0)), ack)).containsExactly(ack);
  }

  @Test
  void aRejectedMessageFailsEveryBatchWithItsOwnPartitionAndSequence() {
    List<PutStream.InFlight> message = List.of(inFlight(1, 3), inFlight(2, -1));

    List<ProduceAck> results = PutStream.resultsFor(message,
        ProduceAck.failed(-1, null, "INVALID_REQUEST", "parts do not add up"));

    assertThat(results).extracting(ProduceAck::partition).containsExactly(1, 2);
    assertThat(results).extracting(ProduceAck::sequence).containsExactly(3, null);
    assertThat(results).extracting(ProduceAck::error)
        .containsExactly("INVALID_REQUEST", "INVALID_REQUEST");
    assertThat(results).extracting(ProduceAck::message).containsOnly("parts do not add up");
  }

  @Test
  void anAckThatDoesNotFitTheMessageIsRefused() {
    List<PutStream.InFlight> message = List.of(inFlight(0, 0), inFlight(1, 0));

    assertThat(PutStream.resultsFor(message, ProduceAck.ok(0, 0, 0L, 1))).isNull();
    assertThat(PutStream.resultsFor(message,
        ProduceAck.ofParts(List.of(ProduceAck.ok(0, 0, 0L, 1))))).isNull();
  }
}
