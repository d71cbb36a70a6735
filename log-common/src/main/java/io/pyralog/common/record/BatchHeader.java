package io.pyralog.common.record;

import io.pyralog.common.annotation.PublicEvolving;
import io.pyralog.common.errors.Errors;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The fixed 72-byte header in front of every stored record batch. All fields are little-endian.
 *
 * <pre>
 * offset size field
 *  0     4    batch length: header plus payload, in bytes
 *  4     4    CRC32C of bytes [8, batch length): the rest of the header and the payload
 *  8     1    magic (currently 1)
 *  9     1    reserved, 0
 * 10     2    attributes (bit 0: control batch, bit 1: transactional)
 * 12     8    base offset: offset of the first record
 * 20     4    record count
 * 24     8    first timestamp (ms)
 * 32     8    max timestamp (ms)
 * 40     8    producer id, -1 when not idempotent
 * 48     2    producer epoch, -1 when not idempotent
 * 50     2    reserved, 0
 * 52     4    base sequence, -1 when not idempotent
 * 56     8    transaction id, -1 when not transactional
 * 64     4    schema id of the topic schema the payload was written with
 * 68     4    payload length
 * 72     ...  payload: one Arrow IPC record batch message (encapsulated format, no schema)
 * </pre>
 *
 * <p>The static methods read and write a header in place, without allocating, so the append and
 * apply paths can use them on pooled buffers.
 */
@PublicEvolving
public final class BatchHeader {
  public static final int SIZE = 72;
  public static final byte MAGIC = 1;

  public static final int LENGTH_OFFSET = 0;
  public static final int CRC_OFFSET = 4;
  public static final int MAGIC_OFFSET = 8;
  public static final int ATTRIBUTES_OFFSET = 10;
  public static final int BASE_OFFSET_OFFSET = 12;
  public static final int RECORD_COUNT_OFFSET = 20;
  public static final int FIRST_TIMESTAMP_OFFSET = 24;
  public static final int MAX_TIMESTAMP_OFFSET = 32;
  public static final int PRODUCER_ID_OFFSET = 40;
  public static final int PRODUCER_EPOCH_OFFSET = 48;
  public static final int BASE_SEQUENCE_OFFSET = 52;
  public static final int TRANSACTION_ID_OFFSET = 56;
  public static final int SCHEMA_ID_OFFSET = 64;
  public static final int PAYLOAD_LENGTH_OFFSET = 68;

  public static final short ATTR_CONTROL = 0x1;
  public static final short ATTR_TRANSACTIONAL = 0x2;

  public static final long NO_PRODUCER_ID = -1L;
  public static final short NO_PRODUCER_EPOCH = -1;
  public static final int NO_SEQUENCE = -1;
  public static final long NO_TRANSACTION_ID = -1L;

  // Little-endian views that read and write at absolute indexes whatever the buffer's own
  // byte order, without allocating a duplicate per field on the append and apply paths.
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORTS =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private BatchHeader() {}

  /**
   * Writes a complete header at {@code buf}'s absolute position {@code at}. The payload must
   * already be at {@code at + SIZE}; the CRC is computed over it.
   */
  public static void write(
      ByteBuffer buf,
      int at,
      short attributes,
      long baseOffset,
      int recordCount,
      long firstTimestamp,
      long maxTimestamp,
      long producerId,
      short producerEpoch,
      int baseSequence,
      long transactionId,
      int schemaId,
      int payloadLength) {
    ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(at + LENGTH_OFFSET, SIZE + payloadLength);
    b.put(at + MAGIC_OFFSET, MAGIC);
    b.put(at + MAGIC_OFFSET + 1, (byte) 0);
    b.putShort(at + ATTRIBUTES_OFFSET, attributes);
    b.putLong(at + BASE_OFFSET_OFFSET, baseOffset);
    b.putInt(at + RECORD_COUNT_OFFSET, recordCount);
    b.putLong(at + FIRST_TIMESTAMP_OFFSET, firstTimestamp);
    b.putLong(at + MAX_TIMESTAMP_OFFSET, maxTimestamp);
    b.putLong(at + PRODUCER_ID_OFFSET, producerId);
    b.putShort(at + PRODUCER_EPOCH_OFFSET, producerEpoch);
    b.putShort(at + PRODUCER_EPOCH_OFFSET + 2, (short) 0);
    b.putInt(at + BASE_SEQUENCE_OFFSET, baseSequence);
    b.putLong(at + TRANSACTION_ID_OFFSET, transactionId);
    b.putInt(at + SCHEMA_ID_OFFSET, schemaId);
    b.putInt(at + PAYLOAD_LENGTH_OFFSET, payloadLength);
    b.putInt(at + CRC_OFFSET, computeCrc(b, at, SIZE + payloadLength));
  }

