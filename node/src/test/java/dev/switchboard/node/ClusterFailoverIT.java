package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Six processes started from the role jars (2 routers, 1 group, 1 api, 2 gateways), clustered over Hazelcast on
 * loopback, on MariaDB + Redis: cross-node one-to-one, group and room delivery, same-device kick and logout across
 * nodes; then, under steady one-to-one traffic, kill -9 of a gateway, kill -9 of a router, and a rolling restart of
 * every process (while the API is down, one-to-one sends fail {@code unavailable}: the routers ask it who may message
 * whom). After each, every acked message is in the receiver's inbox exactly once, and the receiver got it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(600)
@Isolated
class ClusterFailoverIT {
  private static final long WAIT_S = 20;

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT_S, TimeUnit.SECONDS);
  }

  /** Connects to the first gateway of {@code ports} that answers and authenticates. */
  static ImClient online(Vertx vertx, List<Integer> ports, JsonObject session, String device) throws Exception {
    Exception last = null;
    for (int port : ports) {
      try {
        ImClient c = ImClient.webSocket(vertx, "127.0.0.1", port, "/ws").await(5, TimeUnit.SECONDS);
        JsonObject ok = c.request(new JsonObject().put("op", "auth").put("token", session.getString("token"))
            .put("device", device)).await(10, TimeUnit.SECONDS);
        if ("auth.ok".equals(ok.getString("op"))) {
          return c;
        }
        c.close();
        last = new IllegalStateException(ok.encode());
      } catch (Exception e) {
        last = e;
      }
    }
    throw last;
  }

  /** One-to-one traffic from S to R that survives process failures the way a careful client does. */
  static final class Traffic {
    final Vertx vertx;
    final JsonObject sender;
    final JsonObject receiver;
    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 6) + "-";
    /** cid → mid of every acked send. */
    final Map<String, String> acked = new ConcurrentHashMap<>();
    /** mid → seq of every message the receiver got, live or by sync. */
    final Map<String, Long> got = new ConcurrentHashMap<>();
    final Set<String> problems = ConcurrentHashMap.newKeySet();
    volatile long maxSeq;
    /** While {@link #verify} waits: the acked messages not received yet, and what completes when none is left. */
    volatile Set<String> awaiting;
    volatile CompletableFuture<Void> allIn;
    ImClient out;
    ImClient in;
    int next;
    int retries;

    Traffic(Vertx vertx, JsonObject sender, JsonObject receiver) {
      this.vertx = vertx;
      this.sender = sender;
      this.receiver = receiver;
    }

    private void record(JsonObject m) {
      if (!"msg".equals(m.getString("op")) || !sender.getLong("uid").equals(m.getLong("from"))) {
        return;
      }
      Long before = got.putIfAbsent(m.getString("mid"), m.getLong("seq"));
      Set<String> waitingFor = awaiting;
      if (waitingFor != null && waitingFor.remove(m.getString("mid")) && waitingFor.isEmpty()) {
        allIn.complete(null);
      }
      if (before != null && before.longValue() != m.getLong("seq")) {
        problems.add("mid " + m.getString("mid") + " at two seqs " + before + " and " + m.getLong("seq"));
      }
      maxSeq = Math.max(maxSeq, m.getLong("seq"));
    }

    /** (Re)connects the receiver to a live gateway and syncs everything after the last seq it saw. */
    void connectReceiver(List<Integer> ports) throws Exception {
      in = online(vertx, ports, receiver, "web");
      in.onFrame(this::record);
      syncFrom(in, maxSeq);
    }

    /** Pages through the receiver's inbox after seq {@code after}, recording every message. */
    void syncFrom(ImClient client, long after) throws Exception {
      while (true) {
        JsonObject page = await(client.request(new JsonObject().put("op", "sync").put("after", after)
            .put("limit", 200)));
        JsonArray msgs = page.getJsonArray("msgs");
        msgs.forEach(m -> record((JsonObject) m));
        if (!page.getBoolean("more") || msgs.isEmpty()) {
          return;
        }
        after = msgs.getJsonObject(msgs.size() - 1).getLong("seq");
      }
    }

    /** Sends until {@code total} messages are acked; a failed or unanswered send is retried with its cid. */
    void sendUntil(int total, List<Integer> ports, Runnable between) throws Exception {
      while (acked.size() < total) {
        if (out == null || out.closed().isComplete()) {
          out = online(vertx, ports, sender, "web");
        }
        if (in == null || in.closed().isComplete()) {
          connectReceiver(ports);
        }
        String cid = prefix + next;
        JsonObject reply;
        try {
          reply = out.request(new JsonObject().put("op", "msg.send").put("cid", cid)
              .put("to", receiver.getLong("uid")).put("type", "text").put("body", "n" + next))
              .await(8, TimeUnit.SECONDS);
        } catch (Exception timeout) {
          retries++;
          out.close();
          out = null;
          continue;
        }
        if (!"msg.ack".equals(reply.getString("op"))) {
          // Retry the same cid: at once, or after the wait a rate_limited error names.
          retries++;
          long wait = reply.getLong("retryAfterMs", 0L);
          if (wait > 0) {
            Promise<Void> waited = Promise.promise();
            vertx.setTimer(wait, id -> waited.complete());
            await(waited.future());
          }
          continue;
        }
        String before = acked.putIfAbsent(cid, reply.getString("mid"));
        if (before != null && !before.equals(reply.getString("mid"))) {
          problems.add("cid " + cid + " acked as " + before + " and " + reply.getString("mid"));
        }
        next++;
        between.run();
      }
    }

    /** One send with a cid of its own fails {@code unavailable}, within the gateway's request timeout. */
    void sendFailsUnavailable(List<Integer> ports) throws Exception {
      if (out == null || out.closed().isComplete()) {
        out = online(vertx, ports, sender, "web");
      }
      JsonObject reply = out.request(new JsonObject().put("op", "msg.send").put("cid", prefix + "no-api")
          .put("to", receiver.getLong("uid")).put("type", "text").put("body", "no api")).await(8, TimeUnit.SECONDS);
      assertEquals("unavailable", reply.getString("code"), reply.encode());
    }

    /** Waits until the receiver has every acked message, then checks the whole inbox from a fresh session. */
    void verify(List<Integer> ports) throws Exception {
      CompletableFuture<Void> all = new CompletableFuture<>();
      Set<String> missing = ConcurrentHashMap.newKeySet();
      missing.addAll(acked.values());
      allIn = all;
      awaiting = missing;
      missing.removeAll(got.keySet());
      if (missing.isEmpty()) {
        all.complete(null);
      }
      long deadline = System.currentTimeMillis() + 30_000;
      // Live delivery is best effort while the cluster reshapes (a publish can still be routed to a node that just
      // died, or miss a registration not yet seen everywhere); the inbox is the guarantee, and a client catches up
      // with sync, as it does on every reconnect. So after 5 s without the last messages the receiver syncs once.
      long catchUpAt = System.currentTimeMillis() + 5_000;
      boolean caughtUp = false;
      while (!all.isDone()) {
        if (in == null || in.closed().isComplete()) {
          connectReceiver(ports);
          continue;
        }
        // Wake on the last missing message arriving, or on the receiver's connection closing.
        CompletableFuture<Object> closed = in.closed().toCompletionStage().toCompletableFuture().thenApply(c -> c);
        long until = caughtUp ? deadline : Math.min(deadline, catchUpAt);
        try {
          CompletableFuture.anyOf(all, closed).get(Math.max(1, until - System.currentTimeMillis()),
              TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          if (caughtUp) {
            throw new AssertionError("the receiver is missing " + missing.size() + " acked messages, even after "
                + "a sync");
          }
          caughtUp = true;
          // From the start: a lost live message may sit below a later one that arrived.
          syncFrom(in, 0);
        }
      }
      ImClient check = online(vertx, ports, receiver, "audit");
      List<String> inbox = new ArrayList<>();
      long after = 0;
      while (true) {
        JsonObject page = await(check.request(new JsonObject().put("op", "sync").put("after", after)
            .put("limit", 500)));
        JsonArray msgs = page.getJsonArray("msgs");
        for (Object o : msgs) {
          JsonObject m = (JsonObject) o;
          if (sender.getLong("uid").equals(m.getLong("from")) && m.getString("cid").startsWith(prefix)) {
            inbox.add(m.getString("mid"));
          }
        }
        if (!page.getBoolean("more") || msgs.isEmpty()) {
          break;
        }
        after = msgs.getJsonObject(msgs.size() - 1).getLong("seq");
      }
      check.close();
      assertEquals(Set.of(), problems);
      assertEquals(inbox.size(), new HashSet<>(inbox).size(), "a message stored twice");
      assertEquals(new HashSet<>(acked.values()), new HashSet<>(inbox), "the inbox holds exactly the acked messages");
      assertEquals(acked.size(), inbox.size());
    }
  }

  @Test
  void crossNodeDeliveryAndFailoversLoseAndDuplicateNothing(Vertx vertx) throws Exception {
    try (LocalCluster cluster = new LocalCluster(vertx)
        .with("router-1", LocalCluster.router()).with("router-2", LocalCluster.router())
        .with("group", LocalCluster.group()).with("api", LocalCluster.api())
        .with("gateway-1", LocalCluster.gateway()).with("gateway-2", LocalCluster.gateway())) {
      cluster.startAll();
      ApiClient api = new ApiClient(vertx, "127.0.0.1", cluster.section("api").getInteger("port"));
      int ws1 = cluster.section("gateway-1").getInteger("wsPort");
      int ws2 = cluster.section("gateway-2").getInteger("wsPort");
      List<Integer> only1 = List.of(ws1);
      List<Integer> only2 = List.of(ws2);
      List<Integer> both = List.of(ws1, ws2);
      List<JsonObject> users = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String name = "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        await(api.register(name, TestNode.PASSWORD));
        users.add(await(api.login(name, TestNode.PASSWORD, "web")).put("username", name));
      }
      JsonObject alice = users.get(0);
      JsonObject bob = users.get(1);

      // Login hands out a live gateway (the least loaded), from the gateways' own reports.
      Set<String> gateways = Set.of("ws://127.0.0.1:" + ws1 + "/ws", "ws://127.0.0.1:" + ws2 + "/ws");
      String handedOut;
      do {
        handedOut = await(api.login(alice.getString("username"), TestNode.PASSWORD, "probe")).getJsonObject("gateways")
            .getString("ws");
      } while (!gateways.contains(handedOut));

      // Cross-node one-to-one, group and room delivery.
      ImClient a1 = online(vertx, only1, alice, "web");
      ImClient b2 = online(vertx, only2, bob, "web");
      JsonObject ack = await(a1.request(new JsonObject().put("op", "msg.send").put("cid", "x1")
          .put("to", bob.getLong("uid")).put("type", "text").put("body", "across nodes")));
      assertEquals(ack.getString("mid"), await(b2.next("msg")).getString("mid"));
      long gid = await(api.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "x")
          .put("members", new JsonArray().add(bob.getLong("uid"))), alice.getString("token"))).body().getLong("gid");
      await(b2.next(f -> "group.event".equals(f.getString("op")) && Long.valueOf(gid).equals(f.getLong("gid"))));
      JsonObject gack = await(a1.request(GroupIT.groupSend("g1", gid, "group across nodes")));
      assertEquals(gack.getString("mid"), await(GroupIT.nextGroupMsg(b2, gid)).getString("mid"));
      // Typing (never stored: it travels the user and group addresses), edits and reactions, across nodes.
      await(a1.next(f -> "group.event".equals(f.getString("op")) && Long.valueOf(gid).equals(f.getLong("gid"))));
      a1.send(new JsonObject().put("op", "typing").put("to", bob.getLong("uid")));
      assertEquals(alice.getLong("uid"), await(b2.next("typing")).getLong("from"));
      b2.send(new JsonObject().put("op", "typing").put("group", gid));
      JsonObject groupTyping = await(a1.next("typing"));
      assertEquals(gid, groupTyping.getLong("group"));
      assertEquals(bob.getLong("uid"), groupTyping.getLong("from"));
      await(a1.request(new JsonObject().put("op", "msg.edit").put("mid", ack.getString("mid"))
          .put("body", "edited across nodes")));
      assertEquals("edited across nodes", await(b2.next("msg.edited")).getString("body"));
      await(b2.request(new JsonObject().put("op", "msg.react").put("group", gid).put("mid", gack.getString("mid"))
          .put("emoji", "\ud83d\udc4d")));
      assertEquals(bob.getLong("uid"), await(a1.next("msg.reactions")).getLong("by"));
      for (ImClient c : List.of(a1, b2)) {
        assertEquals("ok", await(c.request(RoomIT.join("arena"))).getString("op"));
      }
      Map<String, String> key = Map.of("X-Api-Key", LocalCluster.API_KEY);
      JsonObject room;
      do {
        room = await(api.call(HttpMethod.GET, "/api/v1/rooms/arena", null, null, key)).body();
      } while (room.getLong("sessions") != 2);
      assertEquals(2, room.getJsonArray("nodes").size());
      await(api.call(HttpMethod.POST, "/api/v1/push/rooms/arena", RoomIT.push("goal"), null, key));
      for (ImClient c : List.of(a1, b2)) {
        assertEquals(List.of("goal"), RoomIT.bodies(c, "arena", 1));
      }

      // Same-device kick and logout, across nodes.
      ImClient a2 = online(vertx, only2, alice, "web");
      assertEquals("same_device", await(a1.next("kicked")).getString("reason"));
      await(a1.closed());
      JsonObject bobPhone = await(api.login(bob.getString("username"), TestNode.PASSWORD, "phone"));
      ImClient bp1 = online(vertx, only1, bobPhone, "phone");
      assertEquals(204, await(api.call(HttpMethod.DELETE, "/api/v1/sessions/current", null,
          bobPhone.getString("token"))).status());
      assertEquals("logged_out", await(bp1.next("kicked")).getString("reason"));
      assertEquals("pong", await(b2.request(new JsonObject().put("op", "ping"))).getString("op"),
          "bob's other session, with another token, stays");
      a2.close();
      b2.close();

      // A ban through the server API closes the user's sessions on every node within a second.
      String carolName = "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      await(api.register(carolName, TestNode.PASSWORD));
      JsonObject carol = await(api.login(carolName, TestNode.PASSWORD, "web")).put("username", carolName);
      ImClient c1 = online(vertx, only1, carol, "web");
      JsonObject carolPhone = await(api.login(carol.getString("username"), TestNode.PASSWORD, "phone"));
      ImClient c2 = online(vertx, only2, carolPhone, "phone");
      long banAt = System.nanoTime();
      assertEquals(200, await(api.call(HttpMethod.PUT, "/api/v1/admin/users/" + carol.getLong("uid") + "/ban", null,
          null, key)).status());
      Future<JsonObject> kicked1 = c1.next("kicked");
      Future<JsonObject> kicked2 = c2.next("kicked");
      await(Future.all(c1.closed(), c2.closed()));
      long banMs = (System.nanoTime() - banAt) / 1_000_000;
      assertEquals("banned", await(kicked1).getString("reason"));
      assertEquals("banned", await(kicked2).getString("reason"));
      assertTrue(banMs <= 1_000, "sessions on both gateways closed " + banMs + " ms after the ban was asked");
      assertEquals(403, await(api.call(HttpMethod.POST, "/api/v1/sessions", new JsonObject()
          .put("username", carol.getString("username")).put("password", TestNode.PASSWORD).put("device", "web"), null))
          .status());

      // Every process reports liveness, readiness and Prometheus metrics on its monitor port.
      assertTrue(cluster.monitor("router-1", "/ready").contains("\"database\":\"ok\""));
      assertTrue(cluster.monitor("gateway-2", "/health").contains("ok"));
      String gatewayMetrics = cluster.monitor("gateway-1", "/metrics");
      for (String meter : List.of("switchboard_sessions{transport=\"ws\"}",
          "switchboard_frames_in_total{transport=\"ws\"}", "switchboard_frames_out_total",
          "switchboard_send_seconds_count{kind=\"direct\",outcome=\"acked\"}",
          "switchboard_slow_consumer_drops_total", "vertx_eventbus_")) {
        assertTrue(gatewayMetrics.contains(meter), meter + " in gateway metrics");
      }
      String routerMetrics = cluster.monitor("router-1", "/metrics") + cluster.monitor("router-2", "/metrics");
      assertTrue(routerMetrics.contains("switchboard_db_batch_size_count{writer=\"direct\"}"), "batch sizes");
      assertTrue(routerMetrics.contains("switchboard_db_batch_seconds_count{outcome=\"ok\",writer=\"direct\"}"),
          "batch latency");
      // The Grafana dashboard in docs/ only charts meters that the processes export.
      String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "grafana",
          "switchboard.json"));
      java.util.regex.Matcher used = java.util.regex.Pattern.compile("\\b((?:switchboard|jvm|process)_[a-z0-9_]+)")
          .matcher(dashboard);
      int charted = 0;
      while (used.find()) {
        String meter = used.group(1);
        // Created at the first timeout of its kind, so absent from a process that had none.
        if (!meter.equals("switchboard_connections_timeouts_total")) {
          assertTrue(gatewayMetrics.contains(meter) || routerMetrics.contains(meter), meter + " on the dashboard");
          charted++;
        }
      }
      assertTrue(charted >= 10, "the dashboard charts the meters: " + charted);

      // kill -9 of the receiver's gateway under traffic: it reconnects to the other one and syncs.
      Traffic t = new Traffic(vertx, users.get(2), users.get(3));
      t.connectReceiver(only1);
      t.sendUntil(100, only2, () -> { });
      cluster.kill("gateway-1");
      t.sendUntil(250, only2, () -> { });
      t.verify(only2);
      cluster.start("gateway-1");

      // kill -9 of a router mid-stream: unanswered sends are retried with their cid through the other router.
      Traffic r = new Traffic(vertx, users.get(0), users.get(1));
      r.sendUntil(100, both, () -> { });
      cluster.kill("router-1");
      r.sendUntil(250, both, () -> { });
      r.verify(both);
      cluster.start("router-1");

      // Rolling restart of every process, one by one, under steady traffic.
      Traffic rolling = new Traffic(vertx, users.get(3), users.get(2));
      int target = 50;
      for (String process : cluster.names()) {
        rolling.sendUntil(target, both, () -> { });
        cluster.stop(process);
        if (process.equals("api")) {
          // The routers ask the API who may message whom: with no API in the cluster a send fails unavailable.
          rolling.sendFailsUnavailable(both);
        } else {
          target += 30;
          rolling.sendUntil(target, both, () -> { });
        }
        cluster.start(process);
        target += 20;
      }
      rolling.sendUntil(target, both, () -> { });
      rolling.verify(both);
      System.out.printf("failover traffic: gateway kill %d acked (%d retries), router kill %d acked (%d retries), "
          + "rolling restart %d acked (%d retries)%n", t.acked.size(), t.retries, r.acked.size(), r.retries,
          rolling.acked.size(), rolling.retries);
      api.close();
    }
  }
}
