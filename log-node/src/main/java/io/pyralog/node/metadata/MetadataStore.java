package io.pyralog.node.metadata;

import io.pyralog.common.protocol.Json;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.FlushOptions;
import org.rocksdb.NativeLibraryLoader;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's RocksDB: topics, transactional ids, consumer-group offsets, producer-id and topic-id
 * counters, and the
 * Raft index the metadata state machine last applied. Every apply is one atomic write batch that
 * also records that index, so a restart knows exactly which entries are already in the store.
 */
public final class MetadataStore implements Closeable {
  private static boolean nativeLibraryLoaded;

  /**
   * Loads RocksDB's native library from {@code native/} in the node's data directory, once per
   * JVM. By default RocksDB extracts it to a new temporary file at every start and deletes that
   * only at a clean exit, so every node process that is killed leaves 15 MB behind in the
   * temporary directory. The data directory belongs to one process, so the file is never written
   * by two at once.
   */
  private static synchronized void loadNativeLibrary(Path dataDir) {
    if (nativeLibraryLoaded) {
      return;
    }
    try {
      Path dir = Files.createDirectories(dataDir.resolve("native"));
      NativeLibraryLoader.getInstance().loadLibrary(dir.toString());
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      throw new IllegalStateException("Cannot load RocksDB's native library into " + dataDir
          + "/native: " + e.getMessage(), e);
    }
    RocksDB.loadLibrary(); // marks it loaded; nothing more is extracted
    nativeLibraryLoaded = true;
  }

  private static final String TOPIC = "topic/";
  private static final String GROUP = "group/";
  private static final String NODE = "node/";
  private static final String TXN = "txn/";
  private static final byte[] LAST_APPLIED = bytes("meta/last-applied");
  private static final byte[] NEXT_TOPIC_ID = bytes("meta/next-topic-id");
  private static final byte[] NEXT_PRODUCER_ID = bytes("meta/next-producer-id");

  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final Map<String, TopicRecord> topics = new TreeMap<>();
  private final Map<String, TransactionRecord> transactions = new TreeMap<>();

