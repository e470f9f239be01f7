package dev.switchboard.protocol.frame.proto;

import static dev.switchboard.protocol.frame.proto.ProtoWriter.FIXED64;
import static dev.switchboard.protocol.frame.proto.ProtoWriter.LEN;
import static dev.switchboard.protocol.frame.proto.ProtoWriter.VARINT;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON frame → protobuf Frame, written straight from the JSON tree to the wire by walking {@link Schema}. Each JSON
 * field that fits its typed field is written there, in the JSON's order; every other field (unknown, of another JSON
 * type, an empty array or object, a non-integer id) is collected and written to the {@code extra} Struct afterwards.
 * Never fails on a JSON object whose {@code op} is a string.
 */
final class JsonToProto {
  /** The largest value of a 19-digit decimal string that still fits a signed 64-bit mid. */
  private static final String MAX_DECIMAL = Long.toString(Long.MAX_VALUE);

  private JsonToProto() {
  }

  /** Writes the Frame of {@code json}; fails with {@code unknown_op} when it has no string {@code op}. */
  static void frame(Map<String, Object> json, ProtoWriter w) {
    if (!(json.get("op") instanceof String op)) {
      throw new ImException(ErrorCode.UNKNOWN_OP, "frame has no string field 'op'");
    }
    List<String> extra = null;
    Object id = json.get("id");
    if (id instanceof String s) {
      w.string(Schema.ID_STR, s);
    } else if (fitsLong(id)) {
      w.tag(Schema.ID_NUM, VARINT);
      w.varint(longOf(id));
    } else if (id != null || json.containsKey("id")) {
      extra = add(extra, "id");
    }
    Schema.Payload payload = Schema.payload(op);
    if (payload == null) {
      w.string(Schema.OP, op);
      for (String key : json.keySet()) {
        if (!key.equals("op") && !key.equals("id")) {
          extra = add(extra, key);
        }
      }
    } else {
      w.tag(payload.number(), LEN);
      int mark = w.begin();
      extra = fields(json, payload.type(), w, extra, true);
      w.end(mark);
    }
    if (extra != null) {
      struct(Schema.EXTRA, json, extra, w);
    }
  }

  /** Writes the fields of {@code json} that fit {@code type}; returns {@code extra} plus the keys of the others. */
  private static List<String> fields(Map<String, Object> json, Schema.Type type, ProtoWriter w, List<String> extra,
                                     boolean frame) {
    for (Map.Entry<String, Object> e : json.entrySet()) {
      String key = e.getKey();
      if (frame && (key.equals("op") || key.equals("id"))) {
        continue;
      }
      Schema.Field f = type.field(key);
      if (f == null || !(f.repeated() ? repeated(f, e.getValue(), w) : single(f, e.getValue(), w))) {
        extra = add(extra, key);
      }
    }
    return extra;
  }

