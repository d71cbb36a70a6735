package io.pyralog.common.memory;

import io.pyralog.common.annotation.Internal;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The root Arrow allocator of a node or a client. Arrow's default memory comes from Netty's pooled
 * arenas, which free a pool chunk once it is empty and zero a whole new chunk the next time they
 * need one. Fetches allocate and free megabytes at a time, so a node serving reads spent 5 to 6 %
 * of its CPU zeroing fresh chunks. Node and client therefore take Arrow memory from the C
 * allocator, through {@link RecyclingAllocationManager}, which keeps freed large blocks for reuse
 * (the C allocator alone hands them back to the kernel, which then faults in and zeroes the next
 * ones) and zeroes nothing (Arrow zeroes what its vectors need zeroed itself).
 *
 * <p>A JVM started with {@value #PROPERTY} (or the environment variable {@code
 * ARROW_ALLOCATION_MANAGER_TYPE}) keeps Arrow's own choice, so {@code Netty} brings the pooled
 * arenas back.
 */
@Internal
public final class ArrowAllocators {
  public static final String PROPERTY = "arrow.allocation.manager.type";

  private ArrowAllocators() {}

  /** A root allocator with no limit beyond the JVM's. */
  public static BufferAllocator newRoot() {
    if (System.getProperty(PROPERTY) != null
        || System.getenv("ARROW_ALLOCATION_MANAGER_TYPE") != null) {
      return new RootAllocator();
    }
    return new RootAllocator(RootAllocator.configBuilder()
        .allocationManagerFactory(RecyclingAllocationManager.FACTORY)
        .build());
  }
}
