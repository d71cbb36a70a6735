package io.pyralog.node.replication;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Json;
import io.pyralog.node.replication.ReplicaSetEntry.BatchResults;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for one replica set. Produce requests enqueue batches; one thread drains whatever
 * has arrived, across topics and partitions, into a single Raft entry of up to {@code
 * raft.entry.max.bytes}, and keeps up to {@code raft.max.inflight.entries} entries in flight. So
 * batches that arrive together share one Raft append and one fsync. The batches of one produce
 * message are queued together ({@link #appendAll}), so that the drain never finds only some of
 * them: a message of 16 partitions' batches goes out in one entry, not in as many entries as the
 * drain happened to catch up with while they were queued one by one.
 */
public final class ReplicaSetWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetWriter.class);

  /** A batch waiting for its entry to be applied. */
  record PendingBatch(long topicId, int partition, byte[] bytes, int length,
      CompletableFuture<AppendResult> result) {}

  /** The first {@code length} bytes of {@code bytes}: a stored batch of one partition. */
  public record Batch(long topicId, int partition, byte[] bytes, int length) {}

  /** Batches queued together: they go into the same entry, unless they fill more than one. */
  private record Group(List<PendingBatch> batches, long bytes) {}

  private final String name;
  private final EntrySubmitter submitter;
  private final int entryMaxBytes;
  private final Semaphore inflight;
  private final FollowerLagGate lagGate;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  /** The rest of a group too large for one entry: the next entry starts with it. */
  private final ConcurrentLinkedDeque<PendingBatch> carried = new ConcurrentLinkedDeque<>();
  private final Thread thread;
  private volatile boolean running = true;

  public ReplicaSetWriter(String name, EntrySubmitter submitter, int entryMaxBytes,
      int maxInflightEntries) {
    this(name, submitter, entryMaxBytes, maxInflightEntries, null);
  }

  /** With a {@link FollowerLagGate} that paces the entries to the in-sync followers. */
  public ReplicaSetWriter(String name, EntrySubmitter submitter, int entryMaxBytes,
      int maxInflightEntries, FollowerLagGate lagGate) {
    this.name = name;
    this.lagGate = lagGate;
    this.submitter = submitter;
    this.entryMaxBytes = entryMaxBytes;
    this.inflight = new Semaphore(maxInflightEntries);
    this.thread = new Thread(this::run, "pyralog-group-commit-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues {@code batches} together, none of which may change afterwards; future {@code i}
   * completes once batch {@code i}'s entry is committed and applied.
   */
  public List<CompletableFuture<AppendResult>> appendAll(List<Batch> batches) {
    List<CompletableFuture<AppendResult>> results = new ArrayList<>(batches.size());
    List<PendingBatch> group = new ArrayList<>(batches.size());
    long bytes = 0;
    for (Batch b : batches) {
      CompletableFuture<AppendResult> f = new CompletableFuture<>();
      results.add(f);
      group.add(new PendingBatch(b.topicId(), b.partition(), b.bytes(), b.length(), f));
      bytes += b.length();
    }
    if (!running) {
      results.forEach(f -> f.completeExceptionally(
          Errors.UNAVAILABLE.exception("Node is shutting down")));
    } else if (group.size() == 1) {
      queue.add(group.get(0));
    } else if (!group.isEmpty()) {
      queue.add(new Group(group, bytes));
    }
    return results;
  }

  /** Submits a control entry (create or delete partitions) in order with the batches. */
  public CompletableFuture<Void> control(byte[] entry) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    queue.add(new Control(entry, f));
    return f;
  }

  private record Control(byte[] entry, CompletableFuture<Void> done) {}

  private void run() {
    while (running) {
      try {
        // Take an in-flight slot first, so that a taken batch is always submitted: an
        // interrupt while waiting for a slot leaves every batch in the queue for failQueued.
        if (lagGate != null) {
          // batches that arrive meanwhile wait in the queue and go out in one larger entry
          lagGate.awaitOpen(() -> running);
        }
        inflight.acquire();
        if (carried.isEmpty()) {
          Object first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            inflight.release();
            continue;
          }
          if (first instanceof Control c) {
            submitControl(c);
            continue;
          }
          carry(first);
        }
        // the first batch always goes, even one larger than an entry
        List<PendingBatch> entry = new ArrayList<>();
        long bytes = 0;
        while (!carried.isEmpty()
            && (entry.isEmpty() || bytes + carried.peek().length() <= entryMaxBytes)) {
          PendingBatch b = carried.poll();
          entry.add(b);
          bytes += b.length();
        }
        Object next;
        while (carried.isEmpty() && bytes < entryMaxBytes && (next = queue.peek()) != null
            && !(next instanceof Control) && bytes + bytesOf(next) <= entryMaxBytes) {
          queue.poll();
          if (next instanceof Group g) {
            entry.addAll(g.batches());
          } else {
            entry.add((PendingBatch) next);
          }
          bytes += bytesOf(next);
        }
        submitBatches(entry);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("{}: group commit loop error", name, e);
      }
    }
    failQueued(Errors.UNAVAILABLE.exception("Node is shutting down"));
  }

  private void carry(Object queued) {
    if (queued instanceof Group g) {
      carried.addAll(g.batches());
    } else {
      carried.add((PendingBatch) queued);
    }
  }

  private static long bytesOf(Object queued) {
    return queued instanceof Group g ? g.bytes() : ((PendingBatch) queued).length();
  }

  private void submitControl(Control c) {
    submitter.submit(c.entry()).whenComplete((reply, t) -> {
      inflight.release();
      if (t != null) {
        c.done().completeExceptionally(RaftSubmitter.toApi(t));
      } else {
        c.done().complete(null);
      }
    });
  }

  private void submitBatches(List<PendingBatch> entry) {
    byte[] data = ReplicaSetEntry.batches(entry);
    submitter.submit(data).whenComplete((reply, t) -> {
      inflight.release();
      if (t != null) {
        ApiException error = RaftSubmitter.toApi(t);
        for (PendingBatch b : entry) {
          b.result().completeExceptionally(error);
        }
        return;
      }
      List<AppendResult> results = Json.read(reply.toByteArray(), BatchResults.class).results();
      for (int i = 0; i < entry.size(); i++) {
        entry.get(i).result().complete(results.get(i));
      }
    });
  }

  private void failQueued(ApiException error) {
    PendingBatch carriedBatch;
    while ((carriedBatch = carried.poll()) != null) {
      carriedBatch.result().completeExceptionally(error);
    }
    Object o;
    while ((o = queue.poll()) != null) {
      if (o instanceof Group g) {
        g.batches().forEach(b -> b.result().completeExceptionally(error));
      } else if (o instanceof PendingBatch b) {
        b.result().completeExceptionally(error);
      } else if (o instanceof Control c) {
        c.done().completeExceptionally(error);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued(Errors.UNAVAILABLE.exception("Node is shutting down"));
  }
}
