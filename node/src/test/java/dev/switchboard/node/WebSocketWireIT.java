package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's WebSocket port on the wire, as docs/protocol.md describes it: the HTTP answers of the port, the
 * handshake (subprotocol, compression only when configured), ping/pong, both directions of the closing handshake and
 * protocol errors; seen from clients that write and read the bytes themselves.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class WebSocketWireIT {
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private static int wsPort(TestNode node) {
    return node.gateway().getInteger("wsPort");
  }

  /** One HTTP response: status, headers (names in lower case) and body. */
  record Response(int status, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** A blocking HTTP/1.1 connection to the WebSocket port. */
  static final class Http implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    Http(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TestNode.WAIT_S));
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    Response exchange(String request) throws IOException {
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String status = line();
      Map<String, String> headers = new HashMap<>();
      for (String l = line(); !l.isEmpty(); l = line()) {
        int colon = l.indexOf(':');
        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
      byte[] body = new byte[Integer.parseInt(headers.getOrDefault("content-length", "0"))];
      in.readFully(body);
      return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      return RawWebSocket.readLine(in);
    }

    boolean endsNow() throws IOException {
      return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static String get(String target, String headers) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
  }

  private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

  @Test
  void thePortAnswersHealthNotFoundAndRefusesBadRequestsWithTheirStatus(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      int port = wsPort(node);
      try (Http http = new Http(port)) {
        Response health = http.exchange(get("/health", ""));
        assertEquals(200, health.status());
        assertEquals("ok", health.json().getString("status"));
        assertTrue(health.json().containsKey("connections"), health.body());
        // Kept alive: the next request on the same connection is served too.
        assertEquals(404, http.exchange(get("/nowhere", "")).status());
        Response plainWs = http.exchange(get("/ws", ""));
        assertEquals(404, plainWs.status(), "the WebSocket path without an upgrade is no page");
        assertEquals("not_found", plainWs.json().getString("code"));
      }
      try (Http http = new Http(port)) {
        Response codec = http.exchange(get("/ws?codec=xml", UPGRADE + "Sec-WebSocket-Version: 13\r\n"));
        assertEquals(400, codec.status());
        assertEquals("invalid_field", codec.json().getString("code"));
      }
      try (Http http = new Http(port)) {
        Response version = http.exchange(get("/ws", UPGRADE + "Sec-WebSocket-Version: 99\r\n"));
        assertEquals(426, version.status());
        assertEquals("13", version.headers().get("sec-websocket-version"));
      }
      try (Http http = new Http(port)) {
        assertEquals(414, http.exchange(get("/" + "a".repeat(5_000), "")).status());
        assertTrue(http.endsNow(), "closed after a refused request");
      }
      try (Http http = new Http(port)) {
        assertEquals(431, http.exchange(get("/health", "X-Big: " + "b".repeat(9_000) + "\r\n")).status());
      }
      try (Http http = new Http(port)) {
        String body = "c".repeat(2_000);
        assertEquals(413, http.exchange("POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
            + body.length() + "\r\nConnection: close\r\n\r\n" + body).status());
      }
      // The port still serves WebSockets.
      try (RawWebSocket ws = new RawWebSocket(port, "/ws")) {
        ws.sendText("{\"op\":\"ping\",\"id\":1}");
        assertEquals("pong", new JsonObject(ws.readText()).getString("op"));
      }
    }
  }

  @Test
  void pingsAreAnsweredAndAClientCloseIsEchoedBeforeTheSocketCloses(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        byte[] data = "are you there".getBytes(StandardCharsets.UTF_8);
        ws.send(RawWebSocket.PING, true, data);
        RawWebSocket.Frame pong = ws.read();
        assertEquals(RawWebSocket.PONG, pong.opcode());
        assertArrayEquals(data, pong.payload());
        // A ping between the fragments of a message is answered at once, and the message still arrives whole.
        ws.send(RawWebSocket.TEXT, false, "{\"op\":\"ping\",".getBytes(StandardCharsets.UTF_8));
        ws.send(RawWebSocket.PING, true, new byte[0]);
        assertEquals(RawWebSocket.PONG, ws.read().opcode());
        ws.send(RawWebSocket.CONTINUATION, true, "\"id\":7}".getBytes(StandardCharsets.UTF_8));
        assertEquals(7, new JsonObject(ws.readText()).getInteger("id"));

        ws.send(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'});
        RawWebSocket.Frame close = ws.read();
        assertEquals(RawWebSocket.CLOSE, close.opcode());
        assertEquals(1000, close.closeCode(), "the server answers with the client's status");
        assertTrue(ws.endsNow(), "then closes the TCP connection itself");
      }
    }
  }

  @Test
  void aServerCloseCarriesItsReasonAndAProtocolErrorCloses1002(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws?token=not.a.token&device=web")) {
        assertEquals("auth_failed", new JsonObject(ws.readText()).getString("code"));
        RawWebSocket.Frame close = ws.read();
        assertEquals(4002, close.closeCode());
        assertEquals("auth_failed", new String(Arrays.copyOfRange(close.payload(), 2, close.payload().length),
            StandardCharsets.UTF_8));
        // The client answers the close; the server then ends the TCP connection.
        ws.send(RawWebSocket.CLOSE, true, Arrays.copyOf(close.payload(), 2));
        assertTrue(ws.endsNow());
      }
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        ws.send(RawWebSocket.TEXT, true, "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false, false);
        assertEquals(1002, ws.readUntilClose(), "a client frame must be masked");
      }
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        ws.send(3, true, new byte[0]);
        assertEquals(1002, ws.readUntilClose(), "opcode 3 is reserved");
      }
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        ws.send(RawWebSocket.TEXT, true, "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true, true);
        assertEquals(1002, ws.readUntilClose(), "RSV1 without a negotiated extension");
      }
    }
  }

  @Test
  void theSubprotocolIsChosenFromTheClientsListAndCompressionIsOffUnlessConfigured(Vertx vertx) throws Exception {
    String offers = "Sec-WebSocket-Protocol: chat.v9, switchboard.protobuf, switchboard.json\r\n"
        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws", offers)) {
        assertEquals("switchboard.protobuf", ws.header("Sec-WebSocket-Protocol"));
        assertNull(ws.header("Sec-WebSocket-Extensions"), "no compression unless configured");
      }
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws",
          "Sec-WebSocket-Protocol: chat.v9\r\n")) {
        assertNull(ws.header("Sec-WebSocket-Protocol"), "none of ours offered: none chosen, JSON spoken");
        ws.sendText("{\"op\":\"ping\",\"id\":3}");
        assertEquals(3, new JsonObject(ws.readText()).getInteger("id"));
      }
    }
    JsonObject compression = new JsonObject().put("compression", new JsonObject().put("enabled", true));
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, compression)) {
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws", offers.replace("switchboard.protobuf, ", ""))) {
        String extension = ws.header("Sec-WebSocket-Extensions");
        assertTrue(extension != null && extension.startsWith("permessage-deflate"), String.valueOf(extension));
        ws.send(RawWebSocket.TEXT, true, deflate("{\"op\":\"ping\",\"id\":\"" + "z".repeat(300) + "\"}"), true, true);
        RawWebSocket.Frame pong = ws.read();
        assertTrue(pong.rsv1(), "the answer is compressed");
        assertTrue(pong.payload().length < 300, "and smaller than its text: " + pong.payload().length);
        JsonObject reply = new JsonObject(inflate(pong.payload()));
        assertEquals("pong", reply.getString("op"));
        assertEquals("z".repeat(300), reply.getString("id"));
      }
      // A client that does not offer it speaks uncompressed frames.
      try (RawWebSocket ws = new RawWebSocket(wsPort(node), "/ws")) {
        assertNull(ws.header("Sec-WebSocket-Extensions"));
        ws.sendText("{\"op\":\"ping\",\"id\":4}");
        RawWebSocket.Frame pong = ws.read();
        assertFalse(pong.rsv1());
        assertEquals(4, new JsonObject(pong.text()).getInteger("id"));
      }
    }
  }

  /** A permessage-deflate message body (RFC 7692 7.2.1: raw deflate, the final empty block's tail removed). */
  private static byte[] deflate(String text) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[4096];
    int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    deflater.end();
    return Arrays.copyOf(out, n - TAIL.length);
  }

  private static String inflate(byte[] payload) throws Exception {
    Inflater inflater = new Inflater(true);
    byte[] in = Arrays.copyOf(payload, payload.length + TAIL.length);
    System.arraycopy(TAIL, 0, in, payload.length, TAIL.length);
    inflater.setInput(in);
    byte[] out = new byte[65536];
    int n = inflater.inflate(out);
    inflater.end();
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
