package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.EditReply;
import dev.switchboard.protocol.contract.EditRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code msg.edit {id, mid, body[, group]}} → {@code msg.edit.ok {id, mid, seq, editedAt[, group]}}: the sender
 * replaces a message's body (a router, {@code im.router.edit}, or the group verticle, {@code im.group.edit}). The body
 * is validated like a send's and travels as the bytes it arrived as.
 */
public record MsgEdit(Asks asks, OpLimits limits) implements ClientOp {
  @Override
  public String name() {
    return OpNames.MSG_EDIT;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    long mid = frame.requireMid("mid");
    long group = frame.has("group") ? frame.requirePositiveLong("group") : 0;
    byte[] body = frame.requireBodyJson();
    EditRequest request = new EditRequest(session.uid(), session.id(), group, mid, body);
    return limits.charge(session, "edit", limits.config().edit(), 1)
        .compose(v -> asks.<EditReply>ask(group != 0 ? Addresses.GROUP_EDIT : Addresses.ROUTER_EDIT, request))
        .map(reply -> Frames.reply(OpNames.MSG_EDIT_OK, frame.id()).mergeIn(reply.fields()));
  }
}
