package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.ReactReply;
import dev.switchboard.protocol.contract.ReactRequest;
import dev.switchboard.protocol.frame.Emoji;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code msg.react {id, mid, emoji, remove?[, group]}} → {@code msg.react.ok {id, mid, seq?[, group]}}: adds (or with
 * {@code remove: true} takes back) the user's reaction on a message it can read. {@code emoji} must be one emoji
 * ({@link Emoji}); else {@code invalid_field}.
 */
public record MsgReact(Asks asks, OpLimits limits) implements ClientOp {
  @Override
  public String name() {
    return OpNames.MSG_REACT;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    long mid = frame.requireMid("mid");
    long group = frame.has("group") ? frame.requirePositiveLong("group") : 0;
    String emoji = frame.requireString("emoji", 2 * Emoji.MAX_CODE_POINTS);
    if (!Emoji.valid(emoji)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "'emoji' must be one emoji");
    }
    Object remove = frame.json().getValue("remove");
    if (remove != null && !(remove instanceof Boolean)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "'remove' must be a boolean");
    }
    ReactRequest request = new ReactRequest(session.uid(), session.id(), group, mid, emoji, !Boolean.TRUE.equals(remove));
    return limits.charge(session, "react", limits.config().react(), 1)
        .compose(v -> asks.<ReactReply>ask(group != 0 ? Addresses.GROUP_REACT : Addresses.ROUTER_REACT, request))
        .map(reply -> Frames.reply(OpNames.MSG_REACT_OK, frame.id()).mergeIn(reply.fields()));
  }
}
