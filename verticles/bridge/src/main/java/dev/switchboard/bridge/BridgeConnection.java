package dev.switchboard.bridge;

import static io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper.sendErrFrame;
import static io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper.sendFrame;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One bridge client, from its credential to its close: the first frame must be a {@code send} to
 * {@code im.bridge.auth} with {@code {service, secret}}; then {@code send}, {@code publish}, {@code register},
 * {@code unregister} and {@code ping} as in Vert.x's TCP bridge, each checked against the service's allow-list.
 * Refusals are {@code err} frames ({@code access_denied}, {@code invalid_field}, ...) and a log line; a wrong
 * credential, a frame before the credential, an unreadable frame or one over the size cap closes the connection.
 *
 * <p>Sends to the router's and the group verticle's send addresses carry the service's bot as sender: the bridge
 * fills in {@code from} (whatever the client wrote) and checks the fields as the gateway does for {@code msg.send}.
 * Every method runs on the connection's event loop.
 */
final class BridgeConnection {
  private static final Logger LOG = Logger.getLogger(BridgeConnection.class.getName());

  private final EventBus bus;
  private final NetSocket socket;
  private final BridgeConfig config;
  private final Bots bots;
  private final BotRelays relays;
  private final BotSendLimit sendLimit;
  private final Map<String, MessageConsumer<Object>> registry = new HashMap<>();
  /** Messages received with a reply address, by that address, until the client replies once. */
  private final Map<String, Message<Object>> replies = new HashMap<>();
  private final java.util.ArrayDeque<Buffer> backlog = new java.util.ArrayDeque<>();
  private boolean registering;
  private BridgeConfig.Service service;
  private long botUid;
  private boolean closed;
  private final long authTimer;

  private BridgeConnection(Vertx vertx, NetSocket socket, BridgeConfig config, Bots bots, BotRelays relays,
                           BotSendLimit sendLimit) {
    this.bus = vertx.eventBus();
    this.sendLimit = sendLimit;
    this.socket = socket;
    this.config = config;
    this.bots = bots;
    this.relays = relays;
    this.authTimer = vertx.setTimer(config.authTimeoutMs(), id -> {
      if (service == null) {
        refuse("auth_timeout", "no credential within " + config.authTimeoutMs() + " ms");
      }
    });
  }

  static void attach(Vertx vertx, NetSocket socket, BridgeConfig config, Bots bots, BotRelays relays,
                     BotSendLimit sendLimit) {
    BridgeConnection c = new BridgeConnection(vertx, socket, config, bots, relays, sendLimit);
    socket.handler(new TcpFraming(config.maxFrameBytes(), c::onFrame, length ->
        // The header is checked before a byte of the frame is buffered: the stock parser would buffer it all.
        c.refuse("frame_too_large", "frame length " + length + " outside 1.." + config.maxFrameBytes())));
    socket.closeHandler(v -> c.closed(vertx));
    socket.exceptionHandler(t -> {
      // Not swallowed: a connection closed for an exception says why (a BridgeIT run once got neither the refusal of
      // a frame sent before the credential nor its log line; an exception closing the socket silently would do that).
      LOG.warning(() -> "bridge: closing " + socket.remoteAddress() + " after an exception: " + t);
      socket.close();
    });
  }

  private void onFrame(Buffer bytes) {
    if (closed) {
      return;
    }
    if (registering) {
      // Frames after a register wait until it is in place cluster-wide, so a ping after it proves it. Bounded: the
      // socket is paused meanwhile, so only the rest of the chunk being read can queue here.
      backlog.add(bytes);
      return;
    }
    BridgeFrame msg;
    try {
      msg = BridgeFrame.read(bytes);
    } catch (ImException e) {
      refuse("bad_frame", e.getMessage());
      return;
    }
    String type = msg.type();
    String address = msg.address();
    if (service == null) {
      if ("send".equals(type) && Addresses.BRIDGE_AUTH.equals(address)) {
        authenticate(msg);
      } else {
        refuse("not_authenticated", "the first frame must be a send to " + Addresses.BRIDGE_AUTH);
      }
      return;
    }
    if ("ping".equals(type)) {
      sendFrame("pong", socket);
      return;
    }
    if (address == null || address.isEmpty()) {
      sendErrFrame("missing_address", socket);
      return;
    }
    switch (type) {
      case "send", "publish" -> inbound(type, address, msg);
      case "register" -> register(address);
      case "unregister" -> unregister(address);
      default -> sendErrFrame("unknown_type", socket);
    }
  }

