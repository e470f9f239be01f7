package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.RecvRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code msg.recv {id?, upTo}}: this device has every inbox message up to {@code upTo} (asks a router,
 * {@code im.router.recv}). Answered {@code ok {id}} when the request had an id, with nothing otherwise.
 */
public record MsgRecv(Asks asks, OpLimits limits) implements ClientOp {
  @Override
  public String name() {
    return OpNames.MSG_RECV;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    RecvRequest request = new RecvRequest(session.uid(), session.device(), frame.requirePositiveLong("upTo"));
    return limits.charge(session, "recv", limits.config().recv(), 1)
        .compose(v -> asks.ask(Addresses.ROUTER_RECV, request))
        .map(v -> ok(frame));
  }

  /** {@code ok {id}} when the request had an id; null (nothing to send) otherwise: fire-and-forget receipts. */
  static JsonObject ok(Frame frame) {
    return frame.id() == null ? null : Frames.reply(OpNames.OK, frame.id());
  }
}