  public MetadataStore(Path dir) {
    loadNativeLibrary(dir.toAbsolutePath().getParent() == null ? dir : dir.toAbsolutePath()
        .getParent());
    writeOptions = new WriteOptions();
    try {
      Files.createDirectories(dir);
      options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2)
          .setMaxTotalWalSize(64L << 20);
      db = RocksDB.open(options, dir.toString());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot open metadata store at " + dir + ": "
          + e.getMessage(), e);
    }
    loadTopics();
  }

  private void loadTopics() {
    topics.clear();
    transactions.clear();
    try (RocksIterator it = db.newIterator()) {
      byte[] prefix = bytes(TOPIC);
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        TopicRecord t = Json.read(it.value(), TopicRecord.class);
        topics.put(t.name(), t);
      }
      prefix = bytes(TXN);
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        TransactionRecord t = Json.read(it.value(), TransactionRecord.class);
        transactions.put(t.transactionalId(), t);
      }
    }
  }

  /** [term, index] of the last applied metadata entry, or null before the first. */
  public synchronized long[] lastApplied() {
    byte[] v = get(LAST_APPLIED);
    if (v == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    return new long[] {b.getLong(), b.getLong()};
  }

  public synchronized TopicRecord topic(String name) {
    return topics.get(name);
  }

  public synchronized Map<String, TopicRecord> topics() {
    return new TreeMap<>(topics);
  }

  /** The coordinator's record of a transactional id, or null. */
  public synchronized TransactionRecord transaction(String transactionalId) {
    return transactions.get(transactionalId);
  }

  public synchronized List<TransactionRecord> transactions() {
    return new ArrayList<>(transactions.values());
  }

  /** The client (Flight) address each node registered, by node id. */
  public synchronized Map<Integer, String> nodeAddresses() {
    Map<Integer, String> result = new TreeMap<>();
    byte[] prefix = bytes(NODE);
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        result.put(Integer.parseInt(key.substring(NODE.length())),
            new String(it.value(), StandardCharsets.UTF_8));
      }
    }
    return result;
  }

  public synchronized long nextTopicId() {
    return counter(NEXT_TOPIC_ID);
  }

  public synchronized long nextProducerId() {
    return counter(NEXT_PRODUCER_ID);
  }

  public synchronized Map<Integer, Long> groupOffsets(String group, long topicId) {
    Map<Integer, Long> result = new HashMap<>();
    byte[] prefix = bytes(GROUP + group + "/" + topicId + "/");
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        int partition = Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
        result.put(partition, ByteBuffer.wrap(it.value()).getLong());
      }
    }
    return result;
  }

  /** Every key and value of the store, and the Raft index they reflect, read atomically. */
  public record Dump(long term, long index, List<byte[][]> entries) {}

  public synchronized Dump dump() {
    long[] applied = lastApplied();
    List<byte[][]> entries = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (!Arrays.equals(it.key(), LAST_APPLIED)) {
          entries.add(new byte[][] {it.key(), it.value()});
        }
      }
    }
    return new Dump(applied == null ? 0 : applied[0], applied == null ? -1 : applied[1],
        entries);
  }

  /** Replaces the whole store with a dump taken from another member, in one atomic write. */
  public synchronized void replaceWith(Dump dump) {
    try (WriteBatch batch = new WriteBatch(); RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        batch.delete(it.key());
      }
      for (byte[][] kv : dump.entries()) {
        batch.put(kv[0], kv[1]);
      }
      batch.put(LAST_APPLIED, ByteBuffer.allocate(16).putLong(dump.term()).putLong(dump.index())
          .array());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("Cannot replace the metadata store: " + e.getMessage(), e);
    }
    loadTopics();
    sync();
  }

  /** A set of changes applied atomically together with the applied Raft index. */
  public final class Update {
    private final WriteBatch batch = new WriteBatch();
    private final Map<String, TopicRecord> topicChanges = new HashMap<>();
    private final Map<String, TransactionRecord> txnChanges = new HashMap<>();

    public Update putTransaction(TransactionRecord t) {
      put(bytes(TXN + t.transactionalId()), Json.write(t));
      txnChanges.put(t.transactionalId(), t);
      return this;
    }

    public Update deleteTransaction(String transactionalId) {
      try {
        batch.delete(bytes(TXN + transactionalId));
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
      txnChanges.put(transactionalId, null);
      return this;
    }

    public Update putTopic(TopicRecord t) {
      put(bytes(TOPIC + t.name()), Json.write(t));
      topicChanges.put(t.name(), t);
      return this;
    }

    public Update deleteTopic(String name) {
      try {
        batch.delete(bytes(TOPIC + name));
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
      topicChanges.put(name, null);
      return this;
    }

    public Update putNodeAddress(int nodeId, String address) {
      put(bytes(NODE + nodeId), bytes(address));
      return this;
    }

    public Update setNextTopicId(long id) {
      put(NEXT_TOPIC_ID, longBytes(id));
      return this;
    }

    public Update setNextProducerId(long id) {
      put(NEXT_PRODUCER_ID, longBytes(id));
      return this;
    }

    public Update putGroupOffset(String group, long topicId, int partition, long offset) {
      put(bytes(GROUP + group + "/" + topicId + "/" + partition), longBytes(offset));
      return this;
    }

    private void put(byte[] k, byte[] v) {
      try {
        batch.put(k, v);
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes the changes and the applied index in one atomic batch. */
    public void commit(long term, long index) {
      synchronized (MetadataStore.this) {
        put(LAST_APPLIED, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
        try {
          db.write(writeOptions, batch);
        } catch (RocksDBException e) {
          throw new IllegalStateException("Metadata write failed: " + e.getMessage(), e);
        } finally {
          batch.close();
        }
        topicChanges.forEach((name, t) -> {
          if (t == null) {
            topics.remove(name);
          } else {
            topics.put(name, t);
          }
        });
        txnChanges.forEach((id, t) -> {
          if (t == null) {
            transactions.remove(id);
          } else {
            transactions.put(id, t);
          }
        });
      }
    }
  }

  public Update update() {
    return new Update();
  }

  /** Makes everything written so far durable (memtables flushed, WAL synced). */
  public synchronized void sync() {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flushWal(true);
      db.flush(flush);
    } catch (RocksDBException e) {
      throw new IllegalStateException("Metadata flush failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    writeOptions.close();
    db.close();
    options.close();
  }

  private long counter(byte[] key) {
    byte[] v = get(key);
    return v == null ? 1L : ByteBuffer.wrap(v).getLong();
  }

  private byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    if (a.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
