package io.pyralog.node.replication;

import java.security.CodeSource;
import org.apache.ratis.util.PureJavaCrc32C;

/** Whether the node's faster {@link PureJavaCrc32C} replaced Ratis's own on the class path. */
public final class RatisCrc {
  private RatisCrc() {}

  public static boolean isReplaced() {
    CodeSource ours = RatisCrc.class.getProtectionDomain().getCodeSource();
    CodeSource loaded = PureJavaCrc32C.class.getProtectionDomain().getCodeSource();
    return ours != null && loaded != null && ours.getLocation().equals(loaded.getLocation());
  }
}
