package dev.switchboard.gateway.rooms;

import dev.switchboard.gateway.ops.Caller;
import dev.switchboard.gateway.ops.ClientOp;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code room.join {id, room}} → {@code ok {id, room}} once this instance receives the room's messages; fails
 * {@code invalid_field} or {@code too_many_rooms}.
 */
public record RoomJoin(Rooms rooms) implements ClientOp {
  @Override
  public String name() {
    return OpNames.ROOM_JOIN;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    String room = Rooms.room(frame);
    return rooms.join(caller, room).map(Rooms.ok(frame, room));
  }
}
