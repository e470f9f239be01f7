package dev.switchboard.protocol.client;

import dev.switchboard.protocol.frame.TcpFraming;
import dev.switchboard.protocol.frame.WireCodec;
import dev.switchboard.protocol.frame.proto.ProtoCodec;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.TrustOptions;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A protocol-v1 client over WebSocket or TCP, for tests, load tools and JVM apps.
 *
 * <p>Inbound frames are queued until taken with {@link #next(String)} (or passed to {@link #onFrame} when one is set).
 * Frames arrive on the connection's event loop; {@link #next}, {@link #send} and {@link #request} may be called from
 * any thread (tests call them from their own), so the queue is guarded by the client's monitor.
 */
public final class ImClient {
  /** How the server closed the connection: WebSocket status and reason; TCP carries neither (null, null). */
  public record Closed(Short status, String reason) {
  }

  private interface Wire {
    /** Writes one frame given in its JSON form, encoded in the connection's codec. */
    void write(Buffer json);

    /** Writes {@code payload} as one frame as it is (for testing bad input). */
    void writeRaw(Buffer payload);

    Future<Void> close();
  }

  private static final AtomicLong IDS = new AtomicLong();
  private static final int MAX_QUEUED = 100_000;

  private final ArrayDeque<JsonObject> queue = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final Promise<Closed> closed = Promise.promise();
  private volatile int textFrames;
  private volatile int binaryFrames;
  private Wire wire;
  private volatile Handler<JsonObject> onFrame;
  private Runnable ownerCleanup = () -> { };

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
  }

  private ImClient() {
  }

  /**
   * Connects a WebSocket through a shared client, on a Vert.x context: the handlers are in place before the first
   * frame arrives whatever thread calls this (from another thread, a connect that completes first would let a frame
   * the server sends at once, e.g. after authentication in the URL, reach a WebSocket with no handler yet).
   */
  public static Future<ImClient> webSocket(Vertx vertx, WebSocketClient http, String host, int port, String uri) {
    return onContext(vertx, () -> webSocket(http, host, port, uri, WireCodec.JSON));
  }

  /**
   * Connects a WebSocket with a client of its own (closed with this client). Connecting runs on a Vert.x context, so
   * the handlers are in place before the first frame arrives, whatever thread calls this.
   */
  public static Future<ImClient> webSocket(Vertx vertx, String host, int port, String uri) {
    return ownWebSocket(vertx, host, port, uri, WireCodec.JSON, null);
  }

  /**
   * Connects a WebSocket over TLS ({@code wss://}), accepting only a server certificate that chains to {@code trust}
   * and names {@code host}; otherwise like {@link #webSocket(Vertx, String, int, String)}.
   */
  public static Future<ImClient> webSocketTls(Vertx vertx, String host, int port, String uri, TrustOptions trust) {
    return ownWebSocket(vertx, host, port, uri, WireCodec.JSON, trust);
  }

  /**
   * Connects a WebSocket speaking protobuf ({@code ?codec=protobuf} is added to {@code uri}): frames go out and come
   * in as binary messages holding {@code switchboard.v1.Frame}, converted to and from the JSON form here, so callers
   * see the same {@link JsonObject}s as with JSON. {@link #textFrames()} counts any text message that arrives anyway.
   */
  public static Future<ImClient> webSocketProto(Vertx vertx, String host, int port, String uri) {
    return ownWebSocket(vertx, host, port, uri + (uri.contains("?") ? "&" : "?") + "codec=protobuf",
        WireCodec.PROTOBUF, null);
  }

  /** Connects over raw TCP (4-byte big-endian length + UTF-8 JSON frames). Call it on a Vert.x context. */
  public static Future<ImClient> tcp(NetClient net, String host, int port) {
    return tcp(net, host, port, WireCodec.JSON);
  }

  /** Connects over TCP with a client of its own, on a Vert.x context (see {@link #webSocket(Vertx, String, int, String)}). */
  public static Future<ImClient> tcp(Vertx vertx, String host, int port) {
    return ownTcp(vertx, host, port, WireCodec.JSON, null);
  }

  /**
   * Connects over TCP with TLS, accepting only a server certificate that chains to {@code trust} and names
   * {@code host}; otherwise like {@link #tcp(Vertx, String, int)}.
   */
  public static Future<ImClient> tcpTls(Vertx vertx, String host, int port, TrustOptions trust) {
    return ownTcp(vertx, host, port, WireCodec.JSON, trust);
  }

  /**
   * Connects over TCP speaking protobuf: the byte {@code 'P'} first, then 4-byte length + {@code switchboard.v1.Frame}
   * frames, converted to and from the JSON form here.
   */
  public static Future<ImClient> tcpProto(Vertx vertx, String host, int port) {
    return ownTcp(vertx, host, port, WireCodec.PROTOBUF, null);
  }

  /** Text messages received by a protobuf WebSocket client (there should be none). */
  public int textFrames() {
    return textFrames;
  }

  /** Binary (protobuf) frames received by a protobuf client. */
  public int binaryFrames() {
    return binaryFrames;
  }

  /** {@code trust}: TLS trusting it, with the host name verified; null: plain. */
  private static Future<ImClient> ownWebSocket(Vertx vertx, String host, int port, String uri, WireCodec codec,
                                               TrustOptions trust) {
    return onContext(vertx, () -> {
      WebSocketClientOptions options = new WebSocketClientOptions().setMaxConnections(100_000)
          .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22);
      if (trust != null) {
        options.setSsl(true).setTrustOptions(trust).setVerifyHost(true);
      }
      WebSocketClient http = vertx.createWebSocketClient(options);
      return webSocket(http, host, port, uri, codec).onFailure(t -> http.close()).map(c -> {
        c.ownerCleanup = http::close;
        return c;
      });
    });
  }

  private static Future<ImClient> ownTcp(Vertx vertx, String host, int port, WireCodec codec, TrustOptions trust) {
    return onContext(vertx, () -> {
      NetClientOptions options = new NetClientOptions();
      if (trust != null) {
        options.setSsl(true).setTrustOptions(trust).setHostnameVerificationAlgorithm("HTTPS");
      }
      NetClient net = vertx.createNetClient(options);
      return tcp(net, host, port, codec).onFailure(t -> net.close()).map(c -> {
        c.ownerCleanup = net::close;
        return c;
      });
    });
  }

  private static <T> Future<T> onContext(Vertx vertx, java.util.function.Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  /** Must run on a Vert.x context: the handlers are set when the connect completes, before any frame is read. */
  private static Future<ImClient> webSocket(WebSocketClient http, String host, int port, String uri,
                                            WireCodec codec) {
    ImClient c = new ImClient();
    boolean proto = codec == WireCodec.PROTOBUF;
    return http.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri)).map(ws -> {
      ws.textMessageHandler(text -> {
        c.textFrames = c.textFrames + 1;
        c.received(new JsonObject(text));
      });
      ws.binaryMessageHandler(bytes -> {
        c.binaryFrames = c.binaryFrames + 1;
        c.received(proto ? ProtoCodec.decode(bytes) : bytes.toJsonObject());
      });
      ws.closeHandler(v -> c.closed.tryComplete(new Closed(ws.closeStatusCode(), ws.closeReason())));
      ws.exceptionHandler(t -> { });
      c.wire = new Wire() {
        @Override
        public void write(Buffer json) {
          if (proto) {
            ws.writeBinaryMessage(Buffer.buffer(ProtoCodec.encodeJson(json.getBytes())));
          } else {
            ws.writeTextMessage(json.toString());
          }
        }

        @Override
        public void writeRaw(Buffer payload) {
          if (proto) {
            ws.writeBinaryMessage(payload);
          } else {
            ws.writeTextMessage(payload.toString());
          }
        }

        @Override
        public Future<Void> close() {
          return ws.close();
        }
      };
      return c;
    });
  }

  /** Must run on a Vert.x context (see {@link #webSocket(WebSocketClient, String, int, String, WireCodec)}). */
  private static Future<ImClient> tcp(NetClient net, String host, int port, WireCodec codec) {
    ImClient c = new ImClient();
    boolean proto = codec == WireCodec.PROTOBUF;
    return net.connect(port, host).map(socket -> {
      socket.handler(new TcpFraming(1 << 22, bytes -> {
        c.binaryFrames = c.binaryFrames + 1;
        c.received(proto ? ProtoCodec.decode(bytes) : bytes.toJsonObject());
      }, len -> socket.close()));
      socket.closeHandler(v -> c.closed.tryComplete(new Closed(null, null)));
      socket.exceptionHandler(t -> { });
      if (proto) {
        socket.write(Buffer.buffer(new byte[] {'P'}));
      }
      c.wire = new Wire() {
        @Override
        public void write(Buffer json) {
          writeRaw(proto ? Buffer.buffer(ProtoCodec.encodeJson(json.getBytes())) : json);
        }

        @Override
        public void writeRaw(Buffer payload) {
          socket.write(Buffer.buffer(TcpFraming.frame(payload.getBytes())));
        }

        @Override
        public Future<Void> close() {
          return socket.close();
        }
      };
      return c;
    });
  }

  private void received(JsonObject frame) {
    Handler<JsonObject> handler = onFrame;
    if (handler != null) {
      // Replies to requests still go to their requests; everything else to the handler.
      Promise<JsonObject> waiter = frame.containsKey("id") ? waiter(frame) : null;
      if (waiter != null) {
        waiter.complete(frame);
      } else {
        handler.handle(frame);
      }
      return;
    }
    Promise<JsonObject> matched = take(frame);
    if (matched != null) {
      matched.complete(frame);
    }
  }

  /** Removes and returns the first waiter {@code frame} satisfies, or null. */
  private synchronized Promise<JsonObject> waiter(JsonObject frame) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.match.test(frame)) {
        it.remove();
        return w.promise;
      }
    }
    return null;
  }

  /** Removes and returns the first waiter {@code frame} satisfies, or queues the frame and returns null. */
  private synchronized Promise<JsonObject> take(JsonObject frame) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.match.test(frame)) {
        it.remove();
        return w.promise;
      }
    }
    if (queue.size() < MAX_QUEUED) {
      queue.add(frame);
    }
    return null;
  }

  /** Sends one frame. */
  public ImClient send(JsonObject frame) {
    wire.write(frame.toBuffer());
    return this;
  }

  /** Sends raw bytes as one frame's payload (for testing bad input). */
  public ImClient sendRaw(Buffer payload) {
    wire.writeRaw(payload);
    return this;
  }

  /**
   * Sends {@code frame} with a fresh {@code id} and completes with the server's frame echoing that id (its reply or
   * an {@code error}).
   */
  public Future<JsonObject> request(JsonObject frame) {
    String id = "r" + IDS.incrementAndGet();
    Future<JsonObject> reply = next(f -> id.equals(f.getValue("id")));
    send(frame.copy().put("id", id));
    return reply;
  }

  /** The next frame (queued or future) whose {@code op} is {@code op}; other frames stay queued. */
  public Future<JsonObject> next(String op) {
    return next(f -> op.equals(f.getString("op")));
  }

  /** The next frame matching {@code match}; other frames stay queued. */
  public synchronized Future<JsonObject> next(Predicate<JsonObject> match) {
    for (Iterator<JsonObject> it = queue.iterator(); it.hasNext(); ) {
      JsonObject f = it.next();
      if (match.test(f)) {
        it.remove();
        return Future.succeededFuture(f);
      }
    }
    Promise<JsonObject> p = Promise.promise();
    waiters.add(new Waiter(match, p));
    return p.future();
  }

  /** Frames received and not yet taken. */
  public synchronized int queued() {
    return queue.size();
  }

  /** Hands every further frame to {@code handler} instead of queueing it (replies to requests still complete them). */
  public ImClient onFrame(Handler<JsonObject> handler) {
    this.onFrame = handler;
    return this;
  }

  /** Completes when the connection closes, from either side. */
  public Future<Closed> closed() {
    return closed.future();
  }

  public Future<Void> close() {
    return wire.close().eventually(() -> {
      ownerCleanup.run();
      return Future.succeededFuture();
    });
  }
}
