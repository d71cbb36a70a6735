package io.pyralog.common.memory;

import io.pyralog.common.annotation.Internal;
import java.util.ArrayDeque;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Arrow memory from the C allocator, with large blocks kept for reuse instead of freed. Fetches
 * take and free blocks of hundreds of kilobytes many times a second: the node reads every stored
 * batch into a new block and the consumer copies every fetched batch into one. The C allocator
 * hands such blocks back to the kernel (a block above its mmap threshold is unmapped, and free
 * space at the top of an arena is trimmed), so the next block of that size was fresh memory that
 * the kernel had to fault in and zero page by page: page faults and page zeroing were about a
 * seventh of the CPU a node and a consumer used during a read.
 *
 * <p>Arrow asks its allocation manager for powers of two below its 16 MiB chunk size. A freed
 * block whose size is a power of two from {@value #MIN_RECYCLED} bytes to 16 MiB is kept in a
 * free list of its size, up to {@link #DEFAULT_RETAINED_BYTES} in all (JVM property {@value
 * #RETAINED_BYTES_PROPERTY}); other blocks, and blocks that do not fit, are freed at once. Sizes
 * are never rounded here: Arrow accounts a block by the size it asked for. Recycled memory is not
 * zeroed, just as fresh memory from the C allocator is not: Arrow zeroes what its vectors need
 * zeroed.
 */
@Internal
public final class RecyclingAllocationManager extends AllocationManager {
  /** The smallest block kept for reuse. */
  public static final long MIN_RECYCLED = 64 << 10;
  /** The largest block kept for reuse: Arrow's chunk size, above which sizes are not rounded. */
  public static final long MAX_RECYCLED = 16L << 20;
  /** How many bytes of freed blocks are kept, in all, unless the JVM says otherwise. */
  public static final long DEFAULT_RETAINED_BYTES = 128L << 20;
  /** JVM property that sets the bytes kept for reuse; 0 turns recycling off. */
  public static final String RETAINED_BYTES_PROPERTY = "pyralog.memory.recycled.bytes";

  /** The blocks kept for reuse, one free list per power-of-two size. */
  static final class BlockPool {
    private final long capacity;
    private final ArrayDeque<Long>[] free;
    private long retained;

    @SuppressWarnings("unchecked")
    BlockPool(long capacity) {
      this.capacity = capacity;
      this.free = new ArrayDeque[64];
      for (int i = 0; i < free.length; i++) {
        free[i] = new ArrayDeque<>();
      }
    }

    /** True when a block of {@code size} bytes is one this pool keeps. */
    boolean recycles(long size) {
      return capacity > 0 && size >= MIN_RECYCLED && size <= MAX_RECYCLED
          && Long.bitCount(size) == 1;
    }

    /** A kept block of exactly {@code size} bytes, or 0 when there is none. */
    synchronized long take(long size) {
      Long address = recycles(size) ? free[Long.numberOfTrailingZeros(size)].poll() : null;
      if (address == null) {
        return 0;
      }
      retained -= size;
      return address;
    }

    /** Keeps a freed block; false when it is not kept and must be freed. */
    synchronized boolean keep(long address, long size) {
      if (!recycles(size) || retained + size > capacity) {
        return false;
      }
      free[Long.numberOfTrailingZeros(size)].push(address);
      retained += size;
      return true;
    }

    synchronized long retainedBytes() {
      return retained;
    }
  }

  private static final BlockPool POOL = new BlockPool(
      Long.getLong(RETAINED_BYTES_PROPERTY, DEFAULT_RETAINED_BYTES));

  /** Makes managers that share the JVM's pool of kept blocks. */
  public static final AllocationManager.Factory FACTORY = factory(POOL);

  static AllocationManager.Factory factory(BlockPool pool) {
    return new AllocationManager.Factory() {
      @Override
      public AllocationManager create(BufferAllocator accountingAllocator, long size) {
        return new RecyclingAllocationManager(accountingAllocator, size, pool);
      }

      @Override
      public ArrowBuf empty() {
        return UnsafeAllocationManager.FACTORY.empty();
      }
    };
  }

  private final BlockPool pool;
  private final long size;
  private final long address;

  private RecyclingAllocationManager(BufferAllocator accountingAllocator, long size,
      BlockPool pool) {
    super(accountingAllocator);
    this.pool = pool;
    this.size = size;
    long kept = pool.take(size);
    this.address = kept != 0 ? kept : MemoryUtil.allocateMemory(size);
  }

  @Override
  public long getSize() {
    return size;
  }

  @Override
  protected long memoryAddress() {
    return address;
  }

  @Override
  protected void release0() {
    if (!pool.keep(address, size)) {
      MemoryUtil.freeMemory(address);
    }
  }
}
