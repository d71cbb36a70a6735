package io.pyralog.node.replication;

import java.util.concurrent.CompletableFuture;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/** Where a replica set's group commit sends its entries: the Raft group, in a node. */
public interface EntrySubmitter {
  /** Completes with the state machine's reply once the entry is committed and applied. */
  CompletableFuture<ByteString> submit(byte[] entry);
}
