package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Node;
import dev.switchboard.launch.NodeConfig;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS on the client-facing servers, with certificates from scripts/dev-certs.sh: {@code wss://}, TCP+TLS and HTTPS
 * carry a whole session (the {@code api} op too, which the API replays to itself over HTTPS); plain-text clients of
 * the TLS ports and clients that do not trust the server's CA get nothing; a missing PEM file stops the start.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class TlsIT {
  @TempDir
  static Path tmp;
  static DevCerts certs;
  /** Another CA: a client trusting only it must refuse the server. */
  static DevCerts foreign;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = DevCerts.make(tmp.resolve("certs"));
    foreign = DevCerts.make(tmp.resolve("foreign"));
  }

  private static TestNode tlsNode(Vertx vertx, Backend backend) throws Exception {
    return TestNode.startWith(vertx, backend, new JsonObject()
        .put("gateway", new JsonObject().put("tls", certs.server()))
        .put("api", new JsonObject().put("tls", certs.server())));
  }

  private static JsonObject auth(JsonObject session, String device) {
    return new JsonObject().put("op", "auth").put("token", session.getString("token")).put("device", device);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void wssTcpTlsAndHttpsCarryASession(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = tlsNode(vertx, backend)) {
      ApiClient https = new ApiClient(vertx, "localhost", node.apiPort(), certs.trust());
      String aliceName = "a" + UUID.randomUUID().toString().substring(0, 12);
      String bobName = "b" + UUID.randomUUID().toString().substring(0, 12);
      await(https.register(aliceName, TestNode.PASSWORD));
      long bobUid = await(https.register(bobName, TestNode.PASSWORD));
      JsonObject a = await(https.login(aliceName, TestNode.PASSWORD, "web"));
      JsonObject b = await(https.login(bobName, TestNode.PASSWORD, "mobile"));
      int wsPort = node.gateway().getInteger("wsPort");
      int tcpPort = node.gateway().getInteger("tcpPort");
      assertEquals("wss://127.0.0.1:" + wsPort + "/ws", a.getJsonObject("gateways").getString("ws"));
      assertEquals("tls://127.0.0.1:" + tcpPort, a.getJsonObject("gateways").getString("tcp"));

      ImClient alice = await(ImClient.webSocketTls(vertx, "localhost", wsPort, "/ws", certs.trust()));
      ImClient bob = await(ImClient.tcpTls(vertx, "localhost", tcpPort, certs.trust()));
      try {
        assertEquals("auth.ok", await(alice.request(auth(a, "web"))).getString("op"));
        assertEquals("auth.ok", await(bob.request(auth(b, "mobile"))).getString("op"));
        JsonObject ack = await(alice.request(new JsonObject().put("op", "msg.send").put("cid", "t1").put("to", bobUid)
            .put("type", "text").put("body", "over tls")));
        assertEquals("msg.ack", ack.getString("op"));
        JsonObject got = await(bob.next("msg"));
        assertEquals(ack.getString("mid"), got.getString("mid"));
        assertEquals("over tls", got.getString("body"));

        // The api op: the API replays the call to its own HTTPS port.
        JsonObject result = await(alice.request(new JsonObject().put("op", "api").put("method", "GET")
            .put("path", "/api/v1/conversations")));
        assertEquals("api.result", result.getString("op"), result.encode());
        assertEquals(200, result.getInteger("status"), result.encode());
        assertTrue(result.getValue("body").toString().contains(Long.toString(bobUid)), result.encode());
      } finally {
        alice.close().otherwiseEmpty().await(5, TimeUnit.SECONDS);
        bob.close().otherwiseEmpty().await(5, TimeUnit.SECONDS);
        https.close();
      }
    }
  }

  @Test
  void plainTextClientsOfTheTlsPortsGetNothing(Vertx vertx) throws Exception {
    try (TestNode node = tlsNode(vertx, Backend.EMBEDDED)) {
      int wsPort = node.gateway().getInteger("wsPort");
      int tcpPort = node.gateway().getInteger("tcpPort");
      assertThrows(Exception.class, () -> await(ImClient.webSocket(vertx, "127.0.0.1", wsPort, "/ws")),
          "a ws:// upgrade on the wss:// port");
      ApiClient http = new ApiClient(vertx, "127.0.0.1", node.apiPort());
      assertThrows(Exception.class, () -> await(http.call(HttpMethod.GET, "/health", null, null)),
          "plain HTTP on the HTTPS port");
      http.close();

      // TCP connects (the handshake starts after it), but a plain frame is no TLS record: the server closes.
      ImClient tcp = await(ImClient.tcp(vertx, "127.0.0.1", tcpPort));
      tcp.send(new JsonObject().put("op", "ping").put("id", 1));
      await(tcp.closed());
      assertEquals(0, tcp.queued(), "no frame reached the plain client");
    }
  }

  @Test
  void clientsRefuseAServerTheirCaDidNotSign(Vertx vertx) throws Exception {
    try (TestNode node = tlsNode(vertx, Backend.EMBEDDED)) {
      assertRefusedInHandshake(() -> await(ImClient.webSocketTls(vertx, "localhost",
          node.gateway().getInteger("wsPort"), "/ws", foreign.trust())));
      assertRefusedInHandshake(() -> await(ImClient.tcpTls(vertx, "localhost",
          node.gateway().getInteger("tcpPort"), foreign.trust())));
      ApiClient https = new ApiClient(vertx, "localhost", node.apiPort(), foreign.trust());
      assertRefusedInHandshake(() -> await(https.call(HttpMethod.GET, "/health", null, null)));
      https.close();
      // The right CA but a name the certificate does not carry: refused too (host name verification is on).
      ApiClient wrongName = new ApiClient(vertx, "127.0.0.2", node.apiPort(), certs.trust());
      assertRefusedInHandshake(() -> await(wrongName.call(HttpMethod.GET, "/health", null, null)));
      wrongName.close();
    }
  }

  /** The call fails, and for the TLS handshake's sake (not a refused connection or a client misconfiguration). */
  private static void assertRefusedInHandshake(org.junit.jupiter.api.function.Executable call) {
    Exception e = assertThrows(Exception.class, call);
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLHandshakeException) {
        return;
      }
    }
    throw new AssertionError("failed, but not in the TLS handshake", e);
  }

  @Test
  void aMissingPemFileStopsTheStartAndNamesIt(Vertx vertx) {
    String missing = tmp.resolve("nowhere").resolve("server.pem").toString();
    JsonObject config = new JsonObject()
        .put("storage", new JsonObject().put("db", new JsonObject().put("kind", "h2")
            .put("path", tmp.resolve("db-" + UUID.randomUUID()).toString())))
        .put("verticles", new JsonObject().put("api", new JsonObject().put("port", TestNode.freePort())
            .put("tls", new JsonObject().put("cert", missing).put("key", certs.file("server-key.pem")))));
    Exception e = assertThrows(Exception.class,
        () -> Node.start(vertx, new NodeConfig(config), Main.VERTICLES).await(30, TimeUnit.SECONDS));
    assertTrue(e.getMessage().contains("verticles.api.tls.cert") && e.getMessage().contains(missing), e.getMessage());
  }
}