  private void authenticate(BridgeFrame msg) {
    String replyAddress = msg.replyAddress();
    BridgeConfig.Service s = config.service(msg.bodyString("service"));
    String secret = msg.bodyString("secret");
    if (s == null || !MessageDigest.isEqual(s.secret().getBytes(StandardCharsets.UTF_8),
        secret.getBytes(StandardCharsets.UTF_8))) {
      refuse("auth_failed", "wrong service credential from " + socket.remoteAddress());
      return;
    }
    Future<Long> uid = s.bot() == null ? Future.succeededFuture(0L)
        : bots.uid(s.bot()).compose(id -> relays.acquire(s.bot(), id).map(id));
    uid.onComplete(ar -> {
      if (closed) {
        if (ar.succeeded() && s.bot() != null) {
          relays.release(s.bot());
        }
        return;
      }
      if (ar.failed()) {
        refuse("auth_failed", "service '" + s.name() + "': " + ar.cause().getMessage());
        return;
      }
      service = s;
      botUid = ar.result();
      JsonObject ok = new JsonObject().put("service", s.name()).put("inbound", s.inbound())
          .put("outbound", s.outbound());
      if (s.bot() != null) {
        ok.put("bot", s.bot()).put("uid", botUid).put("address", Addresses.bot(s.bot()));
      }
      if (replyAddress != null) {
        sendFrame("message", replyAddress, null, null, true, ok, socket);
      }
      LOG.info(() -> "bridge: service '" + s.name() + "' connected from " + socket.remoteAddress());
    });
  }

  private void inbound(String type, String address, BridgeFrame msg) {
    Message<Object> pending = "send".equals(type) ? replies.remove(address) : null;
    if (pending != null) {
      // A reply to a message this client received: the address is the one the bus gave it, not a service's.
      Integer failureCode = msg.failureCode();
      if (failureCode == null) {
        pending.reply(msg.body(), options(msg));
      } else {
        pending.fail(failureCode, msg.message() == null ? "" : msg.message());
      }
      return;
    }
    if (!service.mayInbound(address)) {
      deny(type, address);
      return;
    }
    Object body = msg.body();
    if (Addresses.ROUTER_SEND.equals(address) || Addresses.GROUP_SEND.equals(address)) {
      try {
        body = asBot(address, body);
        sendLimit.charge(botUid);
      } catch (ImException e) {
        reject(msg, e);
        return;
      }
    }
    String replyAddress = msg.replyAddress();
    if ("publish".equals(type)) {
      bus.publish(address, body, options(msg));
    } else if (replyAddress == null) {
      bus.send(address, body, options(msg));
    } else {
      bus.request(address, body, options(msg)).onComplete(ar -> {
        if (closed) {
          return;
        }
        if (ar.succeeded()) {
          Message<Object> reply = ar.result();
          if (reply.replyAddress() != null) {
            replies.put(reply.replyAddress(), reply);
          }
          sendFrame("message", replyAddress, reply.replyAddress(), headers(reply), true, jsonable(reply.body()),
              socket);
        } else if (ar.cause() instanceof ReplyException e) {
          sendErrFrame(address, replyAddress, e, socket);
        } else {
          sendErrFrame("internal", socket);
        }
      });
    }
  }

  /**
   * The body of a bot's {@code msg.send} as the router or group verticle expects it from a gateway: the fields a
   * client may set, checked like the gateway checks them, and the bot as sender.
   */
  private Object asBot(String address, Object body) {
    if (service.bot() == null) {
      throw new ImException(dev.switchboard.protocol.ErrorCode.FORBIDDEN, "service '" + service.name()
          + "' has no bot to send as");
    }
    if (!(body instanceof JsonObject b)) {
      throw new ImException(dev.switchboard.protocol.ErrorCode.INVALID_FIELD, "body must be a JSON object");
    }
    Frame f = Frame.of(b);
    boolean group = Addresses.GROUP_SEND.equals(address);
    String cid = f.requireString("cid", 64);
    long target = f.requirePositiveLong(group ? "group" : "to");
    String type = f.requireString("type", 32);
    byte[] json = f.requireBodyJson();
    String session = BotRelays.session(service.bot());
    return group ? new GroupSendRequest(botUid, session, cid, target, type, json)
        : new SendRequest(botUid, session, cid, target, type, json, false);
  }