  private static boolean single(Schema.Field f, Object v, ProtoWriter w) {
    switch (f.kind()) {
      case INT64 -> {
        if (!fitsLong(v)) {
          return false;
        }
        w.tag(f.number(), VARINT);
        w.varint(longOf(v));
      }
      case INT32 -> {
        if (!fitsLong(v) || longOf(v) != (int) longOf(v)) {
          return false;
        }
        w.tag(f.number(), VARINT);
        w.varint(longOf(v));
      }
      case DECIMAL -> {
        if (!isDecimal(v)) {
          return false;
        }
        w.tag(f.number(), VARINT);
        w.varint(decimalOf(v));
      }
      case BOOL -> {
        if (!(v instanceof Boolean b)) {
          return false;
        }
        w.tag(f.number(), VARINT);
        w.varint(b ? 1 : 0);
      }
      case STRING -> {
        if (!(v instanceof String s)) {
          return false;
        }
        w.string(f.number(), s);
      }
      case VALUE -> {
        w.tag(f.number(), LEN);
        int mark = w.begin();
        value(v, w);
        w.end(mark);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** A repeated or map field: written whole, or (an element does not fit, or it is empty) not at all. */
  private static boolean repeated(Schema.Field f, Object v, ProtoWriter w) {
    if (f.kind() == Schema.Kind.INT64_MAP) {
      return map(f, v, w);
    }
    List<?> items = asList(v);
    if (items == null || items.isEmpty()) {
      return false;
    }
    int start = w.position();
    switch (f.kind()) {
      case INT64, DECIMAL -> {
        boolean decimal = f.kind() == Schema.Kind.DECIMAL;
        w.tag(f.number(), LEN);
        int mark = w.begin();
        for (Object item : items) {
          if (decimal ? !isDecimal(item) : !fitsLong(item)) {
            w.rewind(start);
            return false;
          }
          w.varint(decimal ? decimalOf(item) : longOf(item));
        }
        w.end(mark);
      }
      case FRAME, MESSAGE -> {
        for (Object item : items) {
          Map<String, Object> m = asMap(item);
          if (m == null || f.kind() == Schema.Kind.FRAME && !(m.get("op") instanceof String)) {
            w.rewind(start);
            return false;
          }
          w.tag(f.number(), LEN);
          int mark = w.begin();
          if (f.kind() == Schema.Kind.FRAME) {
            frame(m, w);
          } else {
            List<String> extra = fields(m, f.nested(), w, null, false);
            if (extra != null) {
              struct(f.nested().extra.number(), m, extra, w);
            }
          }
          w.end(mark);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** map&lt;int64, int64&gt; from a JSON object whose keys are canonical integers. */
  private static boolean map(Schema.Field f, Object v, ProtoWriter w) {
    Map<String, Object> m = asMap(v);
    if (m == null || m.isEmpty()) {
      return false;
    }
    int start = w.position();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Long key = canonicalLong(e.getKey());
      if (key == null || !fitsLong(e.getValue())) {
        w.rewind(start);
        return false;
      }
      w.tag(f.number(), LEN);
      int mark = w.begin();
      w.tag(1, VARINT);
      w.varint(key);
      w.tag(2, VARINT);
      w.varint(longOf(e.getValue()));
      w.end(mark);
    }
    return true;
  }

  /** A google.protobuf.Struct in field {@code number} holding the given fields of {@code json}. */
  private static void struct(int number, Map<String, Object> json, List<String> keys, ProtoWriter w) {
    w.tag(number, LEN);
    int mark = w.begin();
    for (String key : keys) {
      entry(key, json.get(key), w);
    }
    w.end(mark);
  }

  private static void entry(String key, Object v, ProtoWriter w) {
    w.tag(1, LEN);
    int mark = w.begin();
    w.string(1, key);
    w.tag(2, LEN);
    int value = w.begin();
    value(v, w);
    w.end(value);
    w.end(mark);
  }

  /** The content of a google.protobuf.Value holding {@code v}. */
  static void value(Object v, ProtoWriter w) {
    Map<String, Object> object;
    List<?> array;
    if (v == null) {
      w.tag(1, VARINT);
      w.varint(0);
    } else if (v instanceof String s) {
      w.string(3, s);
    } else if (v instanceof Number n) {
      w.tag(2, FIXED64);
      w.fixed64(Double.doubleToRawLongBits(n.doubleValue()));
    } else if (v instanceof Boolean b) {
      w.tag(4, VARINT);
      w.varint(b ? 1 : 0);
    } else if ((object = asMap(v)) != null) {
      w.tag(5, LEN);
      int mark = w.begin();
      for (Map.Entry<String, Object> e : object.entrySet()) {
        entry(e.getKey(), e.getValue(), w);
      }
      w.end(mark);
    } else if ((array = asList(v)) != null) {
      w.tag(6, LEN);
      int mark = w.begin();
      for (Object item : array) {
        w.tag(1, LEN);
        int m = w.begin();
        value(item, w);
        w.end(m);
      }
      w.end(mark);
    } else {
      // Whatever else a JsonObject may hold (byte[], Instant, an enum...): as Vert.x would write it in JSON.
      value(Json.decodeValue(Json.encode(v)), w);
    }
  }

  private static List<String> add(List<String> list, String key) {
    List<String> l = list == null ? new ArrayList<>(4) : list;
    l.add(key);
    return l;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object v) {
    return v instanceof JsonObject o ? o.getMap() : v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  private static List<?> asList(Object v) {
    return v instanceof JsonArray a ? a.getList() : v instanceof List<?> l ? l : null;
  }

  /** True when {@code v} is a JSON number with an integer value in the int64 range. */
  static boolean fitsLong(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return true;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63;
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64;
    }
    if (v instanceof BigDecimal b) {
      try {
        b.longValueExact();
        return true;
      } catch (ArithmeticException e) {
        return false;
      }
    }
    return false;
  }

  static long longOf(Object v) {
    return v instanceof BigDecimal b ? b.longValueExact() : ((Number) v).longValue();
  }

  /** A mid: a canonical decimal string of a non-negative int64 (or, as clients may send it, such a JSON integer). */
  private static boolean isDecimal(Object v) {
    if (v instanceof String s) {
      int n = s.length();
      if (n == 0 || n > 19 || n > 1 && s.charAt(0) == '0') {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          return false;
        }
      }
      return n < 19 || s.compareTo(MAX_DECIMAL) <= 0;
    }
    return fitsLong(v) && longOf(v) >= 0;
  }

  private static long decimalOf(Object v) {
    return v instanceof String s ? Long.parseLong(s) : longOf(v);
  }

  /** The value of a map key that is exactly {@code Long.toString} of an int64, else null. */
  private static Long canonicalLong(String key) {
    try {
      long v = Long.parseLong(key);
      return Long.toString(v).equals(key) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
