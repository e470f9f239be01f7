package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.WireCodec;
import dev.switchboard.shared.net.ConnectionGuard;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of the gateway's WebSocket port, behind Netty's HTTP codec and a 1 KiB aggregator (the port takes no
 * request bodies): {@code GET <wsPath>} with a WebSocket upgrade becomes a {@link WebSocketTransport} (query
 * {@code token}, {@code device}, {@code codec} ∈ {json, protobuf}; subprotocols {@code switchboard.json} and
 * {@code switchboard.protobuf}), {@code GET /health} answers the instance's connection count, and everything else is
 * a 404. A malformed request gets 400, a request line over 4 KiB 414, headers over 8 KiB 431, a body over 1 KiB 413,
 * an unsupported WebSocket version 426; each closes the connection.
 *
 * <p>The only timer of the port: a connection that has not sent a whole request within {@code headerTimeoutMs}
 * (after it opened, or after its last answer) is closed. It exists only while the connection speaks HTTP.
 */
final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {
  private final Connections connections;
  private final ConnectionGuard guard;
  private ScheduledFuture<?> timer;
  /** The upgrade happened: the transport owns the socket (and its release) from now on. */
  private boolean upgraded;

  WebSocketUpgrade(Connections connections, ConnectionGuard guard) {
    this.connections = connections;
    this.guard = guard;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    timer = ctx.executor().schedule(() -> {
      guard.timedOut(true);
      ctx.close();
    }, guard.headerTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    if (!upgraded) {
      ChannelTransport.released(ctx.channel(), guard, "ws");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      disarm();
      route(ctx, req);
    } finally {
      req.release();
    }
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) {
      Throwable cause = req.decoderResult().cause();
      HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
          : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
          : HttpResponseStatus.BAD_REQUEST;
      answer(ctx, req, status, "bad_request", "malformed HTTP request", true);
      return;
    }
    QueryStringDecoder query = new QueryStringDecoder(req.uri());
    String path = query.path();
    if (path.equals(connections.config().wsPath()) && isUpgrade(req)) {
      upgrade(ctx, req, query);
    } else if (path.equals("/health")) {
      respond(ctx, req, HttpResponseStatus.OK, "{\"status\":\"ok\",\"connections\":" + connections.size() + "}",
          false);
    } else {
      answer(ctx, req, HttpResponseStatus.NOT_FOUND, "not_found", "no such path", false);
    }
  }

  /** A WebSocket opening handshake (RFC 6455 4.2.1): GET, {@code Upgrade: websocket}, {@code Connection: upgrade}. */
  private static boolean isUpgrade(FullHttpRequest req) {
    return req.method().equals(HttpMethod.GET)
        && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder query) {
    String codecParam = param(query, "codec");
    if (codecParam != null && !codecParam.equals("json") && !codecParam.equals("protobuf")) {
      answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "invalid_field",
          "query parameter 'codec' must be json or protobuf", false);
      return;
    }
    boolean proto;
    WebSocketTransport transport;
    if (connections.config().compression().enabled()) {
      // permessage-deflate is Netty's: its handshaker, frame codec and deflate handlers carry the frames.
      WebSocketServerHandshaker handshaker = connections.handshakers().newHandshaker(req);
      if (handshaker == null) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      try {
        // Writes the 101, puts the frame decoder and encoder in place of the HTTP codec and drops the aggregator.
        handshaker.handshake(ctx.channel(), req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      } catch (WebSocketServerHandshakeException e) {
        answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad_request", e.getMessage(), true);
        return;
      }
      proto = "protobuf".equals(codecParam)
          || Connections.SUBPROTOCOL_PROTOBUF.equals(handshaker.selectedSubprotocol());
      transport = new WebSocketTransport(connections, guard, proto ? WireCodec.PROTOBUF : WireCodec.JSON, false);
      upgraded = true;
      ctx.pipeline().replace(this, Connections.WS_HANDLER, transport);
    } else {
      String version = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
      if (!"13".equals(version) && !"8".equals(version) && !"7".equals(version)) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      String key = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
      if (key == null || key.isBlank()) {
        answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad_request", "not a WebSocket request: missing key", true);
        return;
      }
      String subprotocol = subprotocol(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
          Unpooled.EMPTY_BUFFER);
      res.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
          .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, accept(key));
      if (subprotocol != null) {
        res.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, subprotocol);
      }
      proto = "protobuf".equals(codecParam) || Connections.SUBPROTOCOL_PROTOBUF.equals(subprotocol);
      transport = new WebSocketTransport(connections, guard, proto ? WireCodec.PROTOBUF : WireCodec.JSON, true);
      // The 101 is encoded by the HTTP codec now (before it leaves); from here on the socket carries RFC 6455 frames,
      // read and written by the transport alone. Bytes the HTTP decoder read past the request reach the transport.
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      upgraded = true;
      ChannelPipeline pipeline = ctx.pipeline();
      pipeline.remove(Connections.AGGREGATOR);
      pipeline.replace(this, Connections.WS_HANDLER, transport);
      pipeline.remove(Connections.HTTP_CODEC);
    }
    String token = param(query, "token");
    String device = param(query, "device");
    transport.dispatch(transport, t -> {
      Connection connection = t.open();
      if (token != null) {
        connection.authenticateFromQuery(token, device);
      }
    });
  }

  /** The first of the client's subprotocols ({@code Sec-WebSocket-Protocol}, comma-separated) that we speak. */
  static String subprotocol(String requested) {
    if (requested == null) {
      return null;
    }
    for (String p : requested.split(",")) {
      String name = p.trim();
      if (name.equals(Connections.SUBPROTOCOL_JSON) || name.equals(Connections.SUBPROTOCOL_PROTOBUF)) {
        return name;
      }
    }
    return null;
  }

  /** {@code Sec-WebSocket-Accept} for a client's key (RFC 6455 4.2.2): base64 of SHA-1 of the key and the GUID. */
  static String accept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key.trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  private static String param(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** An error as JSON {@code {code, message}}. */
  private void answer(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String code,
                      String message, boolean close) {
    respond(ctx, req, status, "{\"code\":\"" + code + "\",\"message\":\"" + jsonText(message) + "\"}", close);
  }

  private static String jsonText(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ");
  }

  /** Answers with a JSON body; keeps the connection for the next request (and re-arms the timer) when allowed. */
  private void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String json,
                       boolean close) {
    boolean keepAlive = !close && HttpUtil.isKeepAlive(req);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
    if (!keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ChannelFuture written = ctx.writeAndFlush(res);
    if (keepAlive) {
      arm(ctx);
    } else {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
