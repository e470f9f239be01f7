package dev.switchboard.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HooksConfigTest {
  private static final String SECRET = "sixteen-chars-or-more";

  private static JsonObject webhook() {
    return new JsonObject().put("url", "https://app.example/im-events").put("secret", SECRET);
  }

  private static String error(JsonObject hooks) {
    return assertThrows(IllegalArgumentException.class, () -> HooksConfig.from(hooks)).getMessage();
  }

  @Test
  void noSectionMeansNoHooksAndNoEvents() {
    HooksConfig none = HooksConfig.from(null);
    assertFalse(none.anyEvents());
    assertFalse(none.wants("message.sent"));
    assertNull(none.beforeSend("direct"));
  }

  @Test
  void defaultsAndEventPatterns() {
    HooksConfig c = HooksConfig.from(new JsonObject().put("webhooks", new JsonArray().add(webhook()
        .put("events", new JsonArray().add("message.sent").add("group.*")))));
    HooksConfig.Webhook w = c.webhooks().get(0);
    assertEquals(10_000, w.queue());
    assertEquals(100, w.maxBatch());
    assertEquals(5_000, w.timeoutMs());
    assertEquals(500, w.backoffMs());
    assertEquals(60_000, w.maxBackoffMs());
    assertTrue(c.wants("message.sent"));
    assertTrue(c.wants("group.renamed"));
    assertTrue(c.wants("group.message.sent"));
    assertFalse(c.wants("user.online"));
    assertTrue(HooksConfig.from(new JsonObject().put("busEvents", true)).wants("user.online"));
    assertEquals(1_000, c.offlineMaxGroupSize());
  }

  @Test
  void beforeSendDefaultsAndKinds() {
    HooksConfig c = HooksConfig.from(new JsonObject().put("beforeSend", new JsonObject()
        .put("url", "http://127.0.0.1:9/hook").put("secret", SECRET).put("kinds", new JsonArray().add("direct"))));
    assertEquals(500, c.beforeSend("direct").timeoutMs());
    assertFalse(c.beforeSend("direct").rejectOnFailure());
    assertEquals(1_000, c.beforeSend("direct").maxPending());
    assertNull(c.beforeSend("group"));
  }

  @Test
  void badValuesFailWithTheKeyNamed() {
    assertTrue(error(new JsonObject().put("webhooks", new JsonArray().add(webhook().put("url", "ftp://x/"))))
        .startsWith("hooks.webhooks[0].url"));
    assertTrue(error(new JsonObject().put("webhooks", new JsonArray().add(webhook().put("secret", "short"))))
        .startsWith("hooks.webhooks[0].secret"));
    assertTrue(error(new JsonObject().put("webhooks", new JsonArray().add(webhook()
        .put("events", new JsonArray().add("message.snet"))))).contains("unknown event type message.snet"));
    assertTrue(error(new JsonObject().put("webhooks", new JsonArray().add(webhook().put("queue", 0))))
        .startsWith("hooks.webhooks[0].queue"));
    assertTrue(error(new JsonObject().put("webhooks", new JsonArray().add(webhook().put("backoffMs", 100)
        .put("maxBackoffMs", 50)))).startsWith("hooks.webhooks[0].maxBackoffMs"));
    assertTrue(error(new JsonObject().put("beforeSend", new JsonObject().put("url", "http://h/").put("secret", SECRET)
        .put("onFailure", "maybe"))).startsWith("hooks.beforeSend.onFailure"));
    assertTrue(error(new JsonObject().put("beforeSend", new JsonObject().put("url", "http://h/").put("secret", SECRET)
        .put("kinds", new JsonArray().add("broadcast")))).startsWith("hooks.beforeSend.kinds"));
    assertTrue(error(new JsonObject().put("webhooks", new JsonArray().add("x"))).startsWith("hooks.webhooks[0]"));
  }
}
