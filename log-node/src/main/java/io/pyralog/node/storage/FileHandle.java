package io.pyralog.node.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file opened for positional reads and writes. A {@link FileChannel} is closed for every user
 * when any thread is interrupted during an operation on it; this handle reopens the channel so
 * that one cancelled reader cannot break the partition for the others. The interrupted thread
 * still gets its exception.
 */
final class FileHandle implements AutoCloseable {
  private static final int MAX_REOPENS = 3;

  private final Path path;
  private volatile FileChannel channel;
  private volatile boolean closed;

  private FileHandle(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Opens {@code path} for reading and writing, creating it when missing. */
  static FileHandle open(Path path) throws IOException {
    return new FileHandle(path, openChannel(path));
  }

  Path path() {
    return path;
  }

  /** Fills {@code dst} from {@code position}; fails with EOFException at the end of the file. */
  void readFully(ByteBuffer dst, long position) throws IOException {
    int reopens = 0;
    long pos = position;
    while (dst.hasRemaining()) {
      FileChannel ch = channel;
      try {
        int n = ch.read(dst, pos);
        if (n < 0) {
          throw new EOFException("End of " + path + " at position " + pos);
        }
        pos += n;
      } catch (ClosedChannelException e) {
        reopenAfter(ch, e, ++reopens);
      }
    }
  }

  /** Writes all of {@code src} at {@code position}. */
  void writeFully(ByteBuffer src, long position) throws IOException {
    int reopens = 0;
    long pos = position;
    while (src.hasRemaining()) {
      FileChannel ch = channel;
      try {
        pos += ch.write(src, pos);
      } catch (ClosedChannelException e) {
        reopenAfter(ch, e, ++reopens);
      }
    }
  }

  long size() throws IOException {
    return call(FileChannel::size);
  }

  void truncate(long size) throws IOException {
    call(ch -> ch.truncate(size));
  }

  /** fsync: content and metadata, so a grown or shrunk length is durable too. */
  void force() throws IOException {
    call(ch -> {
      ch.force(true);
      return null;
    });
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    channel.close();
  }

  private interface ChannelCall<T> {
    T apply(FileChannel channel) throws IOException;
  }

  private <T> T call(ChannelCall<T> call) throws IOException {
    for (int reopens = 1; ; reopens++) {
      FileChannel ch = channel;
      try {
        return call.apply(ch);
      } catch (ClosedChannelException e) {
        reopenAfter(ch, e, reopens);
      }
    }
  }

  private void reopenAfter(FileChannel failed, ClosedChannelException cause, int attempt)
      throws IOException {
    synchronized (this) {
      if (!closed && channel == failed) {
        channel = openChannel(path);
      }
    }
    if (closed || attempt > MAX_REOPENS || Thread.currentThread().isInterrupted()) {
      throw cause;
    }
  }

  private static FileChannel openChannel(Path path) throws IOException {
    return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  /** Deletes the file if present. */
  void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }
}
