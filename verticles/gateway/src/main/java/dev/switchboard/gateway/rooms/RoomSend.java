package dev.switchboard.gateway.rooms;

import dev.switchboard.gateway.ops.Caller;
import dev.switchboard.gateway.ops.ClientOp;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code room.send {id, room, type?, body}} → {@code ok {id, room}} once published to the room; fails
 * {@code invalid_field}, {@code not_member}, {@code forbidden}, {@code body_too_large}, {@code rate_limited} or, with a
 * before-send hook, {@code rejected}.
 */
public record RoomSend(Rooms rooms) implements ClientOp {
  @Override
  public String name() {
    return OpNames.ROOM_SEND;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    String room = Rooms.room(frame);
    return rooms.send(caller, caller.session(), frame, room).map(v -> Rooms.ok(frame, room));
  }
}
