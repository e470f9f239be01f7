package dev.switchboard.protocol.contract;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a contract's fields in a tagged form compatible with protobuf's wire format: each field is a key
 * ({@code number << 3 | wireType}) then a varint (integers, booleans; signed ones zigzag) or a length-prefixed byte run
 * (strings as UTF-8, byte arrays, nested contracts). Fields with their default value (0, false, null) are not
 * written, so a reader that misses them gets the same value.
 */
public final class ContractWriter {
  static final int VARINT = 0;
  static final int LENGTH = 2;

  private final Buffer out;

  ContractWriter(Buffer out) {
    this.out = out;
  }

  /** A signed integer (zigzag varint). */
  public ContractWriter putLong(int field, long value) {
    if (value != 0) {
      key(field, VARINT);
      varint((value << 1) ^ (value >> 63));
    }
    return this;
  }

  public ContractWriter putInt(int field, int value) {
    return putLong(field, value);
  }

  public ContractWriter putBool(int field, boolean value) {
    if (value) {
      key(field, VARINT);
      varint(1);
    }
    return this;
  }

  public ContractWriter putString(int field, String value) {
    if (value != null) {
      putBytes(field, value.getBytes(StandardCharsets.UTF_8));
    }
    return this;
  }

  public ContractWriter putBytes(int field, byte[] value) {
    if (value != null) {
      key(field, LENGTH);
      varint(value.length);
      out.appendBytes(value);
    }
    return this;
  }

  /** A nested contract (length-prefixed, without a type header: the field says what it is). */
  public ContractWriter putNested(int field, Contract value) {
    if (value != null) {
      Buffer inner = Buffer.buffer(64);
      value.write(new ContractWriter(inner));
      key(field, LENGTH);
      varint(inner.length());
      out.appendBuffer(inner);
    }
    return this;
  }

  /** Each element as its own occurrence of {@code field} (a repeated field). */
  public ContractWriter putLongs(int field, long[] values) {
    if (values != null) {
      for (long v : values) {
        key(field, VARINT);
        varint((v << 1) ^ (v >> 63));
      }
    }
    return this;
  }

  public ContractWriter putStrings(int field, java.util.List<String> values) {
    if (values != null) {
      for (String v : values) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        key(field, LENGTH);
        varint(b.length);
        out.appendBytes(b);
      }
    }
    return this;
  }

  public ContractWriter putNestedList(int field, java.util.List<? extends Contract> values) {
    if (values != null) {
      for (Contract v : values) {
        Buffer inner = Buffer.buffer(64);
        v.write(new ContractWriter(inner));
        key(field, LENGTH);
        varint(inner.length());
        out.appendBuffer(inner);
      }
    }
    return this;
  }

  private void key(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.appendByte((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.appendByte((byte) v);
  }
}
