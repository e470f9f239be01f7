package dev.switchboard.gateway.connection;

import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.WebSocketCompression;
import dev.switchboard.gateway.groups.GroupFanout;
import dev.switchboard.gateway.ops.Asks;
import dev.switchboard.gateway.ops.OpRegistry;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.GatewayStatsReport;
import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.net.ConnectionGuard;
import dev.switchboard.shared.store.StateStore;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of one gateway verticle instance, all on that instance's event loop (so no locks): a shard of the
 * node's sessions. One periodic sweep closes connections that did not authenticate in time, went silent or whose token
 * expired (and warns sessions whose token is about to), so no connection carries a timer of its own.
 *
 * <p>This shard is what goim calls a bucket: the node's sessions are spread over the gateway's instances (Vert.x hands
 * each accepted socket to the next instance), each with its own connection set, group and room subscriptions on its
 * own event loop. A broadcast or a room message reaches every instance once and each writes to its own sessions, in
 * parallel and without a lock.
 */
public final class Connections {
  /** WebSocket subprotocols a client may ask for instead of {@code ?codec=}. */
  public static final String SUBPROTOCOL_JSON = "switchboard.json";
  public static final String SUBPROTOCOL_PROTOBUF = "switchboard.protobuf";
  /** The names of the transports' handlers in a connection's pipeline (a WebSocket's is first its upgrade's). */
  static final String WS_HANDLER = "ws";
  /** The WebSocket port's HTTP codec and aggregator: there until the upgrade. */
  static final String HTTP_CODEC = "http";
  static final String AGGREGATOR = "aggregator";
  static final String TCP_HANDLER = "tcp";
  /** The request line, the headers, and the body a WebSocket port's request may have: a handshake has none. */
  private static final int MAX_LINE = 4096;
  private static final int MAX_HEADERS = 8192;
  private static final int MAX_BODY = 1024;

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Tokens tokens;
  private final OpRegistry ops;
  private final int maxInFlight;
  private final Asks asks;
  private final GroupFanout fanout;
  private final Rooms rooms;
  private final Presence presence;
  private final Flusher<Connection> flusher;
  private final Outboxes outboxes = new Outboxes();
  private final UserBus users;
  private final Set<Connection> open = new HashSet<>();
  /** Authenticated sessions: all, over WebSocket, and per device kind (kept as they change, not counted on demand). */
  private int online;
  private int onlineWs;
  private final Map<String, Integer> devices = new HashMap<>();
  private final AtomicLong slowConsumerDrops = new AtomicLong();
  private long sweepTimer = -1;
  private MessageConsumer<OutFrame> broadcasts;
  /** The instance's context: what every connection's code runs as. */
  private Context context;
  /** Outbound bytes a connection may have waiting (Netty's water mark, shared by every channel). */
  private final WriteBufferWaterMark writeBound;
  private final WebSocketServerHandshakerFactory handshakers;

  /**
   * @param ops         the client ops its connections answer
   * @param maxInFlight ops of one session served at once ({@code gateway.opLimits.maxInFlight})
   * @param asks        requests to the group verticle for a session's groups
   */
  public Connections(Vertx vertx, GatewayConfig config, Tokens tokens, OpRegistry ops, int maxInFlight, Asks asks,
                     Rooms rooms, StateStore state, String instance) {
    this.vertx = vertx;
    this.presence = new Presence(state, vertx.eventBus(), instance, config.node());
    this.config = config;
    this.tokens = tokens;
    this.ops = ops;
    this.maxInFlight = maxInFlight;
    this.asks = asks;
    this.rooms = rooms;
    this.fanout = new GroupFanout(vertx.eventBus());
    this.flusher = new Flusher<>(vertx, config.writeWindowMs(), Connection::flush);
    this.users = UserBus.of(vertx);
    this.writeBound = new WriteBufferWaterMark(config.writeQueueBytes() / 2, config.writeQueueBytes());
    // A frame header announcing more than 4x maxFrameBytes is refused before its payload is read (close 1009);
    // whole text messages are checked for UTF-8 here (1007), not per frame; no extension unless compression is on.
    WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(config.maxFrameBytes() * 4)
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .allowExtensions(config.compression().enabled())
        .closeOnProtocolViolation(true)
        .withUTF8Validator(false)
        .build();
    this.handshakers = new WebSocketServerHandshakerFactory(config.wsPath(),
        SUBPROTOCOL_JSON + "," + SUBPROTOCOL_PROTOBUF, decoder);
  }

