package io.pyralog.common.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyralog.common.memory.RecyclingAllocationManager.BlockPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class RecyclingAllocationManagerTest {

  private static BufferAllocator root(BlockPool pool) {
    return new RootAllocator(RootAllocator.configBuilder()
        .allocationManagerFactory(RecyclingAllocationManager.factory(pool)).build());
  }

  @Test
  void aFreedLargeBlockIsHandedOutAgainWithItsContents() {
    BlockPool pool = new BlockPool(8L << 20);
    try (BufferAllocator root = root(pool)) {
      long address;
      try (ArrowBuf first = root.buffer(512 << 10)) {
        address = first.memoryAddress();
        first.setLong(0, 0x1234_5678_9abcL);
      }
      assertThat(pool.retainedBytes()).isEqualTo(512 << 10);
      try (ArrowBuf second = root.buffer(300 << 10)) { // Arrow rounds it to 512 KiB
        assertThat(second.memoryAddress()).isEqualTo(address);
        // not zeroed, as memory fresh from the C allocator is not either
        assertThat(second.getLong(0)).isEqualTo(0x1234_5678_9abcL);
        assertThat(pool.retainedBytes()).isZero();
        second.setLong(8, 7L);
        assertThat(second.getLong(8)).isEqualTo(7L);
      }
      assertThat(root.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void smallOddAndHugeBlocksAreFreedAtOnce() {
    BlockPool pool = new BlockPool(64L << 20);
    try (BufferAllocator root = root(pool)) {
      root.buffer(32 << 10).close();
      assertThat(pool.retainedBytes()).isZero();
      root.buffer((16 << 20) + 3).close(); // above Arrow's chunk size: not rounded, not kept
      root.buffer(32L << 20).close();
      assertThat(pool.retainedBytes()).isZero();
      root.buffer(16L << 20).close();
      assertThat(pool.retainedBytes()).isEqualTo(16L << 20);
    }
  }

  @Test
  void keepsNoMoreThanItsCapacity() {
    BlockPool pool = new BlockPool(1L << 20);
    try (BufferAllocator root = root(pool)) {
      List<ArrowBuf> buffers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        buffers.add(root.buffer(256 << 10));
      }
      buffers.forEach(ArrowBuf::close);
      assertThat(pool.retainedBytes()).isEqualTo(1L << 20);
      // four kept blocks come back, distinct, then fresh memory again
      List<Long> addresses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ArrowBuf b = root.buffer(256 << 10);
        addresses.add(b.memoryAddress());
        buffers.set(i, b);
      }
      assertThat(addresses).doesNotHaveDuplicates();
      assertThat(pool.retainedBytes()).isZero();
      buffers.forEach(ArrowBuf::close);
      assertThat(root.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void aPoolWithoutCapacityKeepsNothing() {
    BlockPool pool = new BlockPool(0);
    try (BufferAllocator root = root(pool)) {
      root.buffer(1 << 20).close();
      assertThat(pool.retainedBytes()).isZero();
      assertThat(pool.recycles(1 << 20)).isFalse();
    }
  }

  @Test
  void sharedBySeveralThreads() throws InterruptedException {
    BlockPool pool = new BlockPool(4L << 20);
    try (BufferAllocator root = root(pool)) {
      List<Thread> threads = new ArrayList<>();
      Queue<String> clobbered = new ConcurrentLinkedQueue<>();
      for (int t = 0; t < 4; t++) {
        long mark = t;
        threads.add(new Thread(() -> {
          for (int i = 0; i < 2_000; i++) {
            try (ArrowBuf b = root.buffer(128 << 10)) {
              b.setLong(0, mark);
              b.setLong((128 << 10) - 8, mark);
              Thread.onSpinWait();
              if (b.getLong(0) != mark || b.getLong((128 << 10) - 8) != mark) {
                clobbered.add("thread " + mark + ", round " + i);
              }
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(clobbered).as("a block in use was handed to another thread").isEmpty();
      assertThat(root.getAllocatedMemory()).isZero();
      assertThat(pool.retainedBytes()).isBetween(128L << 10, 4L << 20);
    }
  }
}
