package io.pyralog.node.replication;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/** Writes a state machine's snapshot file durably and tells Ratis about it. */
final class SnapshotFiles {
  private static final SnapshotRetentionPolicy KEEP_TWO = new SnapshotRetentionPolicy() {
    @Override
    public int getNumSnapshotsRetained() {
      return 2;
    }
  };

  private SnapshotFiles() {}

  /**
   * Writes {@code content} as the snapshot of {@code last}: to a temporary file, fsync'd, then
   * renamed into place; registers it with its MD5 and drops all but the two newest snapshots.
   * Returns what it registered.
   */
  static SingleFileSnapshotInfo publish(SimpleStateMachineStorage storage, TermIndex last,
      byte[] content) throws IOException {
    File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    SingleFileSnapshotInfo info = new SingleFileSnapshotInfo(
        new FileInfo(target.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(target)), last);
    storage.updateLatestSnapshot(info);
    storage.cleanupOldSnapshots(KEEP_TWO);
    return info;
  }
}
