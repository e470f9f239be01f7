package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.users.Passwords;
import dev.switchboard.group.GroupVerticle;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.SqlChunks;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 5,000-member group with 500 members online: one send is one stored row and one event-bus publish, and reaches
 * every online member. Counted from the store and the group verticle's publish counter, not from timing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(300)
@Isolated
class LargeGroupIT {
  private static final int MEMBERS = 5_000;
  private static final int ONLINE = 500;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void oneSendIsOneRowAndOnePublish(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject())) {
      String prefix = "lg" + UUID.randomUUID().toString().substring(0, 6);
      Pool pool = Database.pool(vertx, DbConfig.from(node.config.getJsonObject("storage").getJsonObject("db")));
      String hash = Passwords.hash(TestNode.PASSWORD, TestNode.ARGON2);
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        rows.add(List.of(prefix + i, hash, 0L));
      }
      List<Long> uids = new ArrayList<>();
      await(pool.withTransaction(conn -> SqlChunks.insert(conn,
          "INSERT INTO users (username, password_hash, created_at) VALUES ", "(?, ?, ?)", rows)));
      for (Row r : await(pool.preparedQuery("SELECT id FROM users WHERE username LIKE ? ORDER BY id")
          .execute(Tuple.of(prefix + "%")))) {
        uids.add(r.getLong("id"));
      }
      assertEquals(MEMBERS, uids.size());

      JsonObject owner = node.login(prefix + "0", "web");
      long gid = GroupIT.createGroup(node, owner);
      for (int from = 1; from < MEMBERS; from += 200) {
        JsonArray chunk = new JsonArray(new ArrayList<>(uids.subList(from, Math.min(MEMBERS, from + 200))));
        GroupIT.call(node, HttpMethod.POST, "/api/v1/groups/" + gid + "/members",
            new JsonObject().put("members", chunk), owner, 200);
      }

      WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
      List<ImClient> online = new ArrayList<>();
      for (int i = 1; i <= ONLINE; i++) {
        JsonObject session = node.login(prefix + i, "web");
        ImClient c = await(ImClient.webSocket(vertx, ws, "127.0.0.1", node.gateway().getInteger("wsPort"),
            "/ws?token=" + session.getString("token") + "&device=web"));
        online.add(c);
      }
      for (ImClient c : online) {
        JsonObject first = await(c.next(f -> "groups".equals(f.getString("op")) || "error".equals(f.getString("op"))));
        assertEquals("groups", first.getString("op"), first.encode());
      }
      ImClient sender = node.online("tcp", owner);
      await(sender.next("groups"));

      long publishedBefore = GroupVerticle.PUBLISHED.get();
      long rowsBefore = count(pool, gid);
      JsonObject ack = await(sender.request(GroupIT.groupSend("big", gid, "hello, everyone")));
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      List<Future<JsonObject>> received = new ArrayList<>();
      online.forEach(c -> received.add(GroupIT.nextGroupMsg(c, gid)));
      for (Future<JsonObject> f : received) {
        assertEquals(ack.getString("mid"), await(f).getString("mid"));
      }
      assertEquals(1, GroupVerticle.PUBLISHED.get() - publishedBefore, "one event-bus message for 500 sessions");
      assertEquals(1, count(pool, gid) - rowsBefore, "one stored row for 5,000 members");
      for (ImClient c : online) {
        await(c.close());
      }
      await(ws.close());
      await(pool.close());
    }
  }

  private static long count(Pool pool, long gid) throws Exception {
    return await(pool.preparedQuery("SELECT COUNT(*) AS n FROM group_messages WHERE gid = ? AND kind = 0")
        .execute(Tuple.of(gid))).iterator().next().getLong("n");
  }
}