  /** Sets the base offset of a stored batch and refreshes its CRC. */
  public static void assignBaseOffset(ByteBuffer buf, int at, long baseOffset) {
    LONGS.set(buf, at + BASE_OFFSET_OFFSET, baseOffset);
    INTS.set(buf, at + CRC_OFFSET, computeCrc(buf, at, batchLength(buf, at)));
  }

  /** CRC32C over bytes {@code [at + 8, at + batchLength)}. */
  public static int computeCrc(ByteBuffer buf, int at, int batchLength) {
    CRC32C crc = new CRC32C();
    ByteBuffer slice = buf.duplicate();
    slice.limit(at + batchLength).position(at + MAGIC_OFFSET);
    crc.update(slice);
    return (int) crc.getValue();
  }

  /**
   * Checks the batch at {@code at}: magic, lengths within {@code available} bytes, and CRC.
   *
   * @return null when valid, otherwise a one-line reason
   */
  public static String validate(ByteBuffer buf, int at, int available) {
    if (available < SIZE) {
      return "truncated header: " + available + " of " + SIZE + " bytes";
    }
    ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int length = b.getInt(at + LENGTH_OFFSET);
    if (b.get(at + MAGIC_OFFSET) != MAGIC) {
      return "bad magic " + b.get(at + MAGIC_OFFSET);
    }
    if (length < SIZE || b.getInt(at + PAYLOAD_LENGTH_OFFSET) != length - SIZE) {
      return "inconsistent batch length " + length;
    }
    if (length > available) {
      return "truncated batch: " + available + " of " + length + " bytes";
    }
    int stored = b.getInt(at + CRC_OFFSET);
    int actual = computeCrc(b, at, length);
    if (stored != actual) {
      return "CRC32C mismatch (stored " + Integer.toHexString(stored) + ", computed "
          + Integer.toHexString(actual) + ")";
    }
    return null;
  }

  /** Like {@link #validate} but throws {@link Errors#CORRUPT_RECORD}. */
  public static void ensureValid(ByteBuffer buf, int at, int available) {
    String problem = validate(buf, at, available);
    if (problem != null) {
      throw Errors.CORRUPT_RECORD.exception("Corrupt record batch: " + problem);
    }
  }

  public static int batchLength(ByteBuffer buf, int at) {
    return (int) INTS.get(buf, at + LENGTH_OFFSET);
  }

  public static long baseOffset(ByteBuffer buf, int at) {
    return (long) LONGS.get(buf, at + BASE_OFFSET_OFFSET);
  }

  public static int recordCount(ByteBuffer buf, int at) {
    return (int) INTS.get(buf, at + RECORD_COUNT_OFFSET);
  }

  public static long firstTimestamp(ByteBuffer buf, int at) {
    return (long) LONGS.get(buf, at + FIRST_TIMESTAMP_OFFSET);
  }

  public static long maxTimestamp(ByteBuffer buf, int at) {
    return (long) LONGS.get(buf, at + MAX_TIMESTAMP_OFFSET);
  }

  public static long producerId(ByteBuffer buf, int at) {
    return (long) LONGS.get(buf, at + PRODUCER_ID_OFFSET);
  }

  public static short producerEpoch(ByteBuffer buf, int at) {
    return (short) SHORTS.get(buf, at + PRODUCER_EPOCH_OFFSET);
  }

  public static int baseSequence(ByteBuffer buf, int at) {
    return (int) INTS.get(buf, at + BASE_SEQUENCE_OFFSET);
  }

  public static short attributes(ByteBuffer buf, int at) {
    return (short) SHORTS.get(buf, at + ATTRIBUTES_OFFSET);
  }

  public static long transactionId(ByteBuffer buf, int at) {
    return (long) LONGS.get(buf, at + TRANSACTION_ID_OFFSET);
  }

  public static int schemaId(ByteBuffer buf, int at) {
    return (int) INTS.get(buf, at + SCHEMA_ID_OFFSET);
  }

  public static int payloadLength(ByteBuffer buf, int at) {
    return (int) INTS.get(buf, at + PAYLOAD_LENGTH_OFFSET);
  }

  /** The offset after the last record of the batch at {@code at}. */
  public static long nextOffset(ByteBuffer buf, int at) {
    return baseOffset(buf, at) + recordCount(buf, at);
  }
}
