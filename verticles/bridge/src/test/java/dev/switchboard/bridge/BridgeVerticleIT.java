package dev.switchboard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.launch.Services;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.ContractCodec;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.protocol.contract.UserLookup;
import dev.switchboard.protocol.frame.TcpFraming;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.store.StateStore;
import dev.switchboard.shared.testing.Backend;
import dev.switchboard.shared.testing.Ports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bridge verticle alone, over a real TCP socket speaking the event-bus bridge's frames, with shared state on both
 * backends (in-process and Redis: the bots' send budgets), and the API and the router played by consumers answering
 * {@link UserLookup} and {@link SendRequest} with the typed contracts.
 */
@ExtendWith(VertxExtension.class)
class BridgeVerticleIT {
  private static final String SECRET = "module-test-secret-0123456789";
  private static final long BOT_UID = 42;

  private static int freePort() {
    return Ports.free();
  }

  /** Frames out over the socket, frames in taken one at a time (every exchange here is one frame each way). */
  private record Client(NetSocket socket, BlockingQueue<JsonObject> frames) {
    JsonObject exchange(String type, String address, Object body) throws InterruptedException {
      JsonObject frame = new JsonObject().put("type", type).put("address", address).put("replyAddress", "r")
          .put("body", body);
      socket.write(Buffer.buffer(TcpFraming.frame(frame.toBuffer().getBytes())));
      return next();
    }

    JsonObject next() throws InterruptedException {
      JsonObject f = frames.poll(10, TimeUnit.SECONDS);
      assertNotNull(f, "a frame from the bridge");
      return f;
    }
  }

  private static Client connect(Vertx vertx, int port) throws Exception {
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    socket.handler(new TcpFraming(1 << 16, b -> frames.add(b.toJsonObject()), n -> socket.close()));
    return new Client(socket, frames);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void authenticatesABotRelaysItsSendsAndRefusesWhatItMust(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      ContractCodec.register(vertx.eventBus());
      vertx.eventBus().<UserLookup>consumer(Addresses.API_USERS, m ->
          m.reply(new UserInfo(BOT_UID, m.body().username(), "bot")));
      BlockingQueue<SendRequest> sent = new LinkedBlockingQueue<>();
      vertx.eventBus().<SendRequest>consumer(Addresses.ROUTER_SEND, m -> {
        sent.add(m.body());
        m.reply(new SendReply(7, 1, 1000, 0, false));
      });
      int port = freePort();
      JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", port).put("authTimeoutMs", 2000)
          .put("storage", storage.config())
          .put("services", new JsonArray().add(new JsonObject().put("name", "echo").put("secret", SECRET)
              .put("bot", "echo")));
      StateStore state = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      String deployment = vertx.deployVerticle(new BridgeVerticle(new Services(vertx, null, null, state, null, null)),
              new DeploymentOptions().setConfig(config))
          .await(10, TimeUnit.SECONDS);

      Client intruder = connect(vertx, port);
      JsonObject refused = intruder.exchange("send", Addresses.BRIDGE_AUTH,
          new JsonObject().put("service", "echo").put("secret", "not-the-secret-at-all"));
      assertEquals("err", refused.getString("type"), refused.encode());

      Client bot = connect(vertx, port);
      JsonObject ok = bot.exchange("send", Addresses.BRIDGE_AUTH,
          new JsonObject().put("service", "echo").put("secret", SECRET));
      assertEquals(BOT_UID, ok.getJsonObject("body").getLong("uid"), ok.encode());

      JsonObject reply = bot.exchange("send", Addresses.ROUTER_SEND, new JsonObject().put("cid", "c1").put("to", 5)
          .put("type", "text").put("body", new JsonObject().put("text", "hi")));
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals("7", reply.getJsonObject("body").getString("mid"), reply.encode());
      SendRequest request = sent.poll(10, TimeUnit.SECONDS);
      assertNotNull(request);
      assertEquals(BOT_UID, request.from(), "the bot is the sender, whatever the frame says");
      assertEquals(5L, request.to());

      JsonObject denied = bot.exchange("send", "im.api.peers", new JsonObject());
      assertEquals("err", denied.getString("type"), denied.encode());
      assertEquals("access_denied", denied.getString("message"), denied.encode());
      bot.socket().close().await(10, TimeUnit.SECONDS);
      vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);
    }
  }
}
