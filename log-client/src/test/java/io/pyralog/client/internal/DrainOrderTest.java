package io.pyralog.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DrainOrderTest {
  private final List<String> partitions = List.of("p0", "p1", "p2", "p3");

  @Test
  void eachDrainStartsOnePartitionFurther() {
    DrainOrder<String> order = new DrainOrder<>();
    assertThat(order.round(partitions)).containsExactly("p0", "p1", "p2", "p3");
    assertThat(order.round(partitions)).containsExactly("p1", "p2", "p3", "p0");
    assertThat(order.round(partitions)).containsExactly("p2", "p3", "p0", "p1");
    assertThat(order.round(partitions)).containsExactly("p3", "p0", "p1", "p2");
    assertThat(order.round(partitions)).containsExactly("p0", "p1", "p2", "p3");
  }

  @Test
  void aRefusedPartitionGoesFirstInTheNextDrain() {
    DrainOrder<String> order = new DrainOrder<>();
    order.round(partitions);
    order.refusedAt(2); // p2 was refused; p3 was never reached either
    assertThat(order.round(partitions)).containsExactly("p2", "p3", "p0", "p1");
    order.refusedAt(3); // p1 refused at the end of this round
    assertThat(order.round(partitions)).containsExactly("p1", "p2", "p3", "p0");
    // only the first refusal of a round counts
    order.refusedAt(1);
    order.refusedAt(3);
    assertThat(order.round(partitions)).containsExactly("p2", "p3", "p0", "p1");
  }

  @Test
  void aChangingNumberOfPartitionsStaysInRange() {
    DrainOrder<String> order = new DrainOrder<>();
    order.round(partitions);
    order.round(partitions);
    order.round(partitions);
    assertThat(order.round(List.of("a", "b"))).containsExactly("b", "a");
    assertThat(order.round(List.of())).isEmpty();
    assertThat(order.round(List.of("a", "b"))).containsExactly("b", "a");
  }
}
