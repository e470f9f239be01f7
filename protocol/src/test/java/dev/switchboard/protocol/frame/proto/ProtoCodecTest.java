package dev.switchboard.protocol.frame.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProtoCodecTest {
  private static final String MSG = "{\"op\":\"msg\",\"mid\":\"4302652093440001\",\"cid\":\"c-5f1e2\",\"from\":7,"
      + "\"to\":42,\"seq\":169,\"ts\":1795260238000,\"type\":\"text\",\"body\":\"hello\"}";
  private static final String RECALLED_MSG = "{\"op\":\"msg\",\"mid\":\"4302652093440002\",\"cid\":\"c-5f1e3\","
      + "\"from\":42,\"to\":7,\"seq\":170,\"ts\":1795260239000,\"type\":\"text\",\"body\":null,\"recalled\":true}";
  private static final String GROUP_MSG = "{\"op\":\"msg\",\"mid\":\"4302652093440003\",\"cid\":\"g-1\",\"from\":7,"
      + "\"group\":12,\"seq\":58,\"ts\":1795260238000,\"type\":\"text\",\"body\":{\"text\":\"hi\",\"mentions\":[42,43]}}";
  private static final String GROUP_EVENT = "{\"op\":\"group.event\",\"gid\":12,\"seq\":57,\"ts\":1795260238000,"
      + "\"kind\":\"added\",\"by\":7,\"members\":[42,43]}";

  /** Every client → server example of docs/protocol.md, and the variants it describes. */
  static Stream<String> clientFrames() {
    return Stream.of(
        "{\"op\":\"auth\",\"id\":1,\"token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln\",\"device\":\"web\"}",
        "{\"op\":\"ping\",\"id\":\"p1\"}",
        "{\"op\":\"msg.send\",\"id\":7,\"cid\":\"c-5f1e2\",\"to\":42,\"type\":\"text\",\"body\":\"hello\"}",
        "{\"op\":\"msg.send\",\"id\":8,\"cid\":\"c-5f1e3\",\"group\":12,\"type\":\"image\","
            + "\"body\":{\"url\":\"https://cdn.example/a.png\",\"w\":640,\"h\":480.5,\"tags\":[\"a\",true,null]}}",
        "{\"op\":\"sync\",\"id\":3,\"after\":120,\"limit\":100}",
        "{\"op\":\"sync\",\"id\":5,\"group\":12,\"after\":40,\"limit\":100}",
        "{\"op\":\"sync\",\"id\":6,\"groups\":{\"12\":40,\"15\":0},\"limit\":100}",
        "{\"op\":\"msg.recv\",\"upTo\":168}",
        "{\"op\":\"msg.read\",\"id\":9,\"peer\":7,\"upTo\":168}",
        "{\"op\":\"msg.read\",\"id\":7,\"group\":12,\"upTo\":57}",
        "{\"op\":\"msg.recall\",\"id\":11,\"mid\":\"4302652093440001\"}",
        "{\"op\":\"msg.recall\",\"id\":8,\"group\":12,\"mid\":\"4302652093440001\"}",
        "{\"op\":\"api\",\"id\":9,\"method\":\"POST\",\"path\":\"/api/v1/contacts/requests\",\"body\":{\"uid\":7}}",
        "{\"op\":\"api\",\"id\":10,\"method\":\"GET\",\"path\":\"/api/v1/conversations?limit=50\"}",
        "{\"op\":\"room.join\",\"id\":1,\"room\":\"match-42\"}",
        "{\"op\":\"room.leave\",\"id\":2,\"room\":\"match-42\"}",
        "{\"op\":\"room.send\",\"id\":3,\"room\":\"match-42\",\"type\":\"text\",\"body\":\"what a goal\"}",
        "{\"op\":\"auth.refresh\",\"id\":2,\"token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln\"}");
  }

  /** Every server → client example of docs/protocol.md, and the variants the server sends. */
  static Stream<String> serverFrames() {
    return Stream.of(
        "{\"op\":\"auth.ok\",\"id\":1,\"uid\":42,\"session\":\"3k2j4h5g6f7d\",\"device\":\"web\"}",
        "{\"op\":\"auth.ok\",\"uid\":42,\"session\":\"3k2j4h5g6f7d\",\"device\":\"web\"}",
        "{\"op\":\"pong\",\"id\":\"p1\"}",
        "{\"op\":\"msg.ack\",\"id\":7,\"cid\":\"c-5f1e2\",\"mid\":\"4302652093440001\",\"seq\":57,\"ts\":1795260238000}",
        "{\"op\":\"msg.ack\",\"id\":8,\"cid\":\"g-1\",\"mid\":\"4302652093440003\",\"seq\":58,\"ts\":1795260238000,"
            + "\"group\":12}",
        MSG, RECALLED_MSG, GROUP_MSG,
        "{\"op\":\"sync.batch\",\"id\":3,\"msgs\":[" + MSG + "," + RECALLED_MSG + ",{\"op\":\"msg.recalled\","
            + "\"mid\":\"4302652093440001\",\"by\":7,\"seq\":171}],\"more\":false,\"head\":171}",
        "{\"op\":\"sync.batch\",\"id\":5,\"msgs\":[" + GROUP_EVENT + "," + GROUP_MSG + "],\"more\":true,"
            + "\"group\":12,\"head\":60}",
        "{\"op\":\"sync.batch\",\"id\":6,\"groups\":[{\"msgs\":[" + GROUP_MSG + "],\"more\":false,\"group\":12,"
            + "\"head\":58},{\"group\":15,\"code\":\"not_member\",\"message\":\"not a member of group 15\"}]}",
        "{\"op\":\"msg.delivered\",\"to\":42,\"mids\":[\"4302652093440001\",\"4302652093440002\"]}",
        "{\"op\":\"msg.read\",\"by\":42,\"upTo\":57}",
        "{\"op\":\"msg.read\",\"by\":7,\"peer\":42,\"upTo\":169}",
        "{\"op\":\"msg.recalled\",\"mid\":\"4302652093440001\",\"by\":7,\"seq\":171}",
        "{\"op\":\"msg.recalled\",\"mid\":\"4302652093440003\",\"by\":7,\"seq\":61,\"group\":12}",
        "{\"op\":\"msg.recall.ok\",\"id\":11,\"mid\":\"4302652093440001\",\"seq\":172}",
        "{\"op\":\"msg.recall.ok\",\"id\":12,\"mid\":\"4302652093440001\"}",
        "{\"op\":\"msg.recall.ok\",\"id\":8,\"mid\":\"4302652093440003\",\"group\":12,\"seq\":61}",
        "{\"op\":\"typing\",\"to\":42}",
        "{\"op\":\"msg.send\",\"id\":20,\"cid\":\"c-9\",\"group\":12,\"type\":\"text\",\"body\":\"@ada look\","
            + "\"replyTo\":\"4302652093440003\",\"mentions\":[42,43],\"mentionAll\":true}",
        "{\"op\":\"msg\",\"mid\":\"4302652093440004\",\"cid\":\"c-9\",\"from\":7,\"group\":12,\"seq\":64,"
            + "\"ts\":1795260238000,\"type\":\"text\",\"body\":\"@ada look\",\"reply\":{\"mid\":\"4302652093440003\","
            + "\"from\":42,\"type\":\"text\",\"text\":\"hi\"},\"mentions\":[42,43],\"mentionAll\":true}",
        "{\"op\":\"typing\",\"id\":3,\"group\":12,\"stop\":true}",
        "{\"op\":\"typing\",\"from\":7,\"to\":42,\"expiresInMs\":6000}",
        "{\"op\":\"typing\",\"from\":7,\"group\":12,\"stop\":true,\"expiresInMs\":6000}",
        "{\"op\":\"msg.edit\",\"id\":13,\"mid\":\"4302652093440001\",\"body\":{\"text\":\"fixed\",\"n\":[1,2]}}",
        "{\"op\":\"msg.edit\",\"id\":14,\"group\":12,\"mid\":\"4302652093440003\",\"body\":\"fixed\"}",
        "{\"op\":\"msg.edit.ok\",\"id\":13,\"mid\":\"4302652093440001\",\"seq\":173,\"editedAt\":1795260239000}",
        "{\"op\":\"msg.edited\",\"mid\":\"4302652093440001\",\"by\":7,\"seq\":173,\"body\":\"fixed\","
            + "\"editedAt\":1795260239000}",
        "{\"op\":\"msg.edited\",\"mid\":\"4302652093440003\",\"by\":7,\"seq\":62,\"body\":null,"
            + "\"editedAt\":1795260239000,\"group\":12}",
        "{\"op\":\"msg.react\",\"id\":15,\"mid\":\"4302652093440001\",\"emoji\":\"\ud83d\udc4d\"}",
        "{\"op\":\"msg.react\",\"id\":16,\"group\":12,\"mid\":\"4302652093440003\",\"emoji\":\"\ud83d\udc4d\","
            + "\"remove\":true}",
        "{\"op\":\"msg.react.ok\",\"id\":15,\"mid\":\"4302652093440001\",\"seq\":174}",
        "{\"op\":\"msg.reactions\",\"mid\":\"4302652093440001\",\"seq\":174,\"by\":42,\"emoji\":\"\ud83d\udc4d\","
            + "\"added\":true,\"reactions\":[{\"emoji\":\"\ud83d\udc4d\",\"count\":2}]}",
        "{\"op\":\"msg.reactions\",\"mid\":\"4302652093440003\",\"seq\":63,\"reactions\":[{\"emoji\":\"\u2764\ufe0f\","
            + "\"count\":1,\"me\":true}],\"group\":12}",
        "{\"op\":\"msg\",\"mid\":\"4302652093440001\",\"cid\":\"c\",\"from\":7,\"to\":42,\"seq\":169,"
            + "\"ts\":1795260238000,\"type\":\"text\",\"body\":\"fixed\",\"editedAt\":1795260239000,"
            + "\"reactions\":[{\"emoji\":\"\ud83d\udc4d\",\"count\":2,\"me\":true}]}",
        "{\"op\":\"groups\",\"groups\":{\"12\":57,\"15\":3}}",
        GROUP_EVENT,
        "{\"op\":\"group.event\",\"gid\":12,\"seq\":1,\"ts\":1795260238000,\"kind\":\"created\",\"name\":\"team\","
            + "\"members\":[7,42],\"by\":7}",
        "{\"op\":\"group.event\",\"gid\":12,\"seq\":2,\"ts\":1795260238000,\"kind\":\"renamed\",\"name\":\"crew\","
            + "\"by\":7}",
        "{\"op\":\"group.event\",\"gid\":12,\"seq\":3,\"ts\":1795260238000,\"kind\":\"removed\",\"member\":43,\"by\":7}",
        "{\"op\":\"group.event\",\"gid\":12,\"seq\":4,\"ts\":1795260238000,\"kind\":\"admin\",\"member\":42,"
            + "\"admin\":true,\"by\":7}",
        "{\"op\":\"group.event\",\"gid\":12,\"seq\":5,\"ts\":1795260238000,\"kind\":\"muted\",\"member\":42,"
            + "\"muted\":false,\"by\":7}",
        "{\"op\":\"group.event\",\"gid\":12,\"seq\":6,\"ts\":1795260238000,\"kind\":\"group_muted\",\"muted\":true,"
            + "\"by\":7}",
        "{\"op\":\"group.event\",\"gid\":12,\"seq\":7,\"ts\":1795260238000,\"kind\":\"dissolved\",\"by\":7}",
        "{\"op\":\"room.msgs\",\"room\":\"match-42\",\"msgs\":[{\"type\":\"push\",\"body\":{\"score\":\"1-0\"},"
            + "\"ts\":1795260238000},{\"from\":42,\"type\":\"text\",\"body\":\"what a goal\",\"ts\":1795260238020}]}",
        "{\"op\":\"push\",\"scope\":\"user\",\"type\":\"promo\",\"body\":{\"title\":\"sale\"},\"ts\":1795260238000}",
        "{\"op\":\"push\",\"scope\":\"group\",\"group\":12,\"type\":\"push\",\"body\":\"meeting at 3\","
            + "\"ts\":1795260238000}",
        "{\"op\":\"push\",\"scope\":\"all\",\"type\":\"push\",\"body\":\"maintenance at 5\",\"ts\":1795260238000}",
        "{\"op\":\"contact.event\",\"kind\":\"request\",\"uid\":42,\"message\":\"hi, it's alice\"}",
        "{\"op\":\"contact.event\",\"kind\":\"accepted\",\"uid\":42}",
        "{\"op\":\"presence\",\"uid\":42,\"online\":false,\"lastSeen\":1700000000123}",
        "{\"op\":\"presence\",\"uid\":42,\"online\":true}",
        "{\"op\":\"room.count\",\"room\":\"lobby\",\"count\":1200}",
        "{\"op\":\"ok\",\"id\":9,\"unread\":0}",
        "{\"op\":\"ok\",\"id\":3,\"room\":\"match-42\"}",
        "{\"op\":\"ok\",\"id\":4}",
        "{\"op\":\"kicked\",\"reason\":\"same_device\",\"by\":\"9x8c7v6b5n4m\"}",
        "{\"op\":\"kicked\",\"reason\":\"logged_out\"}",
        "{\"op\":\"kicked\",\"reason\":\"token_expired\"}",
        "{\"op\":\"error\",\"id\":7,\"code\":\"invalid_field\",\"message\":\"field 'to' must be a positive integer\"}",
        "{\"op\":\"error\",\"id\":\"m9\",\"code\":\"rate_limited\",\"message\":\"too many sends\",\"retryAfterMs\":120}",
        "{\"op\":\"error\",\"code\":\"bad_frame\",\"message\":\"frame is not valid JSON\"}",
        "{\"op\":\"api.result\",\"id\":9,\"status\":201,\"body\":{\"uid\":7,\"state\":\"requested\"}}",
        "{\"op\":\"api.result\",\"id\":10,\"status\":204,\"body\":null}",
        "{\"op\":\"auth.refresh.ok\",\"id\":2,\"expiresAt\":1795865038000}",
        "{\"op\":\"token.expiring\",\"expiresAt\":1795865038000}",
        "{\"op\":\"group.invite\",\"kind\":\"invited\",\"gid\":12,\"name\":\"team\",\"by\":7,"
            + "\"at\":1795260238000}",
        "{\"op\":\"group.invite\",\"kind\":\"accepted\",\"gid\":12}");
  }

  /** JSON → protobuf → JSON gives the frame back, with the same text, and the generated parser reads the bytes. */
  @ParameterizedTest
  @MethodSource({"clientFrames", "serverFrames"})
  void documentedFramesRoundTrip(String text) throws InvalidProtocolBufferException {
    JsonObject json = new JsonObject(text);
    byte[] bytes = ProtoCodec.encode(json);
    JsonObject back = ProtoCodec.decode(bytes);
    assertEquals(json, back);
    assertEquals(json.encode(), back.encode());
    Frame parsed = Frame.parseFrom(bytes);
    assertFalse(parsed.hasExtra(), () -> "every documented field has a typed field: " + parsed);
    assertEquals(json.getString("op"), opOf(parsed));
    // What a generated encoder writes (fields in number order) decodes to the same frame.
    assertEquals(json, ProtoCodec.decode(parsed.toByteArray()));
    assertTrue(bytes.length < text.getBytes(StandardCharsets.UTF_8).length, "protobuf is smaller than JSON");
  }

  @Test
  void examplesCoverEveryOpOfTheSchema() {
    Set<String> schemaOps = Frame.getDescriptor().getFields().stream()
        .filter(f -> f.getRealContainingOneof() != null && f.getRealContainingOneof().getName().equals("payload"))
        .map(f -> f.getOptions().getExtension(SwitchboardProto.opName))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> exampleOps = Stream.concat(clientFrames(), serverFrames())
        .map(t -> new JsonObject(t).getString("op"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(schemaOps, exampleOps);
    assertEquals(41, schemaOps.size());
  }

  @Test
  void typedFieldsAreWhatAGeneratedClientReads() throws InvalidProtocolBufferException {
    Frame send = Frame.parseFrom(ProtoCodec.encode(new JsonObject(clientFrames().skip(3).findFirst().orElseThrow())));
    assertEquals(8, send.getIdNum());
    assertEquals(Frame.PayloadCase.MSG_SEND, send.getPayloadCase());
    assertEquals("", send.getOp(), "a known op is named by its payload alone");
    assertEquals(12, send.getMsgSend().getGroup());
    assertFalse(send.getMsgSend().hasTo());
    assertEquals(640, send.getMsgSend().getBody().getStructValue().getFieldsOrThrow("w").getNumberValue());

    Frame msg = Frame.parseFrom(ProtoCodec.encode(new JsonObject(MSG)));
    assertEquals(4302652093440001L, msg.getMsg().getMid());
    assertEquals("hello", msg.getMsg().getBody().getStringValue());
    assertEquals(Frame.IdCase.ID_NOT_SET, msg.getIdCase());

    Frame batch = Frame.parseFrom(ProtoCodec.encode(new JsonObject(serverFrames().skip(8).findFirst().orElseThrow())));
    assertEquals(3, batch.getSyncBatch().getMsgsCount());
    assertTrue(batch.getSyncBatch().getMsgs(1).getMsg().getRecalled());
    assertEquals(Value.KindCase.NULL_VALUE, batch.getSyncBatch().getMsgs(1).getMsg().getBody().getKindCase());
    assertEquals(171, batch.getSyncBatch().getMsgs(2).getMsgRecalled().getSeq());
    assertTrue(batch.getSyncBatch().hasMore());

    Frame groups = Frame.parseFrom(ProtoCodec.encode(new JsonObject("{\"op\":\"groups\",\"groups\":{\"12\":57}}")));
    assertEquals(57L, groups.getGroups().getGroupsOrThrow(12L));
  }

  @Test
  void framesFromAGeneratedClientDecodeToTheirJson() {
    Frame send = Frame.newBuilder().setIdNum(7).setMsgSend(MsgSend.newBuilder().setCid("c-5f1e2").setTo(42)
        .setType("text").setBody(Value.newBuilder().setStringValue("hello"))).build();
    assertEquals(new JsonObject(clientFrames().skip(2).findFirst().orElseThrow()),
        ProtoCodec.decode(send.toByteArray()));
    Frame recall = Frame.newBuilder().setIdStr("r1").setMsgRecall(MsgRecall.newBuilder().setMid(Long.MAX_VALUE))
        .build();
    assertEquals(new JsonObject().put("op", "msg.recall").put("id", "r1").put("mid", "9223372036854775807"),
        ProtoCodec.decode(Buffer.buffer(recall.toByteArray())));
    // A generated client may also name the op; it must then match the payload.
    assertEquals("ping", ProtoCodec.decode(Frame.newBuilder().setOp("ping").setPing(Ping.getDefaultInstance())
        .build().toByteArray()).getString("op"));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.decode(Frame.newBuilder().setOp("pong")
        .setPing(Ping.getDefaultInstance()).build().toByteArray())));
  }

  @Test
  void idsKeepTheirType() {
    JsonObject text = roundTrip(new JsonObject().put("op", "ping").put("id", "p1"));
    assertInstanceOf(String.class, text.getValue("id"));
    JsonObject small = roundTrip(new JsonObject().put("op", "ping").put("id", 1));
    assertInstanceOf(Integer.class, small.getValue("id"));
    JsonObject large = roundTrip(new JsonObject().put("op", "ping").put("id", 1L << 40));
    assertEquals(1L << 40, large.getValue("id"));
    JsonObject negative = roundTrip(new JsonObject().put("op", "ping").put("id", -5));
    assertEquals(-5, negative.getValue("id"));
    // Ids that are neither strings nor integers travel in extra, unchanged.
    assertEquals(1.5, roundTrip(new JsonObject().put("op", "ping").put("id", 1.5)).getValue("id"));
    assertEquals(new JsonArray().add(1), roundTrip(new JsonObject().put("op", "ping").put("id", new JsonArray()
        .add(1))).getValue("id"));
    JsonObject nullId = roundTrip(new JsonObject().put("op", "ping").put("id", null));
    assertTrue(nullId.containsKey("id"));
  }

  @Test
  void pingWithIdOneIsFourBytes() {
    byte[] bytes = ProtoCodec.encode(new JsonObject().put("op", "ping").put("id", 1));
    assertEquals("18014a00", HexFormat.of().formatHex(bytes), "docs/protobuf.md shows these bytes");
  }

  @Test
  void midsBeyondDoublePrecisionStayExact() throws InvalidProtocolBufferException {
    for (String mid : List.of("9007199254740993", "9223372036854775807", "1", "0")) {
      JsonObject ack = new JsonObject().put("op", "msg.ack").put("id", 1).put("cid", "c").put("mid", mid)
          .put("seq", 1).put("ts", 1795260238000L);
      assertEquals(mid, roundTrip(ack).getString("mid"));
      assertEquals(Long.parseLong(mid), Frame.parseFrom(ProtoCodec.encode(ack)).getMsgAck().getMid());
    }
    JsonObject delivered = new JsonObject().put("op", "msg.delivered").put("to", 42)
        .put("mids", new JsonArray().add("9007199254740993").add("9223372036854775806"));
    assertEquals(delivered, roundTrip(delivered));
    // Not canonical decimal strings: kept as they are (in extra), for the server to judge.
    for (String odd : List.of("0042", "-1", "9223372036854775808", "", "12a")) {
      JsonObject recall = new JsonObject().put("op", "msg.recall").put("id", 1).put("mid", odd);
      assertEquals(recall, roundTrip(recall));
    }
    // A mid sent as a JSON integer (the server accepts it) comes back as the protocol's decimal string.
    assertEquals("4302652093440001", roundTrip(new JsonObject().put("op", "msg.recall").put("id", 1)
        .put("mid", 4302652093440001L)).getValue("mid"));
  }

  @Test
  void bodiesAreAnyJsonValue() {
    List<Object> bodies = List.of("text", "", 0, -7, 1.25, 4_000_000_000L, true, false,
        new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3)).addNull(),
        new JsonObject().put("url", "https://x").put("size", new JsonObject().put("w", 640).put("h", 480)),
        new JsonObject(), new JsonArray(), "emoji \uD83D\uDE00 and ü and 中文", "x".repeat(20_000));
    for (Object body : bodies) {
      JsonObject send = new JsonObject().put("op", "msg.send").put("id", 1).put("cid", "c").put("to", 2)
          .put("type", "t").put("body", body);
      JsonObject back = roundTrip(send);
      assertEquals(send.encode(), back.encode());
    }
    // Value numbers are doubles: integral ones come back as integers, like a JSON parse gives them.
    assertEquals(3, roundTrip(new JsonObject().put("op", "push").put("body", 3.0)).getValue("body"));
  }

  @Test
  void fieldsWithoutATypedPlaceTravelInExtra() throws InvalidProtocolBufferException {
    List<JsonObject> frames = List.of(
        // an op newer than the schema
        new JsonObject().put("op", "presence.sub").put("id", 4).put("users", new JsonArray().add(1).add(2))
            .put("full", true),
        // an unknown field and a field of the wrong type in a known op
        new JsonObject().put("op", "msg.send").put("id", 7).put("cid", "c").put("to", "42").put("type", "text")
            .put("body", "x").put("priority", "high"),
        new JsonObject().put("op", "msg.ack").put("id", 7).put("cid", "c").put("mid", "1").put("seq", 2.5)
            .put("ts", null),
        // empty arrays and objects, which a repeated field cannot tell from absent ones
        new JsonObject().put("op", "sync.batch").put("id", 3).put("msgs", new JsonArray()).put("more", false)
            .put("head", 0),
        new JsonObject().put("op", "groups").put("groups", new JsonObject()),
        // a map key that is not a group id, an array element of the wrong type
        new JsonObject().put("op", "sync").put("id", 1).put("groups", new JsonObject().put("x", 1)),
        new JsonObject().put("op", "group.event").put("gid", 1).put("members", new JsonArray().add(1).add("2")),
        // a status beyond int32, an unknown field inside a nested object
        new JsonObject().put("op", "api.result").put("id", 1).put("status", 1L << 40),
        new JsonObject().put("op", "room.msgs").put("room", "r").put("msgs", new JsonArray()
            .add(new JsonObject().put("type", "t").put("body", 1).put("ts", 5).put("edited", true))));
    for (JsonObject frame : frames) {
      assertEquals(frame, roundTrip(frame));
      assertTrue(Frame.parseFrom(ProtoCodec.encode(frame)).hasExtra()
          || Frame.parseFrom(ProtoCodec.encode(frame)).getRoomMsgs().getMsgs(0).hasExtra(), frame::encode);
    }
    Frame unknown = Frame.parseFrom(ProtoCodec.encode(frames.get(0)));
    assertEquals("presence.sub", unknown.getOp());
    assertEquals(Frame.PayloadCase.PAYLOAD_NOT_SET, unknown.getPayloadCase());
    assertTrue(unknown.getExtra().getFieldsOrThrow("full").getBoolValue());
    JsonObject bare = new JsonObject().put("op", "screen.share");
    assertEquals(bare, roundTrip(bare));
    assertEquals("screen.share", Frame.parseFrom(ProtoCodec.encode(bare)).getOp());
    Frame send = Frame.parseFrom(ProtoCodec.encode(frames.get(1)));
    assertEquals("c", send.getMsgSend().getCid());
    assertEquals("42", send.getExtra().getFieldsOrThrow("to").getStringValue());
  }

  @Test
  void largeFramesRoundTrip() {
    JsonArray msgs = new JsonArray();
    for (int i = 0; i < 500; i++) {
      msgs.add(new JsonObject(MSG).put("seq", 1000 + i).put("body", new JsonObject().put("text", "m".repeat(i))));
    }
    JsonObject batch = new JsonObject().put("op", "sync.batch").put("id", 1).put("msgs", msgs).put("more", true)
        .put("head", 2000);
    assertEquals(batch.encode(), roundTrip(batch).encode());
    assertArrayEquals(ProtoCodec.encode(batch), ProtoCodec.encodeJson(batch.toBuffer().getBytes()));
  }

  @Test
  void badInputIsRefused() {
    byte[] good = ProtoCodec.encode(new JsonObject(MSG));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.decode(new byte[] {(byte) 0xff, (byte) 0xff})));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.decode(java.util.Arrays.copyOf(good, good.length - 3))));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.decode("{\"op\":\"ping\"}".getBytes(
        StandardCharsets.UTF_8))));
    // invalid UTF-8 in a string field (ping id)
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.decode(new byte[] {0x12, 0x01, (byte) 0xc3, 0x4a, 0})));
    // two different payloads
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.decode(new byte[] {0x4a, 0, 0x52, 0})));
    // a body nested deeper than protobuf parsers accept
    Object deep = "x";
    for (int i = 0; i < 60; i++) {
      deep = new JsonArray().add(deep);
    }
    byte[] nested = ProtoCodec.encode(new JsonObject().put("op", "push").put("body", deep));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.decode(nested)));
    assertThrows(InvalidProtocolBufferException.class, () -> Frame.parseFrom(nested));
    // no op at all: an empty Frame, or only an id
    assertEquals(ErrorCode.UNKNOWN_OP, codeOf(() -> ProtoCodec.decode(new byte[0])));
    assertEquals(ErrorCode.UNKNOWN_OP, codeOf(() -> ProtoCodec.decode(new byte[] {0x18, 0x01})));
    assertEquals(ErrorCode.UNKNOWN_OP, codeOf(() -> ProtoCodec.encode(new JsonObject().put("id", 1))));
    assertEquals(ErrorCode.UNKNOWN_OP, codeOf(() -> ProtoCodec.encode(new JsonObject().put("op", 5))));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.encodeJson("{nope".getBytes(StandardCharsets.UTF_8))));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> ProtoCodec.encodeJson("[1]".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void fieldsOfANewerSchemaAreSkipped() {
    JsonObject recv = new JsonObject("{\"op\":\"msg.recv\",\"upTo\":3}");
    // Frame field 99 (unknown here) after the frame, and field 9 (unknown here) inside the msg.recv payload.
    byte[] frameField = concat(ProtoCodec.encode(recv), new byte[] {(byte) 0x9a, 0x06, 0x01, 0x00});
    assertEquals(recv, ProtoCodec.decode(frameField));
    byte[] payloadField = {0x5a, 0x04, 0x08, 0x03, 0x48, 0x05};
    assertEquals(recv, ProtoCodec.decode(payloadField));
  }

  private static JsonObject roundTrip(JsonObject frame) {
    return ProtoCodec.decode(ProtoCodec.encode(frame));
  }

  private static String opOf(Frame f) {
    FieldDescriptor payload = Frame.getDescriptor().findFieldByNumber(f.getPayloadCase().getNumber());
    return payload == null ? f.getOp() : payload.getOptions().getExtension(SwitchboardProto.opName);
  }

  private static ErrorCode codeOf(Runnable r) {
    return assertThrows(ImException.class, r::run).code();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
