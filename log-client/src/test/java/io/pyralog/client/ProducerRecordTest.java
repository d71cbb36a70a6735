package io.pyralog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyralog.common.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerRecordTest {

  @Test
  void factoriesAndCopies() {
    ProducerRecord r = ProducerRecord.ofStrings("t", "k", "v").withHeader("a", "1")
        .withPartition(2).withTimestamp(99L);
    assertThat(r.topic()).isEqualTo("t");
    assertThat(r.partition()).isEqualTo(2);
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k");
    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("v");
    assertThat(r.headers()).containsOnlyKeys("a");
    assertThat(r.timestamp()).isEqualTo(99L);
    assertThat(ProducerRecord.of("t", new byte[] {1}).key()).isNull();
  }

  @Test
  void headersAreCopiedAndReadOnly() {
    Map<String, byte[]> h = new HashMap<>();
    h.put("x", new byte[] {1});
    ProducerRecord r = new ProducerRecord("t", null, null, new byte[0], h, null);
    h.put("y", new byte[] {2});
    assertThat(r.headers()).containsOnlyKeys("x");
    assertThatThrownBy(() -> r.headers().put("z", null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void sizeCountsKeyValueAndHeaders() {
    ProducerRecord plain = new ProducerRecord("t", new byte[10], new byte[100]);
    ProducerRecord withHeader = plain.withHeader("abc", new byte[5]);
    assertThat(withHeader.sizeInBytes() - plain.sizeInBytes()).isEqualTo(8 + 3 + 5);
    assertThat(new ProducerRecord("t", new byte[10], new byte[200]).sizeInBytes()
        - plain.sizeInBytes()).isEqualTo(100);
  }

  @Test
  void rejectsInvalidArguments() {
    assertThatThrownBy(() -> new ProducerRecord(null, new byte[0]))
        .isInstanceOf(ApiException.class).hasMessageContaining("topic");
    assertThatThrownBy(() -> new ProducerRecord("t", -1, null, new byte[0]))
        .isInstanceOf(ApiException.class).hasMessageContaining("let the producer choose");
    assertThatThrownBy(() -> ProducerRecord.of("t", new byte[0]).withTimestamp(-5))
        .isInstanceOf(ApiException.class).hasMessageContaining("epoch milliseconds");
    assertThatThrownBy(() -> new TopicPartition("t", -1)).isInstanceOf(ApiException.class);
  }

  @Test
  void offsetSpecs() {
    assertThat(OffsetSpec.earliest().kind().wireName()).isEqualTo("earliest");
    assertThat(OffsetSpec.latest().kind().wireName()).isEqualTo("latest");
    OffsetSpec ts = OffsetSpec.forTimestamp(1234L);
    assertThat(ts.kind().wireName()).isEqualTo("timestamp");
    assertThat(ts.timestamp()).isEqualTo(1234L);
    assertThat(ts).isEqualTo(OffsetSpec.forTimestamp(1234L));
    assertThatThrownBy(() -> OffsetSpec.forTimestamp(-1))
        .hasMessageContaining("OffsetSpec.earliest()");
  }
}
