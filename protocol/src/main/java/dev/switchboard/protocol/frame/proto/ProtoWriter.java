package dev.switchboard.protocol.frame.proto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of protobuf wire format. A nested message is written in one pass: {@link #begin()}
 * reserves one byte for its length and {@link #end(int)} fills it in, moving the content up when the length needs
 * more than one byte (128 bytes or more). No sizes are computed ahead; only strings allocate (their UTF-8 bytes).
 * One instance per thread ({@link #borrow()}); not thread-safe.
 */
final class ProtoWriter {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;

  /** A buffer that grew past this is dropped after use rather than kept for the thread. */
  private static final int KEEP_BYTES = 64 * 1024;
  private static final ThreadLocal<ProtoWriter> WRITERS = ThreadLocal.withInitial(ProtoWriter::new);

  private byte[] buf = new byte[512];
  private int pos;

  private ProtoWriter() {
  }

  /** This thread's writer, emptied. Call {@link #release()} when done with it. */
  static ProtoWriter borrow() {
    ProtoWriter w = WRITERS.get();
    w.pos = 0;
    return w;
  }

  /** Drops a buffer that grew large, so one huge frame does not pin its memory to the thread. */
  void release() {
    if (buf.length > KEEP_BYTES) {
      buf = new byte[512];
    }
  }

  int position() {
    return pos;
  }

  /** Forgets everything written after {@code position} (a repeated field that turned out not to fit). */
  void rewind(int position) {
    pos = position;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  void tag(int number, int wireType) {
    varint((number << 3) | wireType);
  }

  void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void fixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  /** Field {@code number} holding {@code s} in UTF-8 (an unpaired surrogate becomes '?', as String.getBytes does). */
  void string(int number, String s) {
    // getBytes is an intrinsic (a plain copy for ASCII): faster than encoding char by char, even with its array.
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    tag(number, LEN);
    varint(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, buf, pos, utf8.length);
    pos += utf8.length;
  }

  /** Reserves the length byte of a length-delimited field (after its tag); pass the result to {@link #end}. */
  int begin() {
    ensure(1);
    return pos++;
  }

  /** Writes the length of what followed {@link #begin()}, moving it up when the length takes more than one byte. */
  void end(int mark) {
    int len = pos - mark - 1;
    if (len < 0x80) {
      buf[mark] = (byte) len;
      return;
    }
    int size = 1;
    for (int v = len >>> 7; v != 0; v >>>= 7) {
      size++;
    }
    ensure(size - 1);
    System.arraycopy(buf, mark + 1, buf, mark + size, len);
    pos += size - 1;
    int at = mark;
    int v = len;
    while ((v & ~0x7F) != 0) {
      buf[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[at] = (byte) v;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
