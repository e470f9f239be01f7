package dev.switchboard.bench;

import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/** A raw TCP session for the load tools: cheap (no JSON parsing unless the caller asks), length-prefixed frames. */
final class BenchSession {
  private BenchSession() {
  }

  /**
   * Connects, authenticates with {@code token} as {@code device}, and completes once the {@code groups} frame arrived
   * (the session is online and subscribed); every later frame goes to {@code frames} (may be null).
   */
  static Future<NetSocket> open(NetClient net, String host, int port, String token, String device,
                                Handler<Buffer> frames) {
    return net.connect(port, host).compose(socket -> {
      Promise<NetSocket> ready = Promise.promise();
      socket.handler(new TcpFraming(1 << 20, frame -> {
        if (!ready.future().isComplete()) {
          String text = frame.toString();
          if (text.contains("\"op\":\"groups\"")) {
            ready.complete(socket);
          } else if (text.contains("\"op\":\"error\"")) {
            ready.tryFail(text);
          }
        } else if (frames != null) {
          frames.handle(frame);
        }
      }, len -> socket.close()));
      socket.closeHandler(v -> ready.tryFail("closed before online"));
      write(socket, new JsonObject().put("op", "auth").put("token", token).put("device", device));
      return ready.future();
    });
  }

  static void write(NetSocket socket, JsonObject frame) {
    socket.write(Buffer.buffer(TcpFraming.frame(frame.toBuffer().getBytes())));
  }
}
