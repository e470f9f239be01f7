package dev.switchboard.gateway.ops;

import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.frame.Frame;
import dev.switchboard.shared.frame.Frames;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The ops an authenticated session may send (everything but {@code auth} and {@code ping}, which the connection
 * handles itself). Each op validates its frame, asks the verticle that owns it over the event bus, and turns the
 * answer into the reply frame. Called on the connection's event loop; the returned future fails with an
 * {@link ImException} (or an event-bus failure that {@link ImException#of} maps) for the connection to report.
 */
public final class Ops {
  private interface Op {
    Future<JsonObject> handle(Session session, Frame frame);
  }

  private final EventBus bus;
  private final DeliveryOptions requestOptions;
  private final Map<String, Op> ops;

  public Ops(EventBus bus, long requestTimeoutMs) {
    this.bus = bus;
    this.requestOptions = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
    this.ops = Map.of("msg.send", this::send);
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

  /** {@code msg.send {id, cid, to, type, body}} → the router → {@code msg.ack {id, cid, mid, ts}}. */
  private Future<JsonObject> send(Session session, Frame frame) {
    String cid = frame.requireString("cid", 64);
    JsonObject request = new JsonObject()
        .put("from", session.uid())
        .put("session", session.id())
        .put("cid", cid)
        .put("to", frame.requirePositiveLong("to"))
        .put("type", frame.requireString("type", 32))
        .put("body", frame.requireValue("body"));
    return bus.<JsonObject>request(Addresses.ROUTER_SEND, request, requestOptions)
        .map(reply -> Frames.reply("msg.ack", frame.id()).put("cid", cid).mergeIn(reply.body()));
  }
}
