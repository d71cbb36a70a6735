package io.pyralog.node.replication;

/** Result of applying one batch: an error name and message, or its base offset and count. */
public record AppendResult(String error, String message, long baseOffset, int recordCount) {
  static AppendResult ok(long baseOffset, int count) {
    return new AppendResult(null, null, baseOffset, count);
  }

  static AppendResult failed(String error, String message) {
    return new AppendResult(error, message, -1L, 0);
  }
}
