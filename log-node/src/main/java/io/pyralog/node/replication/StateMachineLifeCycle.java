package io.pyralog.node.replication;

import org.apache.ratis.util.LifeCycle;

/**
 * The life-cycle moves Ratis expects of a state machine around a reload: it must be PAUSED when
 * Ratis reloads it after a rebuild from the leader, and RUNNING again afterwards.
 */
final class StateMachineLifeCycle {
  private StateMachineLifeCycle() {}

  static void running(LifeCycle lc) {
    LifeCycle.State s = lc.getCurrentState();
    if (s == LifeCycle.State.NEW || s == LifeCycle.State.PAUSED) {
      lc.transition(LifeCycle.State.STARTING);
      lc.transition(LifeCycle.State.RUNNING);
    }
  }

  static void paused(LifeCycle lc) {
    if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
      lc.transition(LifeCycle.State.PAUSING);
      lc.transition(LifeCycle.State.PAUSED);
    }
  }
}