  private void reject(BridgeFrame msg, ImException e) {
    String replyAddress = msg.replyAddress();
    if (replyAddress != null) {
      sendErrFrame(msg.address(), replyAddress, new ReplyException(
          io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, e.code().httpStatus(), e.code().wire() + ": "
          + e.getMessage() + (e.details() == null ? "" : " " + e.details().encode())), socket);
    } else {
      sendErrFrame(e.code().wire() + ": " + e.getMessage(), socket);
    }
  }

  private void register(String address) {
    if (!service.mayOutbound(address)) {
      deny("register", address);
      return;
    }
    if (registry.containsKey(address)) {
      return;
    }
    MessageConsumer<Object> c = bus.consumer(address, m -> {
      Object body = jsonable(m.body());
      if (body == SKIP) {
        return;
      }
      if (m.replyAddress() != null) {
        replies.put(m.replyAddress(), m);
      }
      sendFrame("message", m.address(), m.replyAddress(), headers(m), m.isSend(), body, socket);
    });
    registry.put(address, c);
    registering = true;
    socket.pause();
    c.completion().onComplete(ar -> {
      registering = false;
      while (!registering && !backlog.isEmpty()) {
        onFrame(backlog.poll());
      }
      if (!registering) {
        socket.resume();
      }
    });
  }

  private void unregister(String address) {
    MessageConsumer<Object> c = registry.remove(address);
    if (c == null) {
      sendErrFrame("unknown_address", socket);
    } else {
      c.unregister();
    }
  }

  private void deny(String type, String address) {
    LOG.warning(() -> "bridge: service '" + service.name() + "' refused " + type + " on '" + address
        + "' (not in its allow-list)");
    sendErrFrame("access_denied", socket);
  }

  /** An error frame naming {@code code}, a log line, and the end of the connection. */
  private void refuse(String code, String why) {
    if (closed) {
      return;
    }
    LOG.warning(() -> "bridge: closing " + socket.remoteAddress() + ": " + code + " (" + why + ")");
    sendErrFrame(code, socket);
    socket.close();
  }

  private void closed(Vertx vertx) {
    closed = true;
    vertx.cancelTimer(authTimer);
    registry.values().forEach(MessageConsumer::unregister);
    registry.clear();
    replies.clear();
    if (service != null && service.bot() != null) {
      relays.release(service.bot());
    }
  }

  /** What {@link #jsonable} answers for a message the client does not get. */
  private static final Object SKIP = new Object();

  /**
   * Frames encoded for sockets travel as JSON; a group's dissolve control as the frame it carries; other control
   * records (room flags) are internal and not forwarded ({@link #SKIP}); anything else the bus carries goes as it is
   * (JSON types).
   */
  private static Object jsonable(Object body) {
    if (body instanceof dev.switchboard.protocol.frame.OutFrame f) {
      return new JsonObject(f.toString());
    }
    if (body instanceof SendReply r) {
      return r.toJson();
    }
    if (body instanceof dev.switchboard.protocol.contract.GroupDissolve d) {
      return new JsonObject(Buffer.buffer(d.frame()));
    }
    if (body instanceof dev.switchboard.protocol.contract.Contract) {
      return SKIP;
    }
    return body instanceof Buffer b ? b.toString(StandardCharsets.UTF_8) : body;
  }

  private static DeliveryOptions options(BridgeFrame msg) {
    DeliveryOptions o = new DeliveryOptions();
    JsonObject h = msg.headers();
    if (h != null) {
      h.forEach(e -> o.addHeader(e.getKey(), String.valueOf(e.getValue())));
    }
    return o;
  }

  private static JsonObject headers(Message<?> m) {
    JsonObject h = new JsonObject();
    m.headers().forEach(e -> h.put(e.getKey(), e.getValue()));
    return h;
  }
}
