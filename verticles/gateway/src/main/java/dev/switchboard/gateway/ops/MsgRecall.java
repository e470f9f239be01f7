package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.Contract;
import dev.switchboard.protocol.contract.GroupRecallRequest;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code msg.recall {id, mid[, group]}} → {@code msg.recall.ok {id, mid, seq[, group]}}: the sender takes a message
 * back (a router, {@code im.router.recall}, or the group verticle, {@code im.group.recall}).
 */
public record MsgRecall(Asks asks, OpLimits limits) implements ClientOp {
  @Override
  public String name() {
    return OpNames.MSG_RECALL;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    long mid = frame.requireMid("mid");
    boolean group = frame.json().containsKey("group");
    Contract request = group ? new GroupRecallRequest(session.uid(), session.id(), frame.requirePositiveLong("group"),
        mid) : new RecallRequest(session.uid(), session.id(), mid);
    return limits.charge(session, "recall", limits.config().recall(), 1)
        .compose(v -> asks.<RecallReply>ask(group ? Addresses.GROUP_RECALL : Addresses.ROUTER_RECALL, request))
        .map(reply -> Frames.reply(OpNames.MSG_RECALL_OK, frame.id()).mergeIn(reply.fields()));
  }
}
