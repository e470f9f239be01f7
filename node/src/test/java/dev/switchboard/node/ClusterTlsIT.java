package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Cluster;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.frame.OutFrameCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The clustered event bus with mutual TLS ({@code cluster.tls}), with real processes from the role jars (router, api,
 * gateway) and certificates from scripts/dev-certs.sh. Strangers join the Hazelcast cluster with the cluster's name
 * and secret — what an attacker who learnt them could do — and post a forged {@code im.router.send} as Alice: one
 * with a plain event bus, one with a certificate of another CA. Neither reaches the router; a raw TLS client without
 * a certificate is refused in the handshake at the router's event-bus port; a gateway process started from the role
 * jar without the certificate joins Hazelcast but cannot get its clients' sends to a router; and the same code with
 * the cluster's member certificate is served, so what keeps the strangers out is the certificate alone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(300)
@Isolated
class ClusterTlsIT {
  private static final long WAIT_S = 20;

  @TempDir
  Path tmp;

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT_S, TimeUnit.SECONDS);
  }

  private static JsonObject auth(JsonObject session) {
    return new JsonObject().put("op", "auth").put("token", session.getString("token")).put("device", "web");
  }

  @Test
  void onlyMembersWithTheClusterCertificateReachTheRouter(Vertx vertx) throws Exception {
    DevCerts certs = DevCerts.make(tmp.resolve("cluster"));
    DevCerts foreign = DevCerts.make(tmp.resolve("foreign"));
    int routerBus = TestNode.freePort();
    try (LocalCluster cluster = new LocalCluster(vertx, certs.member())
        .with("router", LocalCluster.router()).with("api", LocalCluster.api())
        .with("gateway", LocalCluster.gateway())) {
      cluster.config("router").getJsonObject("cluster").put("eventBusPort", routerBus);
      cluster.startAll();

      // A member with the certificate works: a cross-node message, gateway → router → gateway.
      ApiClient api = new ApiClient(vertx, "127.0.0.1", cluster.section("api").getInteger("port"));
      String aliceName = "a" + UUID.randomUUID().toString().substring(0, 12);
      String bobName = "b" + UUID.randomUUID().toString().substring(0, 12);
      long aliceUid = await(api.register(aliceName, TestNode.PASSWORD));
      long bobUid = await(api.register(bobName, TestNode.PASSWORD));
      JsonObject a = await(api.login(aliceName, TestNode.PASSWORD, "web"));
      JsonObject b = await(api.login(bobName, TestNode.PASSWORD, "web"));
      int ws = cluster.section("gateway").getInteger("wsPort");
      ImClient alice = await(ImClient.webSocket(vertx, "127.0.0.1", ws, "/ws"));
      ImClient bob = await(ImClient.webSocket(vertx, "127.0.0.1", ws, "/ws"));
      assertEquals("auth.ok", await(alice.request(auth(a))).getString("op"));
      assertEquals("auth.ok", await(bob.request(auth(b))).getString("op"));
      JsonObject ack = await(alice.request(new JsonObject().put("op", "msg.send").put("cid", "c1").put("to", bobUid)
          .put("type", "text").put("body", "hello over mTLS")));
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      assertEquals("hello over mTLS", await(bob.next("msg")).getString("body"));

      java.util.function.BiFunction<String, String, SendRequest> forged = (cid, body) -> new SendRequest(aliceUid,
          "forged", cid, bobUid, "text", Json.encodeToBuffer(body).getBytes(), false);
      JsonObject clusterSection = cluster.config("router").getJsonObject("cluster");

      // Stranger 1: the cluster's name and secret, a plain event bus.
      assertRefused(strangerSection(clusterSection, null), forged.apply("s1", "forged"));
      // Stranger 2: TLS with a member certificate of another CA.
      assertRefused(strangerSection(clusterSection, foreign.member()), forged.apply("s2", "forged"));

      // Stranger 3: a raw TLS client that trusts the cluster's CA but has no certificate: the router's event-bus port
      // refuses the handshake (TLS 1.2, where the server asks for the certificate inside the handshake, so the refusal
      // is the connect's own failure). The same client with the member certificate gets through.
      NetClientOptions raw = new NetClientOptions().setSsl(true).setTrustOptions(certs.trust())
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2")).setHostnameVerificationAlgorithm("HTTPS");
      Exception refused = assertThrows(Exception.class,
          () -> await(vertx.createNetClient(raw).connect(routerBus, "127.0.0.1")),
          "a TLS client without a certificate was let in");
      assertTrue(refusedInHandshake(refused), "refused for another reason than the handshake: " + refused);
      NetSocket withCertificate = await(vertx.createNetClient(new NetClientOptions(raw).setKeyCertOptions(
          new PemKeyCertOptions().setCertPath(certs.file("member.pem")).setKeyPath(certs.file("member-key.pem"))))
          .connect(routerBus, "127.0.0.1"));
      withCertificate.close();

      // Stranger 4: a whole gateway process from the role jar with the cluster's name and secret (and the token
      // secret, so it accepts Alice's session) but no certificate. It joins Hazelcast and starts; a send through it
      // never reaches a router: the client gets an error, and Bob nothing.
      cluster.with("stranger", LocalCluster.gateway());
      cluster.config("stranger").getJsonObject("cluster").remove("tls");
      cluster.start("stranger");
      ImClient viaStranger = await(ImClient.webSocket(vertx, "127.0.0.1", cluster.section("stranger")
          .getInteger("wsPort"), "/ws"));
      assertEquals("auth.ok", await(viaStranger.request(auth(a).put("device", "stranger"))).getString("op"));
      JsonObject refusedSend = await(viaStranger.request(new JsonObject().put("op", "msg.send").put("cid", "s4")
          .put("to", bobUid).put("type", "text").put("body", "forged")));
      assertEquals("error", refusedSend.getString("op"), refusedSend.encode());
      assertEquals("unavailable", refusedSend.getString("code"), refusedSend.encode());
      viaStranger.close();
      cluster.stop("stranger");

      // The same code with the cluster's certificate is a member: its send is routed and answered.
      Vertx member = await(Cluster.vertx(strangerSection(clusterSection, certs.member()), "nio"));
      try {
        OutFrameCodec.register(member.eventBus());
        SendReply reply = await(member.eventBus().<SendReply>request(Addresses.ROUTER_SEND,
            forged.apply("m1", "from a member"), new DeliveryOptions().setSendTimeout(10_000))).body();
        assertTrue(reply.mid() > 0 && reply.seq() > 0, reply.toString());
      } finally {
        member.close().await(30, TimeUnit.SECONDS);
      }
      // Bob's next message is the member's: neither stranger's send was delivered before it.
      assertEquals("from a member", await(bob.next("msg")).getString("body"));
      JsonObject history = await(api.call(HttpMethod.GET, "/api/v1/conversations/" + aliceUid + "/messages", null,
          b.getString("token"))).body();
      JsonArray bodies = new JsonArray();
      history.getJsonArray("messages").forEach(m -> bodies.add(((JsonObject) m).getValue("body")));
      assertEquals(new JsonArray().add("from a member").add("hello over mTLS"), bodies,
          "the inbox holds no stranger's message");
      alice.close();
      bob.close();
      api.close();
    }
  }

  private static boolean refusedInHandshake(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  /** The cluster section of a stranger: its own Hazelcast port, the cluster's name, secret and members. */
  private static JsonObject strangerSection(JsonObject cluster, JsonObject tls) {
    JsonObject s = cluster.copy().put("port", TestNode.freePort()).put("eventBusPort", 0);
    s.remove("tls");
    if (tls != null) {
      s.put("tls", tls);
    }
    return s;
  }

  /** Joins as {@code section} and sends {@code forged}: the request must fail, as no router ever answers it. */
  private static void assertRefused(JsonObject section, SendRequest forged) throws Exception {
    Vertx stranger = await(Cluster.vertx(section, "nio"));
    try {
      // Like a member, so that only the missing certificate can make the request fail.
      OutFrameCodec.register(stranger.eventBus());
      assertThrows(Exception.class, () -> stranger.eventBus().<SendReply>request(Addresses.ROUTER_SEND, forged,
              new DeliveryOptions().setSendTimeout(5_000)).await(WAIT_S, TimeUnit.SECONDS),
          "a stranger's im.router.send was answered");
    } finally {
      stranger.close().await(30, TimeUnit.SECONDS);
    }
  }
}