  /**
   * Starts the sweep and the {@code im.broadcast} consumer; call from the owning event loop. Completes when the
   * consumer is registered.
   */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    long shortest = Math.min(config.authTimeoutMs(), config.idleTimeoutMs());
    long tick = Math.max(20, Math.min(1_000, shortest / 4));
    flusher.start();
    sweepTimer = vertx.setPeriodic(tick, id -> sweep());
    broadcasts = vertx.eventBus().consumer(Addresses.BROADCAST, m -> broadcast(m.body()));
    return broadcasts.completion();
  }

  /** Closes every connection with {@code reason} and stops the sweep. */
  public void stop(CloseReason reason) {
    vertx.cancelTimer(sweepTimer);
    if (broadcasts != null) {
      broadcasts.unregister();
    }
    for (Connection c : new ArrayList<>(open)) {
      c.close(reason);
    }
    flusher.stop();
  }

  /** Writes one frame, encoded once, to every authenticated session of this shard. */
  private void broadcast(OutFrame frame) {
    for (Connection c : open.toArray(new Connection[0])) {
      if (c.online()) {
        c.deliver(frame, false);
      }
    }
  }

  /**
   * This shard's counts as the report of instance {@code instance} of gateway node {@code node}: sessions,
   * connections, ws, tcp, devices per kind, member sessions per room, room and group consumers, slow consumers dropped;
   * {@code sessions} counts authenticated connections only.
   */
  public GatewayStatsReport stats(int node, String instance, String publicWs, String publicTcp, long ttlMs) {
    Map<String, Long> kinds = new HashMap<>();
    devices.forEach((kind, n) -> kinds.put(kind, n.longValue()));
    return new GatewayStatsReport(node, instance, publicWs, publicTcp, false, ttlMs, online, open.size(), onlineWs,
        online - onlineWs, slowConsumerDrops.get(), rooms.subscribed(), fanout.subscribedGroups(), kinds,
        rooms.counts());
  }

  /**
   * For the WebSocket port's {@code connectHandler}: admits the socket under {@code guard}'s per-address cap (or
   * closes it) and makes it an HTTP connection of ours that upgrades to a WebSocket ({@link WebSocketUpgrade}).
   */
  public void acceptWebSocket(NetSocket socket, ConnectionGuard guard) {
    ChannelPipeline pipeline = admit(socket, guard, "ws");
    if (pipeline == null) {
      return;
    }
    pipeline.addLast(HTTP_CODEC, new HttpServerCodec(MAX_LINE, MAX_HEADERS, MAX_HEADERS));
    pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_BODY));
    WebSocketCompression compression = config.compression();
    if (compression.enabled()) {
      // permessage-deflate, negotiated in the 101; an inflated message is bounded like an uncompressed one.
      pipeline.addLast("wsext", new WebSocketServerExtensionHandler(new PerMessageDeflateServerExtensionHandshaker(
          compression.level(), false, 15, compression.serverNoContext(), false, config.maxFrameBytes() * 4)));
    }
    pipeline.addLast(WS_HANDLER, new WebSocketUpgrade(this, guard));
  }

  /** For the TCP port's {@code connectHandler}: admits the socket under {@code guard}'s cap and opens a session. */
  public void acceptTcp(NetSocket socket, ConnectionGuard guard) {
    // Slow TCP clients need no timer here: the auth timeout closes a connection that never authenticates.
    ChannelPipeline pipeline = admit(socket, guard, "tcp");
    if (pipeline != null) {
      pipeline.addLast(TCP_HANDLER, new TcpTransport(this, guard));
    }
  }

  /**
   * Counts {@code socket} under {@code guard}'s per-address cap and takes it over from Vert.x, with the shared bound
   * on what may wait to be written; null (the socket closed) when its address holds the most it may.
   */
  private ChannelPipeline admit(NetSocket socket, ConnectionGuard guard, String kind) {
    if (!guard.admit(socket.remoteAddress())) {
      socket.close();
      return null;
    }
    GatewayMeters.connection(kind, 1);
    ChannelPipeline pipeline = VertxChannels.takeOver(socket);
    pipeline.channel().config().setWriteBufferWaterMark(writeBound);
    return pipeline;
  }

  Context context() {
    return context;
  }

  WebSocketServerHandshakerFactory handshakers() {
    return handshakers;
  }

  Connection open(Transport transport) {
    Connection c = new Connection(this, transport);
    open.add(c);
    return c;
  }

  void cameOnline(Connection c) {
    GatewayMeters.session(c.transportKind(), 1);
    online++;
    if (c.transportKind().equals("ws")) {
      onlineWs++;
    }
    devices.merge(c.device(), 1, Integer::sum);
  }

  void closed(Connection c, boolean wasOnline) {
    open.remove(c);
    if (wasOnline) {
      GatewayMeters.session(c.transportKind(), -1);
      online--;
      if (c.transportKind().equals("ws")) {
        onlineWs--;
      }
      devices.computeIfPresent(c.device(), (d, n) -> n == 1 ? null : n - 1);
    }
  }

  void countSlowConsumer() {
    GatewayMeters.SLOW_CONSUMERS.increment();
    slowConsumerDrops.incrementAndGet();
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    // A copy: a connection the sweep closes leaves the set.
    for (Connection c : open.toArray(new Connection[0])) {
      c.sweep(now);
    }
  }

  public int size() {
    return open.size();
  }

  public long slowConsumerDrops() {
    return slowConsumerDrops.get();
  }

  Vertx vertx() {
    return vertx;
  }

  GatewayConfig config() {
    return config;
  }

  Tokens tokens() {
    return tokens;
  }

  OpRegistry ops() {
    return ops;
  }

  int maxInFlight() {
    return maxInFlight;
  }

  Asks asks() {
    return asks;
  }

  /** Delivery to users' sessions wherever they are: the session's consumer and the kicks it publishes. */
  UserBus users() {
    return users;
  }

  Outboxes outboxes() {
    return outboxes;
  }

  Flusher<Connection> flusher() {
    return flusher;
  }

  GroupFanout fanout() {
    return fanout;
  }

  Rooms rooms() {
    return rooms;
  }

  /** Emits {@code user.online}/{@code user.offline} webhook events through {@code hooks} (call before any login). */
  public void hooks(HookEmitter hooks) {
    presence.hooks(hooks);
  }

  Presence presence() {
    return presence;
  }

  /** Renews this instance's presence lease ({@code leaseMs}); called with every stats report. */
  public Future<Void> renewPresence(long leaseMs) {
    return presence.renew(leaseMs);
  }

  /** Ends the presence lease: this instance's entries stop counting at once. */
  public Future<Boolean> endPresence() {
    return presence.end();
  }
}
