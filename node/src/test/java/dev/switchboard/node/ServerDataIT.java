package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server API's data routes: a user's export (everything they sent, streamed as one JSON document), a purge (their
 * messages deleted for everyone, then their account), and retention: the bounded background job deletes messages
 * past the global limit (one-to-one) and past a group's own limit, and keeps the rest.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class ServerDataIT {

  private static JsonObject send(ImClient c, JsonObject frame) throws Exception {
    JsonObject ack = await(c.request(frame));
    assertEquals("msg.ack", ack.getString("op"), ack.encode());
    return ack;
  }

  private static JsonObject direct(String cid, long to, String text) {
    return new JsonObject().put("op", "msg.send").put("type", "text").put("cid", cid).put("to", to)
        .put("body", new JsonObject().put("text", text));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aUserIsExportedThenPurged(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      long a = alice.getLong("uid");
      long b = bob.getLong("uid");
      ImClient aws = node.online("ws", alice);
      ImClient bws = node.online("ws", bob);
      for (int i = 0; i < 3; i++) {
        send(aws, direct("d" + i, b, "to bob " + i));
      }
      send(bws, direct("r1", a, "to alice"));
      long gid = await(node.api.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "g")
          .put("members", new JsonArray().add(b)), alice.getString("token"))).body().getLong("gid");
      for (int i = 0; i < 2; i++) {
        send(aws, new JsonObject().put("op", "msg.send").put("type", "text").put("cid", "g" + i).put("group", gid)
            .put("body", "in the group " + i));
      }
      await(node.api.call(HttpMethod.PUT, "/api/v1/blocks/" + b, null, alice.getString("token")));

      ApiClient.Result export = node.service(HttpMethod.GET, "/api/v1/admin/users/" + a + "/export", null);
      assertEquals(200, export.status());
      JsonObject data = export.body();
      assertEquals(a, data.getJsonObject("user").getLong("uid"));
      assertEquals(new JsonArray().add(b), data.getJsonArray("blocks"));
      JsonArray messages = data.getJsonArray("messages");
      assertEquals(3, messages.size(), messages.encode());
      assertEquals("to bob 0", messages.getJsonObject(0).getJsonObject("body").getString("text"));
      assertEquals(b, messages.getJsonObject(2).getLong("to"));
      JsonArray groupMessages = data.getJsonArray("groupMessages");
      assertEquals(2, groupMessages.size(), groupMessages.encode());
      assertEquals("in the group 1", groupMessages.getJsonObject(1).getString("body"));
      assertEquals(gid, groupMessages.getJsonObject(0).getLong("group"));

      ApiClient.Result purged = node.service(HttpMethod.POST, "/api/v1/admin/users/" + a + "/purge", null);
      assertEquals(200, purged.status(), purged.body().encode());
      assertEquals(3, purged.body().getInteger("messages"));
      assertEquals(2, purged.body().getInteger("groupMessages"));
      assertEquals("logged_out", await(aws.next("kicked")).getString("reason"));
      assertEquals(404, node.service(HttpMethod.GET, "/api/v1/admin/users/" + a, null).status());
      // Bob's history: alice's messages are deleted (no body), his own stays.
      JsonArray history = await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + a + "/messages", null,
          bob.getString("token"))).body().getJsonArray("messages");
      assertEquals(4, history.size(), history.encode());
      for (Object o : history) {
        JsonObject m = (JsonObject) o;
        boolean fromAlice = m.getLong("from") == a;
        assertEquals(fromAlice, m.getBoolean("recalled", false), m.encode());
        assertEquals(!fromAlice, m.containsKey("body") && m.getValue("body") != null, m.encode());
      }
      JsonArray groupHistory = await(node.api.call(HttpMethod.GET, "/api/v1/groups/" + gid + "/messages", null,
          bob.getString("token"))).body().getJsonArray("messages");
      assertTrue(groupHistory.stream().map(JsonObject.class::cast).filter(m -> m.getLong("from", 0L) == a)
          .allMatch(m -> m.getBoolean("recalled", false)), groupHistory.encode());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void retentionDeletesWhatIsPastItsLimitAndKeepsTheRest(Backend backend, Vertx vertx) throws Exception {
    JsonObject everySecond = new JsonObject().put("intervalSeconds", 1);
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject()
        .put("router", new JsonObject().put("retention", everySecond.copy().put("days", 30)))
        .put("group", new JsonObject().put("retention", everySecond.copy())))) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      long a = alice.getLong("uid");
      long b = bob.getLong("uid");
      ImClient aws = node.online("ws", alice);
      long fresh = Long.parseLong(send(aws, direct("new", b, "recent")).getString("mid"));
      long shortLived = group(node, alice, b);
      long keptForever = group(node, alice, b);
      assertEquals(200, node.service(HttpMethod.PUT, "/api/v1/admin/groups/" + shortLived + "/retention",
          new JsonObject().put("days", 7)).status());
      assertEquals(404, node.service(HttpMethod.PUT, "/api/v1/admin/groups/999999/retention",
          new JsonObject().put("days", 7)).status());
      assertEquals(400, node.service(HttpMethod.PUT, "/api/v1/admin/groups/" + shortLived + "/retention",
          new JsonObject().put("days", -1)).status());

      Pool pool = Database.pool(vertx, DbConfig.from(node.config.getJsonObject("storage").getJsonObject("db")));
      try {
        long day = 86_400_000L;
        long now = System.currentTimeMillis();
        long old = MidGenerator.firstAt(now - 40 * day) + 7;
        long weekOld = MidGenerator.firstAt(now - 10 * day) + 7;
        await(pool.preparedQuery("INSERT INTO messages (mid, sender, recipient, cid, type, body, ts, sender_seq, "
            + "recipient_seq, recv_no) VALUES (?, ?, ?, 'old', 'text', '\"x\"', ?, 1000, 1000, 0)")
            .execute(Tuple.of(old, a, b, now - 40 * day)));
        await(pool.preparedQuery("INSERT INTO inbox (uid, seq, kind, mid) VALUES (?, 1000, 0, ?), (?, 1000, 0, ?)")
            .execute(Tuple.of(a, old, b, old)));
        String groupRow = "INSERT INTO group_messages (gid, seq, kind, mid, sender, cid, type, body, ts) "
            + "VALUES (?, 1000, 0, ?, ?, 'old', 'text', '\"x\"', ?)";
        await(pool.preparedQuery(groupRow).execute(Tuple.of(shortLived, weekOld, a, now - 10 * day)));
        await(pool.preparedQuery(groupRow).execute(Tuple.of(keptForever, weekOld + 1, a, now - 10 * day)));

        long deadline = System.currentTimeMillis() + 30_000;
        while (count(pool, "SELECT COUNT(*) FROM messages WHERE mid = ?", old)
            + count(pool, "SELECT COUNT(*) FROM group_messages WHERE mid = ?", weekOld) > 0) {
          assertTrue(System.currentTimeMillis() < deadline, "retention deleted the old messages within 30 s");
          await(Future.<Void>future(p -> vertx.setTimer(200, t -> p.complete())));
        }
        assertEquals(0, count(pool, "SELECT COUNT(*) FROM inbox WHERE mid = ?", old), "with their inbox entries");
        assertEquals(1, count(pool, "SELECT COUNT(*) FROM messages WHERE mid = ?", fresh), "a new message stays");
        assertEquals(1, count(pool, "SELECT COUNT(*) FROM group_messages WHERE mid = ?", weekOld + 1),
            "a group without its own limit keeps its messages (no global group limit)");
        assertFalse(await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + b + "/messages", null,
            alice.getString("token"))).body().getJsonArray("messages").isEmpty(), "history still reads");
      } finally {
        pool.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  private static long group(TestNode node, JsonObject owner, long member) throws Exception {
    return await(node.api.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "r")
        .put("members", new JsonArray().add(member)), owner.getString("token"))).body().getLong("gid");
  }

  private static long count(Pool pool, String sql, long mid) throws Exception {
    return await(pool.preparedQuery(sql).execute(Tuple.of(mid))).iterator().next().getLong(0);
  }
}
