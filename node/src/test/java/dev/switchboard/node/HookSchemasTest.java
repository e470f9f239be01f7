package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The schemas of docs/schemas accept what they document and refuse what they do not (so the ITs' checks can fail). */
class HookSchemasTest {
  private static JsonObject sent() {
    return new JsonObject().put("id", "message.sent:7").put("type", "message.sent").put("ts", 1_700_000_000_000L)
        .put("data", new JsonObject().put("mid", "7").put("cid", "c1").put("from", 1).put("to", 2).put("senderSeq", 3)
            .put("recipientSeq", 4).put("ts", 1_700_000_000_000L).put("type", "text").put("body", "hi"));
  }

  @Test
  void aBatchOfValidEventsPasses() {
    JsonObject offline = new JsonObject().put("id", "message.offline:7:2").put("type", "message.offline").put("ts", 1)
        .put("data", new JsonObject().put("uid", 2).put("from", 1).put("mid", "7").put("type", "text")
            .put("conversation", new JsonObject().put("kind", "direct").put("id", 1)).put("unread", 3));
    JsonObject renamed = new JsonObject().put("id", "group.renamed:9").put("type", "group.renamed").put("ts", 1)
        .put("data", new JsonObject().put("group", 5).put("seq", 2).put("ts", 1).put("by", 1).put("name", "n"));
    HookSchemas.check("webhook-batch.schema.json", new JsonObject().put("events",
        new JsonArray().add(sent()).add(offline).add(renamed)));
  }

  @Test
  void aMissingFieldOrAWrongTypeFails() {
    JsonObject noMid = sent();
    noMid.getJsonObject("data").remove("mid");
    assertThrows(AssertionError.class, () -> HookSchemas.check("webhook-batch.schema.json",
        new JsonObject().put("events", new JsonArray().add(noMid))));
    JsonObject numericMid = sent();
    numericMid.getJsonObject("data").put("mid", 7);
    assertThrows(AssertionError.class, () -> HookSchemas.check("message.sent.schema.json", numericMid));
    assertThrows(AssertionError.class, () -> HookSchemas.check("before-send-answer.schema.json",
        new JsonObject().put("action", "reject").put("code", "Not Valid")));
    assertThrows(AssertionError.class, () -> HookSchemas.check("before-send-call.schema.json",
        new JsonObject().put("kind", "direct").put("from", 1).put("type", "text").put("body", "x")));
  }
}
