package dev.switchboard.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.ops.Asks;
import dev.switchboard.gateway.ops.Caller;
import dev.switchboard.gateway.ops.ClientOp;
import dev.switchboard.gateway.ops.OpRegistry;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.TcpFraming;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.ConnectionLimitsConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.net.ConnectionGuard;
import dev.switchboard.shared.store.StateStore;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard of the two Vert.x internal APIs the transports stand on ({@link VertxChannels}): if a Vert.x upgrade
 * renames its connection handler, stops exporting {@code NetSocketInternal.channelHandlerContext()}, or
 * {@code ContextInternal.dispatch} no longer runs code as the context, one of these fails (there is no fallback in
 * the server to hide it). A gateway shard is wired exactly as {@code GatewayVerticle} wires it, on two NetServers,
 * with one op that records the context it runs on; real sockets talk to it.
 */
@ExtendWith(VertxExtension.class)
class TransportInternalsIT {
  private static final long WAIT_S = 10;

  /** A gateway shard on two NetServers; its only op, {@code ping}, notes {@code Vertx.currentContext()}. */
  static final class Shard extends VerticleBase {
    final List<ChannelPipeline> pipelines = new CopyOnWriteArrayList<>();
    final List<Context> seen = new CopyOnWriteArrayList<>();
    NetServer ws;
    NetServer tcp;

    @Override
    public Future<?> start() {
      GatewayConfig config = GatewayConfig.from(new JsonObject(), 0);
      StateStore state = StateStore.create(vertx, StateConfig.from(null));
      Tokens tokens = Tokens.create(vertx, AuthConfig.from(new JsonObject()
          .put("secret", "transport-internals-test-secret-0123456789abcdef")), state);
      ClientOp ping = new ClientOp() {
        @Override
        public String name() {
          return "ping";
        }

        @Override
        public Access access() {
          return Access.ANYONE;
        }

        @Override
        public Future<?> handle(Caller caller, Frame frame) {
          seen.add(Vertx.currentContext());
          return Future.succeededFuture(new JsonObject().put("op", "pong").put("id", frame.id()));
        }
      };
      Connections connections = new Connections(vertx, config, tokens, new OpRegistry(List.of(ping)), 64,
          new Asks(vertx.eventBus(), 1_000), new Rooms(vertx, config.rooms(), state, new RateLimiter(state, 1_000)),
          state, "test");
      ConnectionLimitsConfig limits = ConnectionLimitsConfig.from(null, 1_000);
      ConnectionGuard wsGuard = new ConnectionGuard(vertx, "ws", "internals-test", limits);
      ConnectionGuard tcpGuard = new ConnectionGuard(vertx, "tcp", "internals-test", limits);
      ws = vertx.createNetServer().connectHandler(socket -> {
        // The test's own look at the pipeline, taken before the gateway takes the socket over.
        pipelines.add(((NetSocketInternal) socket).channelHandlerContext().pipeline());
        connections.acceptWebSocket(socket, wsGuard);
      });
      tcp = vertx.createNetServer().connectHandler(socket -> {
        pipelines.add(((NetSocketInternal) socket).channelHandlerContext().pipeline());
        connections.acceptTcp(socket, tcpGuard);
      });
      return Future.join(connections.start(), ws.listen(0, "127.0.0.1"), tcp.listen(0, "127.0.0.1"));
    }

    Context context() {
      return context;
    }
  }

  /** The names of {@code pipeline}'s handlers, read on its event loop. */
  private static List<String> names(ChannelPipeline pipeline) throws Exception {
    return pipeline.channel().eventLoop().submit(() -> new ArrayList<>(pipeline.toMap().keySet()))
        .get(WAIT_S, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void aWebSocketIsOurHandlerAloneAndItsOpsRunOnTheInstancesContext(Vertx vertx) throws Exception {
    Shard shard = new Shard();
    await(vertx.deployVerticle(shard));
    WebSocket ws = await(vertx.createWebSocketClient().connect(shard.ws.actualPort(), "127.0.0.1", "/ws"));
    Promise<String> reply = Promise.promise();
    ws.textMessageHandler(reply::tryComplete);
    ws.writeTextMessage("{\"op\":\"ping\",\"id\":1}");
    assertEquals("pong", new JsonObject(await(reply.future())).getString("op"));

    assertEquals(1, shard.pipelines.size());
    // Vert.x's handler (and the NetSocket it holds) is gone; the HTTP codec and aggregator left with the upgrade, and
    // the transport reads and writes the frames itself.
    assertEquals(List.of(Connections.WS_HANDLER), names(shard.pipelines.get(0)));
    assertEquals(1, shard.seen.size());
    assertNotNull(shard.context());
    assertSame(shard.context(), shard.seen.get(0), "an op runs as the gateway instance's code");
    await(ws.close());
  }

  @Test
  void aTcpConnectionIsOurHandlerAloneAndItsOpsRunOnTheInstancesContext(Vertx vertx) throws Exception {
    Shard shard = new Shard();
    await(vertx.deployVerticle(shard));
    NetSocket socket = await(vertx.createNetClient().connect(shard.tcp.actualPort(), "127.0.0.1"));
    Promise<Buffer> reply = Promise.promise();
    socket.handler(new TcpFraming(1 << 16, reply::tryComplete, length -> reply.tryFail("bad length " + length)));
    socket.write(Buffer.buffer(TcpFraming.frame("{\"op\":\"ping\",\"id\":2}".getBytes())));
    assertEquals("pong", new JsonObject(await(reply.future())).getString("op"));

    List<String> names = names(shard.pipelines.get(0));
    assertEquals(List.of(Connections.TCP_HANDLER), names);
    assertFalse(names.contains(VertxChannels.VERTX_HANDLER));
    assertSame(shard.context(), shard.seen.get(0), "an op runs as the gateway instance's code");
    await(socket.close());
  }
}
