package io.pyralog.node.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idempotent-producer state of one replica set: for each (producer id, topic, partition) the last
 * sequence applied and the offsets of the last few batches, so that a resent batch is answered
 * with its original offsets instead of being stored twice. It is replicated state: it changes
 * only at apply time and is saved in every checkpoint. The table keeps the most recently used
 * {@value #MAX_ENTRIES} producers, evicting in apply order, so every replica evicts the same.
 */
final class ProducerStateTable {
  static final int MAX_ENTRIES = 100_000;
  static final int RECENT_BATCHES = 8;

  /** A batch the table remembers. */
  record Recent(int sequence, long baseOffset, int count) {}

  /** The state of one producer on one partition. */
  record Entry(long producerId, long topicId, int partition, short epoch, int lastSequence,
      List<Recent> recent) {}

  private static final class State {
    short epoch;
    int lastSequence;
    final ArrayDeque<Recent> recent = new ArrayDeque<>();
  }

  private record Key(long producerId, long topicId, int partition) {}

  /** Outcome of {@link #check}. */
  sealed interface Check permits Accept, Duplicate, Reject {}

  record Accept() implements Check {}

  record Duplicate(long baseOffset, int count) implements Check {}

  record Reject(String message) implements Check {}

  private static final Accept ACCEPT = new Accept();

  private final LinkedHashMap<Key, State> states = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, State> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  Check check(long producerId, short epoch, long topicId, int partition, int sequence) {
    State s = states.get(new Key(producerId, topicId, partition));
    if (s == null || epoch > s.epoch) {
      return ACCEPT;
    }
    if (epoch < s.epoch) {
      return new Reject("producer " + producerId + " epoch " + epoch
          + " is older than the current epoch " + s.epoch);
    }
    if (sequence == s.lastSequence + 1) {
      return ACCEPT;
    }
    for (Recent r : s.recent) {
      if (r.sequence() == sequence) {
        return new Duplicate(r.baseOffset(), r.count());
      }
    }
    if (sequence <= s.lastSequence) {
      return new Reject("sequence " + sequence + " of producer " + producerId
          + " is an old batch that was already stored (last sequence " + s.lastSequence + ")");
    }
    return new Reject("sequence " + sequence + " of producer " + producerId + " on partition "
        + partition + " skips ahead; expected " + (s.lastSequence + 1));
  }

  void record(long producerId, short epoch, long topicId, int partition, int sequence,
      long baseOffset, int count) {
    Key key = new Key(producerId, topicId, partition);
    State s = states.get(key);
    if (s == null || epoch > s.epoch) {
      s = new State();
      states.put(key, s);
    }
    s.epoch = epoch;
    s.lastSequence = sequence;
    s.recent.addLast(new Recent(sequence, baseOffset, count));
    while (s.recent.size() > RECENT_BATCHES) {
      s.recent.removeFirst();
    }
  }

  /**
   * Raises the epoch known for a producer on a partition (an abort marker under a bumped epoch):
   * batches of older epochs, from a fenced producer, are then refused here.
   */
  void fence(long producerId, short epoch, long topicId, int partition) {
    Key key = new Key(producerId, topicId, partition);
    State s = states.get(key);
    if (s != null && epoch <= s.epoch) {
      return;
    }
    s = new State();
    s.epoch = epoch;
    s.lastSequence = -1;
    states.put(key, s);
  }

  void removeTopic(long topicId) {
    Iterator<Key> it = states.keySet().iterator();
    while (it.hasNext()) {
      if (it.next().topicId() == topicId) {
        it.remove();
      }
    }
  }

  List<Entry> snapshot() {
    List<Entry> result = new ArrayList<>(states.size());
    // iterate without touching the access order
    for (Map.Entry<Key, State> e : states.entrySet()) {
      State s = e.getValue();
      result.add(new Entry(e.getKey().producerId(), e.getKey().topicId(), e.getKey().partition(),
          s.epoch, s.lastSequence, new ArrayList<>(s.recent)));
    }
    return result;
  }

  void restore(List<Entry> entries) {
    states.clear();
    for (Entry e : entries) {
      State s = new State();
      s.epoch = e.epoch();
      s.lastSequence = e.lastSequence();
      s.recent.addAll(e.recent());
      states.put(new Key(e.producerId(), e.topicId(), e.partition()), s);
    }
  }

  int size() {
    return states.size();
  }
}
