package dev.switchboard.protocol.frame.proto;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The codec's view of switchboard.proto, read once from the generated descriptors: which Frame field carries which
 * op, and for every message the JSON name and kind of each field. The encoder and decoder only walk these tables,
 * so a field added to the schema needs no code, and a field of a shape they cannot map fails here, at class load,
 * rather than on a frame. Immutable; shared by every thread.
 */
final class Schema {
  /** How a field's JSON value maps to the wire. */
  enum Kind {
    /** int64: a JSON integer. */
    INT64,
    /** int32: a JSON integer. */
    INT32,
    BOOL,
    STRING,
    /** uint64 marked (decimal_string): a decimal string in JSON (message ids). */
    DECIMAL,
    /** google.protobuf.Value: any JSON value. */
    VALUE,
    /** A nested Frame (sync.batch entries), with its own op. */
    FRAME,
    /** Another message of this schema, a JSON object. */
    MESSAGE,
    /** map&lt;int64, int64&gt;: a JSON object whose keys are integers as strings. */
    INT64_MAP,
    /** google.protobuf.Struct named extra: the JSON fields that no typed field holds. */
    EXTRA
  }

  /** One field: its number, JSON name, kind, whether repeated, and the message type of a {@link Kind#MESSAGE}. */
  record Field(int number, String json, Kind kind, boolean repeated, Type nested) {
  }

  /** A message type: its fields by number and by JSON name, and its {@code extra} field (null when it has none). */
  static final class Type {
    final String name;
    final Field[] byNumber;
    final Map<String, Field> byJson = new HashMap<>();
    Field extra;

    private Type(Descriptor d) {
      this.name = d.getFullName();
      int max = 0;
      for (FieldDescriptor f : d.getFields()) {
        max = Math.max(max, f.getNumber());
      }
      this.byNumber = new Field[max + 1];
    }

    /** The field with this number, or null (a field of a newer schema: skipped). */
    Field field(int number) {
      return number < byNumber.length ? byNumber[number] : null;
    }

    /** The field with this JSON name, or null (the JSON field goes to extra). */
    Field field(String json) {
      return byJson.get(json);
    }
  }

  /** A payload of Frame: the op it carries, its field number in Frame, its message type. */
  record Payload(String op, int number, Type type) {
  }

  static final int OP = Frame.OP_FIELD_NUMBER;
  static final int ID_STR = Frame.ID_STR_FIELD_NUMBER;
  static final int ID_NUM = Frame.ID_NUM_FIELD_NUMBER;
  static final int EXTRA = Frame.EXTRA_FIELD_NUMBER;

  private static final Map<String, Payload> BY_OP = new HashMap<>();
  private static final Payload[] BY_NUMBER;

  static {
    Descriptor frame = Frame.getDescriptor();
    Map<Descriptor, Type> types = new IdentityHashMap<>();
    BY_NUMBER = new Payload[frame.getFields().stream().mapToInt(FieldDescriptor::getNumber).max().orElse(0) + 1];
    OneofDescriptor payloads = frame.getRealOneofs().stream().filter(o -> o.getName().equals("payload")).findFirst()
        .orElseThrow();
    for (FieldDescriptor f : payloads.getFields()) {
      String op = f.getOptions().getExtension(SwitchboardProto.opName);
      if (op.isEmpty() || BY_OP.containsKey(op)) {
        throw new IllegalStateException(f.getFullName() + ": every payload needs its own (op_name)");
      }
      Type type = type(f.getMessageType(), types);
      if (type.field("op") != null || type.field("id") != null || type.extra != null) {
        throw new IllegalStateException(type.name + ": a payload's fields may not be named op, id or extra");
      }
      Payload p = new Payload(op, f.getNumber(), type);
      BY_OP.put(op, p);
      BY_NUMBER[f.getNumber()] = p;
    }
  }

  private Schema() {
  }

  /** The payload that carries {@code op}, or null for an op this schema does not know. */
  static Payload payload(String op) {
    return BY_OP.get(op);
  }

  /** The payload with this Frame field number, or null. */
  static Payload payload(int number) {
    return number < BY_NUMBER.length ? BY_NUMBER[number] : null;
  }

  private static Type type(Descriptor d, Map<Descriptor, Type> types) {
    Type known = types.get(d);
    if (known != null) {
      return known;
    }
    Type t = new Type(d);
    types.put(d, t);
    for (FieldDescriptor f : d.getFields()) {
      Kind kind = kind(f);
      Field field = new Field(f.getNumber(), f.getJsonName(), kind, f.isRepeated(),
          kind == Kind.MESSAGE ? type(f.getMessageType(), types) : null);
      t.byNumber[f.getNumber()] = field;
      t.byJson.put(field.json(), field);
      if (kind == Kind.EXTRA) {
        t.extra = field;
      }
    }
    return t;
  }

  private static Kind kind(FieldDescriptor f) {
    boolean repeated = f.isRepeated();
    if (f.isMapField()) {
      Descriptor entry = f.getMessageType();
      if (entry.findFieldByNumber(1).getType() == FieldDescriptor.Type.INT64
          && entry.findFieldByNumber(2).getType() == FieldDescriptor.Type.INT64) {
        return Kind.INT64_MAP;
      }
      throw unsupported(f);
    }
    Kind kind = switch (f.getType()) {
      case INT64 -> Kind.INT64;
      case INT32 -> repeated ? null : Kind.INT32;
      case BOOL -> repeated ? null : Kind.BOOL;
      case STRING -> repeated ? null : Kind.STRING;
      case UINT64 -> f.getOptions().getExtension(SwitchboardProto.decimalString) ? Kind.DECIMAL : null;
      case MESSAGE -> messageKind(f);
      default -> null;
    };
    if (kind == null) {
      throw unsupported(f);
    }
    return kind;
  }

  private static Kind messageKind(FieldDescriptor f) {
    Descriptor m = f.getMessageType();
    boolean repeated = f.isRepeated();
    if (m == Value.getDescriptor()) {
      return repeated ? null : Kind.VALUE;
    }
    if (m == Struct.getDescriptor()) {
      return !repeated && f.getName().equals("extra") ? Kind.EXTRA : null;
    }
    if (m == Frame.getDescriptor()) {
      return repeated ? Kind.FRAME : null;
    }
    // A nested object keeps what has no typed field in its own extra.
    return repeated && m.findFieldByName("extra") != null ? Kind.MESSAGE : null;
  }

  private static IllegalStateException unsupported(FieldDescriptor f) {
    return new IllegalStateException(f.getFullName() + ": ProtoCodec cannot map a field of this shape to JSON");
  }
}
