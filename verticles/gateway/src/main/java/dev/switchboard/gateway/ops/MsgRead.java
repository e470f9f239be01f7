package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.Contract;
import dev.switchboard.protocol.contract.GroupReadRequest;
import dev.switchboard.protocol.contract.ReadReply;
import dev.switchboard.protocol.contract.ReadRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code msg.read {id?, peer | group, upTo}} → {@code ok {id, unread}} (nothing without an id): the read cursor moves
 * to {@code upTo} in a one-to-one conversation (a router, {@code im.router.read}) or a group
 * ({@code im.group.read}).
 */
public record MsgRead(Asks asks, OpLimits limits) implements ClientOp {
  @Override
  public String name() {
    return OpNames.MSG_READ;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    boolean group = frame.json().containsKey("group");
    long target = frame.requirePositiveLong(group ? "group" : "peer");
    long upTo = frame.requirePositiveLong("upTo");
    Contract request = group ? new GroupReadRequest(session.uid(), target, upTo)
        : new ReadRequest(session.uid(), session.id(), target, upTo);
    return limits.charge(session, "read", limits.config().read(), 1)
        .compose(v -> asks.<ReadReply>ask(group ? Addresses.GROUP_READ : Addresses.ROUTER_READ, request))
        .map(reply -> {
          JsonObject ok = MsgRecv.ok(frame);
          if (ok == null) {
            return null;
          }
          ok.put("unread", reply.unread());
          return group ? ok.put("unreadMentions", reply.mentions()) : ok;
        });
  }
}
