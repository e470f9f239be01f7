package dev.switchboard.gateway.ops;

import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code ping {id?}} → {@code pong {id}}, at any time: the heartbeat (any frame counts as a sign of life). */
public record Ping() implements ClientOp {
  @Override
  public String name() {
    return OpNames.PING;
  }

  @Override
  public Access access() {
    return Access.ANYONE;
  }

  @Override
  public Future<JsonObject> handle(Caller caller, Frame frame) {
    return Future.succeededFuture(Frames.reply(OpNames.PONG, frame.id()));
  }
}
