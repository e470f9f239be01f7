package dev.switchboard.protocol.frame.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * Protobuf Frame → JSON frame, read straight from the wire into a {@link JsonObject} by walking {@link Schema}: the
 * same Java types a JSON parse gives (Integer when it fits, else Long; mids as decimal strings), fields in wire
 * order after {@code op} and {@code id}, and {@code extra}'s fields merged back in. Like the generated parser it skips
 * fields it does not know (or that arrive with another wire type) and refuses messages nested deeper than
 * {@value #MAX_DEPTH}. Failures are IOExceptions or runtime exceptions that {@link ProtoCodec} reports as
 * {@code bad_frame}; a frame with neither op nor payload fails with {@code unknown_op}.
 */
final class ProtoToJson {
  /** Protobuf's own default recursion limit, so what this accepts a generated parser accepts too. */
  static final int MAX_DEPTH = 100;

  private static final int NULL_VALUE = tag(1, WireFormat.WIRETYPE_VARINT);
  private static final int NUMBER_VALUE = tag(2, WireFormat.WIRETYPE_FIXED64);
  private static final int STRING_VALUE = tag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int BOOL_VALUE = tag(4, WireFormat.WIRETYPE_VARINT);
  private static final int STRUCT_VALUE = tag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int LIST_VALUE = tag(6, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  /** Field 1 of Struct (its entries), of ListValue (its values) and of a map entry (key), length-delimited. */
  private static final int FIRST_LEN = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  /** Field 2 of a Struct entry (the value). */
  private static final int SECOND_LEN = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int KEY_VARINT = tag(1, WireFormat.WIRETYPE_VARINT);
  private static final int VALUE_VARINT = tag(2, WireFormat.WIRETYPE_VARINT);
  private static final int ID_STR = tag(Schema.ID_STR, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int ID_NUM = tag(Schema.ID_NUM, WireFormat.WIRETYPE_VARINT);
  private static final int OP = tag(Schema.OP, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int EXTRA = tag(Schema.EXTRA, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private ProtoToJson() {
  }

  private static int tag(int number, int wireType) {
    return number << 3 | wireType;
  }

  /** Reads a Frame up to the current limit; {@code depth} 0 is the top-level frame. */
  static JsonObject frame(CodedInputStream in, int depth) throws IOException {
    JsonObject out = new JsonObject();
    Map<String, Object> json = out.getMap();
    json.put("op", null); // keeps "op" first
    String op = null;
    Schema.Payload payload = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == ID_STR) {
        json.put("id", in.readStringRequireUtf8());
      } else if (tag == ID_NUM) {
        json.put("id", number(in.readInt64()));
      } else if (tag == OP) {
        op = in.readStringRequireUtf8();
      } else if (tag == EXTRA) {
        int limit = enter(in, depth + 1);
        struct(in, json, depth + 1);
        in.popLimit(limit);
      } else {
        Schema.Payload p = Schema.payload(WireFormat.getTagFieldNumber(tag));
        if (p == null || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          in.skipField(tag);
          continue;
        }
        if (payload != null && payload != p) {
          throw new ImException(ErrorCode.BAD_FRAME, "frame has two payloads");
        }
        payload = p;
        int limit = enter(in, depth + 1);
        fields(in, p.type(), json, depth + 1);
        in.popLimit(limit);
      }
    }
    if (payload != null) {
      if (op != null && !op.isEmpty() && !op.equals(payload.op())) {
        throw new ImException(ErrorCode.BAD_FRAME, "op '" + op + "' does not match the payload " + payload.op());
      }
      op = payload.op();
    } else if (op == null || op.isEmpty()) {
      throw new ImException(depth == 0 ? ErrorCode.UNKNOWN_OP : ErrorCode.BAD_FRAME, "frame has no op");
    }
    json.put("op", op);
    return out;
  }

  /** Reads the fields of a message of {@code type} up to the current limit into {@code json}. */
  private static void fields(CodedInputStream in, Schema.Type type, Map<String, Object> json, int depth)
      throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      Schema.Field f = type.field(WireFormat.getTagFieldNumber(tag));
      int wire = WireFormat.getTagWireType(tag);
      if (f == null) {
        in.skipField(tag);
      } else if (wire == WireFormat.WIRETYPE_VARINT && scalar(f)) {
        Object v = varint(f, in);
        if (f.repeated()) {
          array(json, f.json()).add(v);
        } else {
          json.put(f.json(), v);
        }
      } else if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED && (f.repeated() || !scalar(f))) {
        lengthDelimited(in, f, json, depth);
      } else {
        in.skipField(tag);
      }
    }
  }

  private static boolean scalar(Schema.Field f) {
    return switch (f.kind()) {
      case INT64, INT32, BOOL, DECIMAL -> true;
      default -> false;
    };
  }

  private static Object varint(Schema.Field f, CodedInputStream in) throws IOException {
    return switch (f.kind()) {
      case INT64 -> number(in.readInt64());
      case INT32 -> in.readInt32();
      case BOOL -> in.readBool();
      default -> Long.toUnsignedString(in.readUInt64());
    };
  }

  private static void lengthDelimited(CodedInputStream in, Schema.Field f, Map<String, Object> json, int depth)
      throws IOException {
    if (f.kind() == Schema.Kind.STRING) {
      json.put(f.json(), in.readStringRequireUtf8());
      return;
    }
    int limit = enter(in, depth + 1);
    switch (f.kind()) {
      case INT64, DECIMAL -> {
        // Packed, as proto3 writes repeated scalars.
        JsonArray items = array(json, f.json());
        while (!in.isAtEnd()) {
          items.add(varint(f, in));
        }
      }
      case VALUE -> json.put(f.json(), value(in, depth + 1));
      case FRAME -> array(json, f.json()).add(frame(in, depth + 1));
      case MESSAGE -> {
        JsonObject item = new JsonObject();
        fields(in, f.nested(), item.getMap(), depth + 1);
        array(json, f.json()).add(item);
      }
      case INT64_MAP -> mapEntry(in, object(json, f.json()));
      default -> struct(in, json, depth + 1); // EXTRA
    }
    in.popLimit(limit);
  }

  private static void mapEntry(CodedInputStream in, JsonObject map) throws IOException {
    long key = 0;
    long value = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KEY_VARINT) {
        key = in.readInt64();
      } else if (tag == VALUE_VARINT) {
        value = in.readInt64();
      } else {
        in.skipField(tag);
      }
    }
    map.put(Long.toString(key), number(value));
  }

  /** The content of a google.protobuf.Value as a JSON value (a Value with no kind set reads as null). */
  private static Object value(CodedInputStream in, int depth) throws IOException {
    Object v = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == STRING_VALUE) {
        v = in.readStringRequireUtf8();
      } else if (tag == NUMBER_VALUE) {
        v = number(in.readDouble());
      } else if (tag == BOOL_VALUE) {
        v = in.readBool();
      } else if (tag == NULL_VALUE) {
        in.readEnum();
        v = null;
      } else if (tag == STRUCT_VALUE) {
        int limit = enter(in, depth + 1);
        JsonObject o = new JsonObject();
        struct(in, o.getMap(), depth + 1);
        in.popLimit(limit);
        v = o;
      } else if (tag == LIST_VALUE) {
        int limit = enter(in, depth + 1);
        JsonArray a = new JsonArray();
        while ((tag = in.readTag()) != 0) {
          if (tag == FIRST_LEN) {
            int item = enter(in, depth + 2);
            a.add(value(in, depth + 2));
            in.popLimit(item);
          } else {
            in.skipField(tag);
          }
        }
        in.popLimit(limit);
        v = a;
      } else {
        in.skipField(tag);
      }
    }
    return v;
  }

  /** The entries of a google.protobuf.Struct, put into {@code json}. */
  private static void struct(CodedInputStream in, Map<String, Object> json, int depth) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != FIRST_LEN) {
        in.skipField(tag);
        continue;
      }
      int limit = enter(in, depth + 1);
      String key = "";
      Object value = null;
      while ((tag = in.readTag()) != 0) {
        if (tag == FIRST_LEN) {
          key = in.readStringRequireUtf8();
        } else if (tag == SECOND_LEN) {
          int v = enter(in, depth + 2);
          value = value(in, depth + 2);
          in.popLimit(v);
        } else {
          in.skipField(tag);
        }
      }
      in.popLimit(limit);
      json.put(key, value);
    }
  }

  /** Reads a length and limits the input to it: the start of a nested message at {@code depth}. */
  private static int enter(CodedInputStream in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new ImException(ErrorCode.BAD_FRAME, "frame nested deeper than " + MAX_DEPTH + " messages");
    }
    return in.pushLimit(in.readRawVarint32());
  }

  /** An integer as a JSON parse gives it: Integer when it fits, else Long. */
  private static Object number(long v) {
    if (v == (int) v) {
      return Integer.valueOf((int) v); // not a ?: expression, which would widen it to Long
    }
    return Long.valueOf(v);
  }

  /** A Value's double as a JSON parse would give it: integers up to 2^53 as Integer or Long; never NaN or infinite. */
  private static Object number(double d) {
    if (d == Math.rint(d) && Math.abs(d) <= 0x1p53) {
      return number((long) d);
    }
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new ImException(ErrorCode.BAD_FRAME, "a number in the frame is not finite");
    }
    return d;
  }

  private static JsonArray array(Map<String, Object> json, String key) {
    if (json.get(key) instanceof JsonArray a) {
      return a;
    }
    JsonArray a = new JsonArray();
    json.put(key, a);
    return a;
  }

  private static JsonObject object(Map<String, Object> json, String key) {
    if (json.get(key) instanceof JsonObject o) {
      return o;
    }
    JsonObject o = new JsonObject();
    json.put(key, o);
    return o;
  }
}
