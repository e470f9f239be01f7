package dev.switchboard.node;

import static dev.switchboard.node.GroupIT.call;
import static dev.switchboard.node.GroupIT.groupSend;
import static dev.switchboard.node.GroupIT.nextGroupMsg;
import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.node.BridgeIT.BridgeClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Who may put a user in a group, on both backends: blocks hold through groups, the {@code groupAdd} setting turns adds
 * into invitations, invitations are accepted and declined live, and contacts-only mode holds on every path a message
 * takes to a user.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class GroupPrivacyIT {
  private static JsonArray uids(JsonObject... users) {
    JsonArray list = new JsonArray();
    for (JsonObject u : users) {
      list.add(u.getLong("uid"));
    }
    return list;
  }

  private static JsonObject create(TestNode node, JsonObject owner, JsonArray members) throws Exception {
    return call(node, HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "team")
        .put("members", members), owner, 201);
  }

  private static long create(TestNode node, JsonObject owner, JsonArray members, JsonArray expectInvited)
      throws Exception {
    JsonObject created = create(node, owner, members);
    assertEquals(expectInvited, created.getJsonArray("invited"), created.encode());
    return created.getLong("gid");
  }

  private static JsonObject add(TestNode node, JsonObject admin, long gid, JsonObject... users) throws Exception {
    return call(node, HttpMethod.POST, "/api/v1/groups/" + gid + "/members", new JsonObject().put("members",
        uids(users)), admin, 200);
  }

  private static List<Long> groupsOf(TestNode node, JsonObject user) throws Exception {
    List<Long> gids = new ArrayList<>();
    call(node, HttpMethod.GET, "/api/v1/groups", null, user, 200).getJsonArray("groups")
        .forEach(g -> gids.add(((JsonObject) g).getLong("gid")));
    return gids;
  }

  private static List<Long> invitationsOf(TestNode node, JsonObject user) throws Exception {
    List<Long> gids = new ArrayList<>();
    call(node, HttpMethod.GET, "/api/v1/groups/invitations", null, user, 200).getJsonArray("invitations")
        .forEach(i -> gids.add(((JsonObject) i).getLong("gid")));
    return gids;
  }

  private static void setGroupAdd(TestNode node, JsonObject user, String value) throws Exception {
    JsonObject me = call(node, HttpMethod.PATCH, "/api/v1/users/me", new JsonObject().put("groupAdd", value), user,
        200);
    assertEquals(value, me.getString("groupAdd"));
  }

  private static void contacts(TestNode node, JsonObject a, JsonObject b) throws Exception {
    call(node, HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", b.getLong("uid")), a, 201);
    call(node, HttpMethod.POST, "/api/v1/contacts/requests/" + a.getLong("uid") + "/accept", null, b, 200);
  }

  /** Asserts nothing of group {@code gid} reached {@code c}: a round trip after the sends brings no message. */
  private static void nothingFrom(ImClient c, long gid) throws Exception {
    await(c.request(new JsonObject().put("op", "ping")));
    assertFalse(nextGroupMsg(c, gid).isComplete(), "a message of group " + gid + " reached the user");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aBlockedUserCannotReachTheVictimThroughAGroup(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject victim = node.login(node.newUser(), "web");
      JsonObject mallory = node.login(node.newUser(), "web");
      JsonObject carol = node.login(node.newUser(), "web");
      call(node, HttpMethod.PUT, "/api/v1/blocks/" + mallory.getLong("uid"), null, victim, 204);
      ImClient victimWs = node.online("ws", victim);
      await(victimWs.next("groups"));
      ImClient malloryWs = node.online("ws", mallory);
      await(malloryWs.next("groups"));

      // A group created with the victim, and one the victim is added to later.
      JsonObject atCreate = create(node, mallory, uids(victim, carol));
      long created = atCreate.getLong("gid");
      long later = create(node, mallory, uids(carol)).getLong("gid");
      JsonObject added = add(node, mallory, later, victim);
      for (long gid : List.of(created, later)) {
        JsonObject ack = await(malloryWs.request(groupSend("m" + gid, gid, "you can't block me here")));
        assertEquals("msg.ack", ack.getString("op"), ack.encode());
      }
      nothingFrom(victimWs, created);
      nothingFrom(victimWs, later);
      assertEquals(List.of(), groupsOf(node, victim), "the victim is in none of the blocked user's groups");
      // The adder is told what an invitation would tell them: the block is not revealed.
      assertEquals(uids(victim), atCreate.getJsonArray("invited"));
      assertEquals(new JsonArray(), added.getJsonArray("added"));
      assertEquals(uids(victim), added.getJsonArray("invited"));
      assertEquals(List.of(), invitationsOf(node, victim), "and never hears of the invitations");
      assertFalse(victimWs.next("group.invite").isComplete());
      call(node, HttpMethod.POST, "/api/v1/groups/invitations/" + created + "/accept", null, victim, 404);

      // Anyone the victim did not block still adds them directly (groupAdd is "everyone" by default).
      long carols = create(node, carol, uids(victim), new JsonArray());
      assertEquals(List.of(carols), groupsOf(node, victim));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void groupAddContactsAndNobodyTurnAddsIntoInvitations(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      JsonObject carol = node.login(node.newUser(), "web");
      JsonObject dave = node.login(node.newUser(), "web");
      assertEquals("everyone", call(node, HttpMethod.GET, "/api/v1/users/me", null, bob, 200).getString("groupAdd"));
      setGroupAdd(node, bob, "contacts");
      setGroupAdd(node, dave, "nobody");
      JsonObject bad = call(node, HttpMethod.PATCH, "/api/v1/users/me", new JsonObject().put("groupAdd", "friends"),
          bob, 400);
      assertEquals("invalid_field", bad.getString("code"));
      contacts(node, carol, bob);
      contacts(node, carol, dave);
      ImClient bobWs = node.online("ws", bob);
      await(bobWs.next("groups"));

      // A non-contact's add of a "contacts" user is an invitation, live on the user's devices.
      long gid = create(node, alice, uids(bob, carol), uids(bob));
      JsonObject invite = await(bobWs.next("group.invite"));
      assertEquals("invited", invite.getString("kind"));
      assertEquals(gid, invite.getLong("gid"));
      assertEquals("team", invite.getString("name"));
      assertEquals(alice.getLong("uid"), invite.getLong("by"));
      assertEquals(List.of(), groupsOf(node, bob));
      assertEquals(List.of(gid), invitationsOf(node, bob));

      // A contact adds directly; "nobody" makes even a contact's add an invitation.
      long carols = create(node, carol, uids(bob, dave), uids(dave));
      assertEquals(List.of(carols), groupsOf(node, bob));
      assertEquals(List.of(), groupsOf(node, dave));
      assertEquals(List.of(carols), invitationsOf(node, dave));
      // A direct add drops a pending invitation to the same group.
      setGroupAdd(node, dave, "everyone");
      assertEquals(uids(dave), add(node, carol, carols, dave).getJsonArray("added"));
      assertEquals(List.of(), invitationsOf(node, dave));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anAcceptedInvitationJoinsLiveAndADeclinedOneIsGone(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject alice = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      JsonObject bob = node.login(bobName, "web");
      setGroupAdd(node, bob, "nobody");
      ImClient aliceWs = node.online("ws", alice);
      await(aliceWs.next("groups"));
      ImClient bobWs = node.online("ws", bob);
      await(bobWs.next("groups"));
      ImClient bobTcp = node.online("tcp", node.login(bobName, "desktop"));
      await(bobTcp.next("groups"));
      long join = create(node, alice, uids(bob), uids(bob));
      long skip = create(node, alice, new JsonArray(), new JsonArray());
      add(node, alice, skip, bob);
      assertEquals(List.of(skip, join), invitationsOf(node, bob), "newest first");

      // Accepting over the long connection (the api op) joins: the "added" event arrives, the session subscribes.
      JsonObject result = await(bobWs.request(new JsonObject().put("op", "api").put("method", "POST")
          .put("path", "/api/v1/groups/invitations/" + join + "/accept")));
      assertEquals(200, result.getInteger("status"), result.encode());
      assertEquals(join, result.getJsonObject("body").getLong("gid"));
      JsonObject event = await(bobWs.next(f -> "group.event".equals(f.getString("op"))
          && "added".equals(f.getString("kind"))));
      assertEquals(join, event.getLong("gid"));
      assertEquals(new JsonArray().add(bob.getLong("uid")), event.getJsonArray("members"));
      assertEquals(alice.getLong("uid"), event.getLong("by"));
      assertTrue(event.getBoolean("accepted"));
      JsonObject answered = await(bobTcp.next(f -> "group.invite".equals(f.getString("op"))
          && !"invited".equals(f.getString("kind"))));
      assertEquals("accepted", answered.getString("kind"), "the user's other devices drop the invitation");
      await(aliceWs.request(groupSend("welcome", join, "welcome bob")));
      assertEquals("welcome bob", await(nextGroupMsg(bobWs, join)).getString("body"));
      assertEquals("welcome bob", await(nextGroupMsg(bobTcp, join)).getString("body"));

      call(node, HttpMethod.POST, "/api/v1/groups/invitations/" + skip + "/decline", null, bob, 200);
      assertEquals("declined", await(bobTcp.next(f -> "group.invite".equals(f.getString("op"))
          && "declined".equals(f.getString("kind")))).getString("kind"));
      assertEquals(List.of(), invitationsOf(node, bob));
      assertEquals(List.of(join), groupsOf(node, bob));
      assertEquals("not_found", call(node, HttpMethod.POST, "/api/v1/groups/invitations/" + skip + "/accept", null,
          bob, 404).getString("code"));
      assertEquals("not_found", call(node, HttpMethod.POST, "/api/v1/groups/invitations/" + skip + "/decline", null,
          bob, 404).getString("code"));
      await(aliceWs.request(groupSend("nope", skip, "not for bob")));
      nothingFrom(bobWs, skip);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void invitationsAreBoundedPerUserAndDieWithTheirGroup(Backend backend, Vertx vertx) throws Exception {
    JsonObject overrides = new JsonObject().put("group", new JsonObject().put("maxInvitations", 3));
    try (TestNode node = TestNode.startWith(vertx, backend, overrides)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      setGroupAdd(node, bob, "nobody");
      List<Long> gids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        gids.add(create(node, alice, uids(bob), uids(bob)));
      }
      assertEquals(List.of(gids.get(4), gids.get(3), gids.get(2)), invitationsOf(node, bob), "the 3 newest");
      call(node, HttpMethod.DELETE, "/api/v1/groups/" + gids.get(3), null, alice, 200);
      assertEquals(List.of(gids.get(4), gids.get(2)), invitationsOf(node, bob));
      call(node, HttpMethod.POST, "/api/v1/groups/invitations/" + gids.get(3) + "/accept", null, bob, 404);
      call(node, HttpMethod.POST, "/api/v1/groups/invitations/" + gids.get(0) + "/accept", null, bob, 404);
      // An invitation from a user blocked since is no longer listed.
      call(node, HttpMethod.PUT, "/api/v1/blocks/" + alice.getLong("uid"), null, bob, 204);
      assertEquals(List.of(), invitationsOf(node, bob));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void contactsOnlyHoldsOnEveryPathToAUser(Backend backend, Vertx vertx) throws Exception {
    String botName = "bot" + UUID.randomUUID().toString().substring(0, 8);
    // Only the router's setting: the group verticle follows it.
    JsonObject overrides = new JsonObject().put("router", new JsonObject().put("contactsOnly", true))
        .put("bridge", BridgeIT.bridgeConfig(botName));
    try (TestNode node = TestNode.startWith(vertx, backend, overrides)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      JsonObject carol = node.login(node.newUser(), "web");
      contacts(node, carol, bob);
      ImClient aliceWs = node.online("ws", alice);
      await(aliceWs.next("groups"));
      ImClient bobWs = node.online("ws", bob);
      await(bobWs.next("groups"));

      // One-to-one.
      JsonObject refused = await(aliceWs.request(new JsonObject().put("op", "msg.send").put("cid", "d1")
          .put("to", bob.getLong("uid")).put("type", "text").put("body", "hi")));
      assertEquals("not_contact", refused.getString("code"), refused.encode());

      // Group adds: a non-contact's add is an invitation even with the default groupAdd; a contact's is direct.
      JsonObject stranger = create(node, alice, uids(bob));
      long gid = stranger.getLong("gid");
      await(aliceWs.request(groupSend("g1", gid, "hi from a stranger")));
      nothingFrom(bobWs, gid);
      assertEquals(List.of(), groupsOf(node, bob));
      assertEquals(uids(bob), stranger.getJsonArray("invited"));
      long carols = create(node, carol, uids(bob), new JsonArray());
      assertEquals(List.of(carols), groupsOf(node, bob));

      // Persisted pushes from a user account are messages from that user too.
      String pushName = node.newUser();
      JsonObject notifier = node.login(pushName, "web");
      JsonObject push = new JsonObject().put("uids", new JsonArray().add(bob.getLong("uid"))).put("body", "ad")
          .put("persist", true).put("from", notifier.getLong("uid"));
      var r = node.service(HttpMethod.POST, "/api/v1/push/users", push);
      assertEquals(200, r.status(), r.body().encode());
      assertEquals(0, r.body().getJsonArray("stored").size(), r.body().encode());
      assertEquals("not_contact", r.body().getJsonArray("failed").getJsonObject(0).getString("code"));
      contacts(node, notifier, bob);
      r = node.service(HttpMethod.POST, "/api/v1/push/users", push.copy().put("cid", "after-contact"));
      assertEquals(1, r.body().getJsonArray("stored").size(), r.body().encode());
      assertEquals("ad", await(bobWs.next("msg")).getString("body"));

      // A bot through the bridge.
      long botUid = BridgeIT.createBot(node, botName);
      BridgeClient bot = BridgeClient.connect(vertx, node.bridgePort());
      JsonObject hello = await(bot.request("im.bridge.auth", new JsonObject().put("service", "echo")
          .put("secret", BridgeIT.SECRET)));
      assertEquals(botUid, hello.getJsonObject("body").getLong("uid"), hello.encode());
      JsonObject fromBot = await(bot.request("im.router.send", new JsonObject().put("cid", "b1")
          .put("to", bob.getLong("uid")).put("type", "text").put("body", "buy now")));
      assertEquals("err", fromBot.getString("type"), fromBot.encode());
      assertEquals("not_contact", new JsonObject(fromBot.getString("message")).getString("code"), fromBot.encode());
    }
  }
}
