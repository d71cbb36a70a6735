package io.pyralog.client.internal;

import io.pyralog.common.annotation.Internal;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches chosen to go on one stream and not sent yet, cut into messages of at most {@code
 * maxBytes} of record data each; a batch larger than that makes a message of its own.
 */
@Internal
final class StagedMessages {
  private final int maxBytes;
  private final List<List<PutStream.InFlight>> messages = new ArrayList<>(1);
  private long lastBytes;

  StagedMessages(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  void add(PutStream.InFlight inFlight, int bytes) {
    List<PutStream.InFlight> last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    if (last == null || lastBytes + bytes > maxBytes) {
      last = new ArrayList<>();
      messages.add(last);
      lastBytes = 0;
    }
    last.add(inFlight);
    lastBytes += bytes;
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  /** Removes and returns the oldest message; later batches start a new one. */
  List<PutStream.InFlight> takeFirst() {
    List<PutStream.InFlight> first = messages.remove(0);
    if (messages.isEmpty()) {
      lastBytes = 0;
    }
    return first;
  }
}
