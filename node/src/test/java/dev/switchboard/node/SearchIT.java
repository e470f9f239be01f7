package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /api/v1/search} on a whole node, both backends (MariaDB's FULLTEXT index, H2's scan): what a user finds
 * (their one-to-one messages both ways, their groups' messages), in what order and pages, and everything they must
 * never find (other users' conversations, groups they left or were removed from, group messages from before they
 * joined, recalled messages, dissolved groups); bad queries and the search budget.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class SearchIT {
  private static final JsonObject FAST = new JsonObject()
      .put("router", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000))
      .put("group", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000))
      .put("api", new JsonObject().put("searchRateLimit", new JsonObject().put("perSecond", 100_000)
          .put("burst", 100_000)));

  /** A logged-in user with an online WebSocket client. */
  private record User(JsonObject session, ImClient ws) {
    long uid() {
      return session.getLong("uid");
    }

    String token() {
      return session.getString("token");
    }
  }

  private static User user(TestNode node) throws Exception {
    JsonObject session = node.login(node.newUser(), "web");
    ImClient ws = node.online("ws", session);
    await(ws.next("groups"));
    return new User(session, ws);
  }

  /** Sends a one-to-one message ({@code to} > 0) or a group message ({@code gid}); answers the ack's mid. */
  private static String send(User from, long to, long gid, Object body) throws Exception {
    JsonObject frame = new JsonObject().put("op", "msg.send").put("cid", "c" + System.nanoTime()).put("type", "text")
        .put("body", body);
    frame.put(gid == 0 ? "to" : "group", gid == 0 ? to : gid);
    JsonObject ack = await(from.ws().request(frame));
    assertEquals("msg.ack", ack.getString("op"), ack.encode());
    return ack.getString("mid");
  }

  private static ApiClient.Result call(TestNode node, User as, HttpMethod method, String path, Object body)
      throws Exception {
    return await(node.api.call(method, path, body, as.token()));
  }

  private static JsonObject search(TestNode node, User as, String query) throws Exception {
    ApiClient.Result r = call(node, as, HttpMethod.GET, "/api/v1/search?q=" + query, null);
    assertEquals(200, r.status(), query + " → " + r.body());
    return r.body();
  }

  private static String q(String words) {
    return URLEncoder.encode(words, StandardCharsets.UTF_8);
  }

  /** The mids of a search's results, in order. */
  private static List<String> mids(JsonObject page) {
    List<String> mids = new ArrayList<>();
    page.getJsonArray("results").forEach(r -> mids.add(((JsonObject) r).getString("mid")));
    return mids;
  }

  private static long createGroup(TestNode node, User owner, long... members) throws Exception {
    JsonArray list = new JsonArray();
    for (long m : members) {
      list.add(m);
    }
    ApiClient.Result r = call(node, owner, HttpMethod.POST, "/api/v1/groups",
        new JsonObject().put("name", "team").put("members", list));
    assertEquals(201, r.status(), r.body().encode());
    return r.body().getLong("gid");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void findsOwnAndPeersAndGroupMessagesNewestFirstPageByPage(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      User alice = user(node);
      User bob = user(node);
      User carol = user(node);
      long gid = createGroup(node, alice, bob.uid());

      String m1 = send(alice, bob.uid(), 0, "A kitty on the mat");
      String m2 = send(bob, alice.uid(), 0, "KITTYCAT everywhere, café time");
      String m3 = send(bob, 0, gid, new JsonObject().put("text", "group KITTY news").put("w", 1));
      String m4 = send(alice, alice.uid(), 0, "note to self: kitty food");
      send(alice, bob.uid(), 0, new JsonObject().put("url", "https://example.org/kitty.png"));
      send(alice, bob.uid(), 0, "skittish is no match");
      String secret = send(bob, carol.uid(), 0, "kitty secret between bob and carol");

      JsonObject all = search(node, alice, "kitty");
      assertEquals(List.of(m4, m3, m2, m1), mids(all), all.encode());
      assertFalse(all.containsKey("next"), "one page holds them all");
      JsonArray results = all.getJsonArray("results");
      JsonObject note = results.getJsonObject(0);
      assertEquals(alice.uid(), note.getLong("from"));
      assertEquals(alice.uid(), note.getLong("to"));
      assertEquals("note to self: kitty food", note.getString("body"));
      JsonObject group = results.getJsonObject(1);
      assertEquals(gid, group.getLong("group"));
      assertEquals(bob.uid(), group.getLong("from"));
      assertEquals(2L, group.getLong("seq"), "the group's seq (1 is the 'created' event)");
      assertFalse(group.containsKey("to"));
      assertEquals("group KITTY news", group.getJsonObject("body").getString("text"));
      JsonObject fromBob = results.getJsonObject(2);
      assertEquals(bob.uid(), fromBob.getLong("from"));
      assertEquals(alice.uid(), fromBob.getLong("to"));
      assertEquals("text", fromBob.getString("type"));
      assertTrue(fromBob.getLong("ts") > 0);
      // seq is the caller's own: alice's inbox holds m1, m2, m4 at 1, 2, 3; bob's holds m1, m2, the picture, the
      // "skittish" message and the secret at 1 to 5, carol's the secret at 1.
      assertEquals(2L, fromBob.getLong("seq"));
      assertEquals(3L, note.getLong("seq"));
      JsonObject bobs = search(node, bob, "kitty");
      assertEquals(List.of(secret, m3, m2, m1), mids(bobs));
      assertEquals(5L, bobs.getJsonArray("results").getJsonObject(0).getLong("seq"), "the sender's seq");
      assertEquals(1L, search(node, carol, "kitty").getJsonArray("results").getJsonObject(0).getLong("seq"),
          "the recipient's seq");

      // Every term must begin a word (any case, accents folded on MariaDB; "café" as typed on both).
      assertEquals(List.of(m2), mids(search(node, alice, q("kitt CAFÉ"))));
      assertEquals(List.of(), mids(search(node, alice, "itty")), "not inside a word");
      assertEquals(List.of(m1), mids(search(node, alice, q("on the mat"))), "short words and stopwords count too");
      assertEquals(List.of(), mids(search(node, alice, "text")), "an object body's field names are not its text");
      assertEquals(List.of(), mids(search(node, alice, "example")), "only text and caption of an object body");

      // Pages: newest first, each page's next is the following page's before, the last has none.
      List<String> paged = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        JsonObject page = search(node, alice, "kitty&limit=1" + (cursor == null ? "" : "&before=" + cursor));
        paged.addAll(mids(page));
        cursor = page.getString("next");
        pages++;
      } while (cursor != null && pages < 10);
      assertEquals(List.of(m4, m3, m2, m1), paged);
      assertTrue(pages >= 4, "one result per page: " + pages);

      // One conversation, or one group.
      assertEquals(List.of(m2, m1), mids(search(node, alice, "kitty&peer=" + bob.uid())));
      assertEquals(List.of(m4), mids(search(node, alice, "kitty&peer=" + alice.uid())));
      assertEquals(List.of(m3), mids(search(node, alice, "kitty&group=" + gid)));
      assertEquals(List.of(), mids(search(node, carol, "kitty&peer=" + alice.uid())), "carol has none with alice");

      // The same over the long connection's api op.
      JsonObject viaWs = await(alice.ws().request(new JsonObject().put("op", "api").put("method", "GET")
          .put("path", "/api/v1/search?q=kitty&limit=2")));
      assertEquals("api.result", viaWs.getString("op"), viaWs.encode());
      assertEquals(200, viaWs.getInteger("status"));
      assertEquals(List.of(m4, m3), mids(viaWs.getJsonObject("body")));
      assertEquals(m3, viaWs.getJsonObject("body").getString("next"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void neverFindsWhatTheUserCannotSync(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      User alice = user(node);
      User bob = user(node);
      User carol = user(node);
      User dave = user(node);
      long gid = createGroup(node, alice, bob.uid());

      String before = send(alice, 0, gid, "walrus before carol joined");
      assertEquals(200, call(node, alice, HttpMethod.POST, "/api/v1/groups/" + gid + "/members",
          new JsonObject().put("members", new JsonArray().add(carol.uid()))).status());
      String after = send(bob, 0, gid, "walrus after carol joined");
      assertEquals(List.of(after), mids(search(node, carol, "walrus")), "not from before carol joined");
      assertEquals(List.of(after, before), mids(search(node, alice, "walrus")));

      // Removed: nothing of the group any more, old or new, and asking for it by id is refused.
      assertEquals(200, call(node, alice, HttpMethod.DELETE, "/api/v1/groups/" + gid + "/members/" + bob.uid(),
          null).status());
      send(alice, 0, gid, "walrus after bob left");
      assertEquals(List.of(), mids(search(node, bob, "walrus")));
      ApiClient.Result refused = call(node, bob, HttpMethod.GET, "/api/v1/search?q=walrus&group=" + gid, null);
      assertEquals(403, refused.status(), refused.body().encode());
      assertEquals("not_member", refused.body().getString("code"));
      assertNotNull(refused.body().getString("requestId"));
      assertEquals(403, call(node, dave, HttpMethod.GET, "/api/v1/search?q=walrus&group=" + gid, null).status(),
          "nor for someone who never was in it");

      // Left by themselves: the same.
      assertEquals(200, call(node, carol, HttpMethod.DELETE, "/api/v1/groups/" + gid + "/members/" + carol.uid(),
          null).status());
      assertEquals(List.of(), mids(search(node, carol, "walrus")));

      // Recalled, one-to-one and in a group: gone from search (the body is erased).
      String kept = send(alice, dave.uid(), 0, "walrus kept");
      String recalled = send(alice, dave.uid(), 0, "walrus recalled");
      assertEquals(200, call(node, alice, HttpMethod.POST, "/api/v1/messages/" + recalled + "/recall", null)
          .status());
      String groupRecalled = send(alice, 0, gid, "walrus recalled in the group");
      assertEquals(200, call(node, alice, HttpMethod.POST, "/api/v1/groups/" + gid + "/messages/" + groupRecalled
          + "/recall", null).status());
      assertEquals(List.of(kept), mids(search(node, dave, "walrus")));
      assertFalse(mids(search(node, alice, "walrus")).contains(groupRecalled));
      assertFalse(mids(search(node, alice, "walrus")).contains(recalled));

      // Other users' conversations, also when naming one of them as the peer.
      send(bob, carol.uid(), 0, "walrus between bob and carol");
      assertEquals(List.of(), mids(search(node, dave, "walrus&peer=" + bob.uid())));
      assertFalse(mids(search(node, dave, "walrus")).stream().anyMatch(m -> !m.equals(kept)));

      // A dissolved group's messages are gone from its members' search.
      long other = createGroup(node, dave, alice.uid());
      send(dave, 0, other, "narwhal in a group about to go");
      assertEquals(1, mids(search(node, alice, "narwhal")).size());
      assertEquals(200, call(node, dave, HttpMethod.DELETE, "/api/v1/groups/" + other, null).status());
      assertEquals(List.of(), mids(search(node, alice, "narwhal")));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void badQueriesAreRefusedWithTheirCodeAndSearchesHaveTheirOwnBudget(Backend backend, Vertx vertx)
      throws Exception {
    JsonObject tight = new JsonObject().put("api", new JsonObject()
        .put("searchRateLimit", new JsonObject().put("perSecond", 0.001).put("burst", 3)));
    try (TestNode node = TestNode.startWith(vertx, backend, tight)) {
      User alice = user(node);
      for (String bad : List.of("", "q=", "q=%20%20", "q=" + q("!?!"), "q=" + "a".repeat(201),
          "q=" + q("a b c d e f g h i j k"), "q=x&limit=0", "q=x&limit=51", "q=x&before=abc", "q=x&before=-1",
          "q=x&peer=0", "q=x&peer=1&group=2")) {
        ApiClient.Result r = call(node, alice, HttpMethod.GET, "/api/v1/search?" + bad, null);
        assertEquals(400, r.status(), bad + " → " + r.body());
        assertEquals("invalid_field", r.body().getString("code"), bad);
        assertNotNull(r.body().getString("requestId"), bad);
        assertNotNull(r.body().getJsonObject("details").getString("field"), bad + " names its parameter");
      }
      assertEquals(401, await(node.api.call(HttpMethod.GET, "/api/v1/search?q=x", null, null)).status());
      // Refused queries cost nothing from the search budget: three searches pass, the fourth waits.
      for (int i = 0; i < 3; i++) {
        assertEquals(200, call(node, alice, HttpMethod.GET, "/api/v1/search?q=x", null).status());
      }
      ApiClient.Result limited = call(node, alice, HttpMethod.GET, "/api/v1/search?q=x", null);
      assertEquals(429, limited.status(), limited.body().encode());
      assertEquals("rate_limited", limited.body().getString("code"));
      assertTrue(limited.body().getJsonObject("details").getLong("retryAfterMs") > 0);
      User bob = user(node);
      assertEquals(200, call(node, bob, HttpMethod.GET, "/api/v1/search?q=x", null).status(), "per user");
    }
  }
}
