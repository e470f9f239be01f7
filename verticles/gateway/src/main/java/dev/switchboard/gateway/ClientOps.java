package dev.switchboard.gateway;

import dev.switchboard.gateway.ops.ApiCall;
import dev.switchboard.gateway.ops.Asks;
import dev.switchboard.gateway.ops.Auth;
import dev.switchboard.gateway.ops.AuthRefresh;
import dev.switchboard.gateway.ops.MsgEdit;
import dev.switchboard.gateway.ops.MsgReact;
import dev.switchboard.gateway.ops.MsgRead;
import dev.switchboard.gateway.ops.MsgRecall;
import dev.switchboard.gateway.ops.MsgRecv;
import dev.switchboard.gateway.ops.MsgSend;
import dev.switchboard.gateway.ops.OpLimits;
import dev.switchboard.gateway.ops.OpRegistry;
import dev.switchboard.gateway.ops.Ping;
import dev.switchboard.gateway.ops.Sync;
import dev.switchboard.gateway.ops.Typing;
import dev.switchboard.gateway.rooms.RoomJoin;
import dev.switchboard.gateway.rooms.RoomLeave;
import dev.switchboard.gateway.rooms.RoomSend;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.shared.auth.Tokens;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Every op a client may send (docs/protocol.md, section 3), one handler each: the gateway's one op table. A new client
 * op is a handler class and one line here (docs/contributing.md).
 */
final class ClientOps {
  private ClientOps() {
  }

  static OpRegistry registry(Tokens tokens, Asks asks, OpLimits limits, Rooms rooms, EventBus bus, UserBus users) {
    return new OpRegistry(List.of(
        new Ping(),
        new Auth(),
        new AuthRefresh(tokens),
        new MsgSend(asks, limits),
        new Sync(asks, limits),
        new MsgRecv(asks, limits),
        new MsgRead(asks, limits),
        new MsgRecall(asks, limits),
        new MsgEdit(asks, limits),
        new MsgReact(asks, limits),
        new Typing(asks, limits, bus, users),
        new ApiCall(asks),
        new RoomJoin(rooms),
        new RoomLeave(rooms),
        new RoomSend(rooms)));
  }
}
