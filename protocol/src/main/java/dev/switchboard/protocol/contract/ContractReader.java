package dev.switchboard.protocol.contract;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the tagged form {@link ContractWriter} writes. A decoder loops {@code while ((f = r.next()) != 0)} and
 * switches on the field number; for a number it does not know it calls {@link #skip()}, which is what lets an older
 * reader take a newer sender's record. Fails with {@link IllegalArgumentException} on bytes that are not this form.
 */
public final class ContractReader {
  private final Buffer in;
  private int pos;
  private final int end;
  private int wireType;

  ContractReader(Buffer in, int pos, int end) {
    this.in = in;
    this.pos = pos;
    this.end = end;
  }

  /** The next field's number, or 0 at the end of the record. */
  public int next() {
    if (pos >= end) {
      return 0;
    }
    long key = varint();
    wireType = (int) (key & 7);
    int field = (int) (key >>> 3);
    if (field <= 0 || (wireType != ContractWriter.VARINT && wireType != ContractWriter.LENGTH)) {
      throw new IllegalArgumentException("not a contract: field " + field + " wire type " + wireType);
    }
    return field;
  }

  public long readLong() {
    expect(ContractWriter.VARINT);
    long v = varint();
    return (v >>> 1) ^ -(v & 1);
  }

  public int readInt() {
    return Math.toIntExact(readLong());
  }

  public boolean readBool() {
    expect(ContractWriter.VARINT);
    return varint() != 0;
  }

  public byte[] readBytes() {
    expect(ContractWriter.LENGTH);
    int length = length();
    byte[] b = in.getBytes(pos, pos + length);
    pos += length;
    return b;
  }

  public String readString() {
    expect(ContractWriter.LENGTH);
    int length = length();
    String s = in.getString(pos, pos + length, StandardCharsets.UTF_8.name());
    pos += length;
    return s;
  }

  /** A nested record of type {@code type} (without a type header). */
  public <T extends Contract> T readNested(ContractType<T> type) {
    expect(ContractWriter.LENGTH);
    int length = length();
    T value = type.decode(new ContractReader(in, pos, pos + length));
    pos += length;
    return value;
  }

  /** A bare varint (the header of an encoded contract). */
  long rawVarint() {
    return varint();
  }

  /** Skips the current field: what a decoder does with a field number it does not know. */
  public void skip() {
    if (wireType == ContractWriter.VARINT) {
      varint();
    } else {
      int length = length(); // not "pos += length()": Java reads pos before length() advances it
      pos += length;
    }
  }

  private int length() {
    long length = varint();
    if (length < 0 || length > end - pos) {
      throw new IllegalArgumentException("not a contract: length " + length + " past the end");
    }
    return (int) length;
  }

  private void expect(int type) {
    if (wireType != type) {
      throw new IllegalArgumentException("not a contract: wire type " + wireType + ", expected " + type);
    }
  }

  private long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IllegalArgumentException("not a contract: truncated varint");
      }
      byte b = in.getByte(pos++);
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("not a contract: varint too long");
  }
}
