package dev.switchboard.gateway.rooms;

import dev.switchboard.gateway.ops.Caller;
import dev.switchboard.gateway.ops.ClientOp;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code room.leave {id, room}} → {@code ok {id, room}}, in the room or not; fails {@code invalid_field}. */
public record RoomLeave(Rooms rooms) implements ClientOp {
  @Override
  public String name() {
    return OpNames.ROOM_LEAVE;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    String room = Rooms.room(frame);
    rooms.leave(caller, room);
    return Future.succeededFuture(Rooms.ok(frame, room));
  }
}
