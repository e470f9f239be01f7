package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14, defect 1: clients sending ids that differ only in case or trailing space, or that are not valid Unicode,
 * share write batches with honest senders. No honest send may fail, every honest message must be stored, and ids
 * must be compared byte-exactly (case variants are distinct messages; an exact repeat is a duplicate).
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class HostileBatchIT {
  private static final int HOSTILE = 8;
  private static final int HONEST = 8;
  private static final int HONEST_SENDS = 4;
  private static final AtomicLong IDS = new AtomicLong();
  private static final JsonObject FAST = new JsonObject()
      .put("router", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000))
      .put("group", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000));

  /**
   * JSON string literals a hostile client {@code k} sends as cids, in this order: three that must be stored as three
   * messages (case and trailing space are significant), an exact repeat of the first (a duplicate), a NUL inside an
   * id (stored as is), and two lone surrogates (not Unicode text; UTF-8 can't hold them, so they'd alias as '?').
   */
  private static List<String> hostileCids(int k) {
    return List.of("\"x" + k + "\"", "\"X" + k + "\"", "\"x" + k + " \"", "\"x" + k + "\"", "\"n\\u0000" + k + "\"",
        "\"\\ud800" + k + "\"", "\"\\udbff" + k + "\"");
  }

  private record Sent(String cid, Future<JsonObject> reply) {
  }

  /** Bob, {@value #HONEST} honest and {@value #HOSTILE} hostile users online, and a group of all of them. */
  private record Scene(TestNode node, JsonObject bob, long gid, List<JsonObject> hostile, List<ImClient> honestClients,
                       List<ImClient> hostileClients) {
    long bobUid() {
      return bob.getLong("uid");
    }

    static Scene start(TestNode node) throws Exception {
      JsonObject bob = node.login(node.newUser(), "web");
      List<JsonObject> honest = new ArrayList<>();
      List<JsonObject> hostile = new ArrayList<>();
      for (int i = 0; i < HONEST; i++) {
        honest.add(node.login(node.newUser(), "web"));
      }
      for (int i = 0; i < HOSTILE; i++) {
        hostile.add(node.login(node.newUser(), "web"));
      }
      List<Long> members = new ArrayList<>();
      honest.subList(1, HONEST).forEach(u -> members.add(u.getLong("uid")));
      hostile.forEach(u -> members.add(u.getLong("uid")));
      members.add(bob.getLong("uid"));
      long gid = GroupIT.createGroup(node, honest.get(0), members.stream().mapToLong(Long::longValue).toArray());
      List<ImClient> honestClients = new ArrayList<>();
      List<ImClient> hostileClients = new ArrayList<>();
      for (int i = 0; i < HONEST; i++) {
        honestClients.add(node.online(i % 2 == 0 ? "ws" : "tcp", honest.get(i)));
      }
      for (int i = 0; i < HOSTILE; i++) {
        hostileClients.add(node.online(i % 2 == 0 ? "tcp" : "ws", hostile.get(i)));
      }
      return new Scene(node, bob, gid, hostile, honestClients, hostileClients);
    }

    /** {@value #HONEST_SENDS} rounds of one send to bob and one to the group per honest client, all at once. */
    List<List<Sent>> sendHonest() {
      List<Sent> direct = new ArrayList<>();
      List<Sent> group = new ArrayList<>();
      for (int r = 0; r < HONEST_SENDS; r++) {
        for (ImClient c : honestClients) {
          String cid = UUID.randomUUID().toString();
          direct.add(new Sent(cid, c.request(new JsonObject().put("op", "msg.send").put("cid", cid)
              .put("to", bobUid()).put("type", "text").put("body", "honest " + cid))));
          group.add(new Sent(cid, c.request(GroupIT.groupSend(cid, gid, "honest " + cid))));
        }
      }
      return List.of(direct, group);
    }

    /**
     * Asserts that no honest send failed and that each is in bob's inbox and the group's timeline; answers those two
     * (by mid) as bob synced them.
     */
    List<Map<String, JsonObject>> assertHonestStored(List<List<Sent>> honest) throws Exception {
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        for (Sent s : honest.get(i)) {
          if (!"msg.ack".equals(s.reply().result().getString("op"))) {
            failed.add((i == 0 ? "to bob: " : "to the group: ") + s.reply().result().encode());
          }
        }
      }
      assertEquals(List.of(), failed, "no honest send fails beside hostile ones");
      ImClient bobClient = node.online("ws", bob);
      Map<String, JsonObject> inbox = byMid(DeliveryIT.syncAll(bobClient, 0, 100));
      Map<String, JsonObject> timeline = byMid(GroupIT.syncGroup(bobClient, gid, 0));
      for (Sent s : honest.get(0)) {
        JsonObject m = inbox.get(s.reply().result().getString("mid"));
        assertTrue(m != null && s.cid().equals(m.getString("cid")), "honest message in bob's inbox: " + s.cid());
      }
      for (Sent s : honest.get(1)) {
        JsonObject m = timeline.get(s.reply().result().getString("mid"));
        assertTrue(m != null && s.cid().equals(m.getString("cid")), "honest message in the timeline: " + s.cid());
      }
      return List.of(inbox, timeline);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void hostileIdsFailNoHonestSendOneToOneOrGroup(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      Scene scene = Scene.start(node);
      // Hostile frames go first so that they share batches with the honest sends that follow at once.
      List<List<Sent>> hostileDirect = new ArrayList<>();
      List<List<Sent>> hostileGroup = new ArrayList<>();
      for (int k = 0; k < HOSTILE; k++) {
        hostileDirect.add(new ArrayList<>());
        hostileGroup.add(new ArrayList<>());
        ImClient c = scene.hostileClients().get(k);
        for (String cid : hostileCids(k)) {
          hostileDirect.get(k).add(new Sent(cid, raw(c, cid, "\"to\":" + scene.bobUid())));
          hostileGroup.get(k).add(new Sent(cid, raw(c, cid, "\"group\":" + scene.gid())));
        }
      }
      List<List<Sent>> honest = scene.sendHonest();
      List<Future<JsonObject>> all = new ArrayList<>();
      honest.forEach(l -> l.forEach(s -> all.add(s.reply())));
      hostileDirect.forEach(l -> l.forEach(s -> all.add(s.reply())));
      hostileGroup.forEach(l -> l.forEach(s -> all.add(s.reply())));
      Future.all(all).await(60, TimeUnit.SECONDS);

      List<Map<String, JsonObject>> stored = scene.assertHonestStored(honest);
      for (int k = 0; k < HOSTILE; k++) {
        assertByteExact(hostileDirect.get(k), stored.get(0), "one-to-one, hostile " + k);
        assertByteExact(hostileGroup.get(k), stored.get(1), "group, hostile " + k);
      }
    }
  }

  /**
   * The mechanism under any row the database refuses, whatever the reason: sends that reach the router and the group
   * verticle directly (as a gateway would forward them) with an id longer than its column, so the database refuses
   * the row (strict mode on MariaDB, always on H2). Each fails {@code internal} alone; every honest send beside them
   * is stored.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void aRowTheDatabaseRefusesFailsOnlyItsOwnSend(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      Scene scene = Scene.start(node);
      // Each hostile user sends one after the other, like a session, so the refused rows spread over the batches.
      List<Future<?>> refused = new ArrayList<>();
      for (int k = 0; k < HOSTILE; k++) {
        long from = scene.hostile().get(k).getLong("uid");
        byte[] body = "\"refused\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Future<?> direct = Future.succeededFuture();
        Future<?> group = Future.succeededFuture();
        for (int i = 0; i < HONEST_SENDS; i++) {
          String cid = "z".repeat(64) + k + "-" + i;
          SendRequest toBob = new SendRequest(from, "s" + k, cid, scene.bobUid(), "text", body, false);
          GroupSendRequest toGroup = new GroupSendRequest(from, "s" + k, cid, scene.gid(), "text", body);
          direct = direct.transform(ignored -> vertx.eventBus().request(Addresses.ROUTER_SEND, toBob));
          group = group.transform(ignored -> vertx.eventBus().request(Addresses.GROUP_SEND, toGroup));
          refused.add(direct);
          refused.add(group);
        }
      }
      List<List<Sent>> honest = scene.sendHonest();
      List<Future<?>> all = new ArrayList<>(refused);
      honest.forEach(l -> l.forEach(s -> all.add(s.reply())));
      Future.join(all).otherwiseEmpty().await(60, TimeUnit.SECONDS);

      scene.assertHonestStored(honest);
      for (Future<?> f : refused) {
        assertTrue(f.failed(), "a row the database refuses is not stored");
        assertEquals(ErrorCode.INTERNAL, ImException.of(f.cause()).code(), f.cause().getMessage());
      }
    }
  }

  /**
   * The first three ids (case and trailing space apart) are three messages stored with exactly their ids; the repeat
   * gets the first's mid; the NUL id is stored as sent; the lone surrogates are refused as invalid.
   */
  private static void assertByteExact(List<Sent> sent, Map<String, JsonObject> stored, String what) {
    Set<String> mids = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      JsonObject ack = sent.get(i).reply().result();
      assertEquals("msg.ack", ack.getString("op"), what + ": " + ack.encode());
      mids.add(ack.getString("mid"));
      assertEquals(decode(sent.get(i).cid()), stored.get(ack.getString("mid")).getString("cid"),
          what + ": the id is stored as sent");
    }
    assertEquals(3, mids.size(), what + ": ids differing in case or trailing space are distinct");
    assertEquals(sent.get(0).reply().result().getString("mid"), sent.get(3).reply().result().getString("mid"),
        what + ": an exact repeat is a duplicate");
    JsonObject nul = sent.get(4).reply().result();
    assertEquals("msg.ack", nul.getString("op"), what + ": " + nul.encode());
    assertEquals(decode(sent.get(4).cid()), stored.get(nul.getString("mid")).getString("cid"), what);
    for (int i = 5; i < 7; i++) {
      JsonObject err = sent.get(i).reply().result();
      assertEquals("invalid_field", err.getString("code"), what + ": " + err.encode());
    }
  }

  /** Sends a {@code msg.send} whose cid is the JSON literal {@code cidJson} as raw text (escapes kept). */
  private static Future<JsonObject> raw(ImClient c, String cidJson, String target) {
    String id = "h" + IDS.incrementAndGet();
    Future<JsonObject> reply = c.next(f -> id.equals(f.getValue("id")));
    c.sendRaw(Buffer.buffer("{\"op\":\"msg.send\",\"id\":\"" + id + "\",\"cid\":" + cidJson + "," + target
        + ",\"type\":\"text\",\"body\":\"hostile\"}"));
    return reply;
  }

  private static String decode(String cidJson) {
    return new JsonObject("{\"c\":" + cidJson + "}").getString("c");
  }

  private static Map<String, JsonObject> byMid(List<JsonObject> msgs) {
    Map<String, JsonObject> out = new HashMap<>();
    for (JsonObject m : msgs) {
      assertEquals(null, out.put(m.getString("mid"), m), "each message once: " + m.encode());
    }
    return out;
  }
}
