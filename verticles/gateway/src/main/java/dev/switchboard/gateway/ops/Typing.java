package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.JsonBytes;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code typing {to | group, stop?}}: relayed, never stored, as {@code typing {from, to | group, stop?, expiresInMs}}
 * to the online sessions of the peer ({@code im.user.<to>}, when the peer exists and has not blocked the user: one
 * {@code im.api.peers} ask) or of the group's members ({@code im.group.<gid>}, once per node; only from a session in
 * the group's fan-out, else {@code not_member}), not to the sending session. Rate limited per user
 * ({@code gateway.opLimits.typing}); a frame over budget fails {@code rate_limited} and is not relayed. With an
 * {@code id} the answer is {@code ok {id}}; without, nothing.
 */
public record Typing(Asks asks, OpLimits limits, EventBus bus, UserBus users) implements ClientOp {
  @Override
  public String name() {
    return OpNames.TYPING;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    boolean toGroup = frame.has("group");
    if (toGroup == frame.has("to")) {
      throw new ImException(ErrorCode.INVALID_FIELD, "exactly one of the fields 'to' and 'group' is required");
    }
    long target = frame.requirePositiveLong(toGroup ? "group" : "to");
    Object stop = frame.json().getValue("stop");
    if (stop != null && !(stop instanceof Boolean)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "'stop' must be a boolean");
    }
    if (toGroup && !caller.inGroup(target)) {
      throw new ImException(ErrorCode.NOT_MEMBER, "not a member of group " + target);
    }
    JsonBytes json = new JsonBytes(112).string("op", OpNames.TYPING).number("from", session.uid())
        .number(toGroup ? "group" : "to", target);
    if (Boolean.TRUE.equals(stop)) {
      json.bool("stop", true);
    }
    OutFrame relayed = OutFrame.ofJsonBytes(json.number("expiresInMs", limits.config().typingExpiryMs()).close());
    DeliveryOptions skip = new DeliveryOptions().addHeader(BusHeaders.SKIP, session.id());
    Future<Void> charged = limits.charge(session, "typing", limits.config().typing(), 1);
    if (toGroup) {
      return charged.map(v -> {
        bus.publish(Addresses.group(target), relayed, skip);
        return MsgRecv.ok(frame);
      });
    }
    return charged
        .compose(v -> asks.<PeerFacts>ask(Addresses.API_PEERS,
            new PeerCheck(List.of(session.uid()), List.of(target), PeerCheck.EXISTS | PeerCheck.BLOCKED)))
        .map(facts -> {
          if (!facts.has(0, PeerCheck.EXISTS)) {
            throw new ImException(ErrorCode.NOT_FOUND, "no user " + target);
          }
          if (facts.has(0, PeerCheck.BLOCKED)) {
            throw new ImException(ErrorCode.BLOCKED, "user " + target + " blocked you");
          }
          users.publish(target, relayed, skip);
          return MsgRecv.ok(frame);
        });
  }
}
