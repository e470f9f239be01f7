package dev.switchboard.protocol.frame;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a JSON object as UTF-8 bytes by appending fields, with already-encoded JSON (a message body as it arrived or
 * as stored) spliced in unchanged: how the message path writes frames without building a tree or re-encoding a body.
 * Not thread-safe; one builder per frame.
 */
public final class JsonBytes {
  private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

  private byte[] buf;
  private int size;
  private boolean first = true;

  public JsonBytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
    buf[size++] = '{';
  }

  public JsonBytes string(String name, String value) {
    name(name);
    if (value == null) {
      ascii("null");
    } else {
      quoted(value);
    }
    return this;
  }

  public JsonBytes number(String name, long value) {
    name(name);
    ascii(Long.toString(value));
    return this;
  }

  public JsonBytes bool(String name, boolean value) {
    name(name);
    ascii(value ? "true" : "false");
    return this;
  }

  /** A field whose value is already-encoded JSON ({@code null} when {@code json} is null). */
  public JsonBytes raw(String name, byte[] json) {
    name(name);
    if (json == null) {
      ascii("null");
    } else {
      append(json, 0, json.length);
    }
    return this;
  }

  /** A field holding a JSON array of already-encoded JSON values, each spliced in unchanged. */
  public JsonBytes array(String name, java.util.List<byte[]> items) {
    name(name);
    int length = 2;
    for (byte[] item : items) {
      length += item.length + 1;
    }
    ensure(length);
    buf[size++] = '[';
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        buf[size++] = ',';
      }
      byte[] item = items.get(i);
      System.arraycopy(item, 0, buf, size, item.length);
      size += item.length;
    }
    buf[size++] = ']';
    return this;
  }

  /**
   * The members of an already-encoded JSON object ({@code {"a":1,"b":2}}), spliced in as fields of this one; the
   * names must differ from the fields written here. Fails with {@link IllegalArgumentException} when {@code object}
   * is not an object's text.
   */
  public JsonBytes members(byte[] object) {
    int from = 0;
    int to = object.length;
    while (from < to && isSpace(object[from])) {
      from++;
    }
    while (to > from && isSpace(object[to - 1])) {
      to--;
    }
    if (to - from < 2 || object[from] != '{' || object[to - 1] != '}') {
      throw new IllegalArgumentException("not a JSON object");
    }
    from++;
    to--;
    int inner = from;
    while (inner < to && isSpace(object[inner])) {
      inner++;
    }
    if (inner == to) {
      return this;
    }
    if (!first) {
      ensure(1);
      buf[size++] = ',';
    }
    first = false;
    append(object, from, to - from);
    return this;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** {@code id} as a client sent it: a string or a number (anything else is not written). */
  public JsonBytes id(Object id) {
    if (id instanceof String s) {
      return string("id", s);
    }
    if (id instanceof Number n) {
      name("id");
      ascii(io.vertx.core.json.Json.encode(n));
    }
    return this;
  }

  /** Closes the object and returns its bytes. The builder must not be used afterwards. */
  public byte[] close() {
    ensure(1);
    buf[size++] = '}';
    return buf.length == size ? buf : Arrays.copyOf(buf, size);
  }

  private void name(String name) {
    if (!first) {
      ensure(1);
      buf[size++] = ',';
    }
    first = false;
    // Field names are the server's own constants: plain ASCII, no escaping needed.
    ensure(name.length() + 3);
    buf[size++] = '"';
    for (int i = 0; i < name.length(); i++) {
      buf[size++] = (byte) name.charAt(i);
    }
    buf[size++] = '"';
    buf[size++] = ':';
  }

  private void quoted(String value) {
    byte[] escaped = QUOTE.quoteAsUTF8(value);
    ensure(escaped.length + 2);
    buf[size++] = '"';
    System.arraycopy(escaped, 0, buf, size, escaped.length);
    size += escaped.length;
    buf[size++] = '"';
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[size++] = (byte) s.charAt(i);
    }
  }

  private void append(byte[] bytes, int from, int length) {
    ensure(length);
    System.arraycopy(bytes, from, buf, size, length);
    size += length;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  @Override
  public String toString() {
    return new String(buf, 0, size, StandardCharsets.UTF_8);
  }
}
