package dev.switchboard.gateway.ops;

import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.frame.Frame;
import dev.switchboard.shared.frame.Frames;
import dev.switchboard.shared.frame.SharedJsonCodec;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The ops an authenticated session may send (everything but {@code auth} and {@code ping}, which the connection
 * handles itself). Each op validates its frame, asks the verticle that owns it over the event bus, and turns the
 * answer into the reply frame (null: nothing to send). Called on the connection's event loop; the returned future
 * fails with an {@link ImException} (or an event-bus failure that {@link ImException#of} maps) for the connection to
 * report.
 */
public final class Ops {
  /** Default and largest {@code sync} page. */
  static final int SYNC_DEFAULT = 100;
  static final int SYNC_MAX = 500;

  private interface Op {
    Future<JsonObject> handle(Session session, Frame frame);
  }

  private final EventBus bus;
  private final DeliveryOptions requestOptions;
  private final Map<String, Op> ops;

  public Ops(EventBus bus, long requestTimeoutMs) {
    this.bus = bus;
    this.requestOptions = new DeliveryOptions().setSendTimeout(requestTimeoutMs).setCodecName(SharedJsonCodec.NAME);
    this.ops = Map.of(
        "msg.send", this::send,
        "sync", this::sync,
        "msg.recv", this::recv,
        "msg.read", this::read,
        "msg.recall", this::recall);
  }

  public boolean knows(String op) {
    return ops.containsKey(op);
  }

  public Future<JsonObject> handle(Session session, Frame frame) {
    Op op = ops.get(frame.op());
    if (op == null) {
      return Future.failedFuture(new ImException(ErrorCode.UNKNOWN_OP, "unknown op '" + frame.op() + "'"));
    }
    return op.handle(session, frame);
  }

  private Future<JsonObject> ask(String address, JsonObject request) {
    return bus.<JsonObject>request(address, request, requestOptions).map(m -> m.body());
  }

  /** {@code msg.send {id, cid, to, type, body}} → {@code msg.ack {id, cid, mid, seq, ts}}, in the session's order. */
  private Future<JsonObject> send(Session session, Frame frame) {
    String cid = frame.requireString("cid", 64);
    JsonObject request = new JsonObject()
        .put("from", session.uid())
        .put("session", session.id())
        .put("cid", cid)
        .put("to", frame.requirePositiveLong("to"))
        .put("type", frame.requireString("type", 32))
        .put("body", frame.requireValue("body"));
    return session.inOrder(() -> ask(Addresses.ROUTER_SEND, request))
        .map(reply -> Frames.reply("msg.ack", frame.id()).put("cid", cid).mergeIn(reply));
  }

  /** {@code sync {id, after, limit}} → {@code sync.batch {id, msgs, more, head}}. */
  private Future<JsonObject> sync(Session session, Frame frame) {
    long limit = frame.optNonNegativeLong("limit", SYNC_DEFAULT);
    if (limit < 1 || limit > SYNC_MAX) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'limit' must be 1 to " + SYNC_MAX);
    }
    JsonObject request = new JsonObject().put("uid", session.uid()).put("after", frame.optNonNegativeLong("after", 0))
        .put("limit", (int) limit);
    return ask(Addresses.ROUTER_SYNC, request).map(page -> Frames.reply("sync.batch", frame.id()).mergeIn(page));
  }

  /** {@code msg.recv {id?, upTo}}: this device has every inbox message up to {@code upTo}. */
  private Future<JsonObject> recv(Session session, Frame frame) {
    JsonObject request = new JsonObject().put("uid", session.uid()).put("device", session.device())
        .put("upTo", frame.requirePositiveLong("upTo"));
    return ask(Addresses.ROUTER_RECV, request).map(v -> ok(frame));
  }

  /** {@code msg.read {id?, peer, upTo}} → {@code ok {id, unread}}. */
  private Future<JsonObject> read(Session session, Frame frame) {
    JsonObject request = new JsonObject().put("uid", session.uid()).put("session", session.id())
        .put("peer", frame.requirePositiveLong("peer")).put("upTo", frame.requirePositiveLong("upTo"));
    return ask(Addresses.ROUTER_READ, request).map(reply -> {
      JsonObject ok = ok(frame);
      return ok == null ? null : ok.mergeIn(reply);
    });
  }

  /** {@code msg.recall {id, mid}} → {@code msg.recall.ok {id, mid, seq}}. */
  private Future<JsonObject> recall(Session session, Frame frame) {
    long mid = frame.requireMid("mid");
    JsonObject request = new JsonObject().put("uid", session.uid()).put("session", session.id()).put("mid", mid);
    return ask(Addresses.ROUTER_RECALL, request).map(reply -> Frames.reply("msg.recall.ok", frame.id())
        .mergeIn(reply));
  }

  /** {@code ok {id}} when the request had an id; nothing otherwise (fire-and-forget receipts). */
  private static JsonObject ok(Frame frame) {
    return frame.id() == null ? null : Frames.reply("ok", frame.id());
  }
}
