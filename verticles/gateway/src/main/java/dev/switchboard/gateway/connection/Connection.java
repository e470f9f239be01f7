package dev.switchboard.gateway.connection;

import dev.switchboard.gateway.ops.Auth;
import dev.switchboard.gateway.ops.Caller;
import dev.switchboard.gateway.ops.ClientOp;
import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.GroupJoin;
import dev.switchboard.protocol.contract.GroupLeave;
import dev.switchboard.protocol.contract.Kick;
import dev.switchboard.protocol.contract.KickSession;
import dev.switchboard.protocol.contract.Revoke;
import dev.switchboard.protocol.contract.RevokeAll;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.SyncFrames;
import dev.switchboard.protocol.frame.proto.ProtoCodec;
import dev.switchboard.shared.auth.Tokens;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client connection, its whole life in one class: authenticate → register on {@code im.user.<uid>} → read loop →
 * one {@link #close(CloseReason)} path that releases the registration and leaves the connection set. The read loop
 * looks each frame's op up in the gateway's one op table ({@code OpRegistry}), checks when it may be sent, runs it and
 * writes its reply; ops, rooms and groups see the connection only as a {@link Caller} / {@code Member}.
 *
 * <p>Confined to its event loop: every method runs there, so no field needs synchronisation. Kept small on purpose
 * (a handful of fields) because an idle connection's memory is multiplied by every online device.
 */
public final class Connection implements Caller {
  /** How long before its token expires a session is told so ({@code token.expiring}), to refresh in time. */
  static final long EXPIRY_WARNING_MS = 60_000;

  private static final byte NEW = 0;
  private static final byte AUTHENTICATING = 1;
  private static final byte ONLINE = 2;
  private static final byte CLOSED = 3;

  private final Connections owner;
  private final Transport transport;
  private final long openedAt = System.currentTimeMillis();
  private long lastSeen = openedAt;
  private byte state = NEW;
  private boolean paused;
  private Session session;
  private MessageConsumer<Object> consumer;
  /** The shared-state write that announced this session online; its removal waits for it. */
  private Future<Void> presenceWritten;
  /** The groups this session is subscribed to (usually few; empty for most users of a chat-only deployment). */
  private final GroupIds groups = new GroupIds();
  /**
   * Frames waiting for the write window to end: the number of an outbox of the instance's {@link Outboxes}, or
   * {@link Outboxes#NONE} when none wait (an idle connection holds nothing else here).
   */
  private int outbox = Outboxes.NONE;
  /** The outbox is due at the end of this turn (not only at the window tick). */
  private boolean outboxThisTurn;
  /** When the last batch was written (ms): a connection written less than a window ago waits for the window. */
  private long lastWrite;

  Connection(Connections owner, Transport transport) {
    this.owner = owner;
    this.transport = transport;
  }

  /** One complete inbound JSON frame payload (TCP, or a WebSocket text or binary message). */
  void onData(byte[] payload) {
    received(payload.length > owner.config().maxFrameBytes(), () -> Frame.parse(payload));
  }

  /** One complete inbound protobuf frame ({@code switchboard.v1.Frame}) on a protobuf connection. */
  void onProto(byte[] payload) {
    received(payload.length > owner.config().maxFrameBytes(), () -> Frame.of(ProtoCodec.decode(payload)));
  }

  /** A message over the frame limit that the transport did not keep: answered with {@code frame_too_large}. */
  void onOversized() {
    received(true, null);
  }

  /** A text message on a WebSocket that chose protobuf: every frame must be binary there. */
  void onUnexpectedText() {
    received(false, () -> {
      throw new ImException(ErrorCode.BAD_FRAME, "this connection speaks protobuf: send binary messages");
    });
  }

  private void received(boolean tooLarge, Supplier<Frame> parse) {
    if (state == CLOSED) {
      return;
    }
    lastSeen = System.currentTimeMillis();
    GatewayMeters.frameIn(transport.kind());
    if (tooLarge) {
      send(Frames.error(null, ErrorCode.FRAME_TOO_LARGE, "frame larger than " + owner.config().maxFrameBytes()
          + " bytes"));
      return;
    }
    Frame frame;
    try {
      frame = parse.get();
    } catch (ImException e) {
      send(Frames.error(null, e.code(), e.getMessage()));
      return;
    }
    try {
      dispatch(frame);
    } catch (ImException e) {
      send(Frames.error(frame.id(), e.code(), e.getMessage()));
    }
  }

  /**
   * Runs one op: unknown ops, and ops sent when they may not be, are answered at once (thrown here); ops of a session
   * count in its in-flight bound until they answer, and at the bound the connection stops reading.
   */
  private void dispatch(Frame frame) {
    ClientOp op = owner.ops().get(frame.op());
    switch (op.access()) {
      case ANYONE -> {
      }
      case GUEST -> {
        if (state != NEW) {
          throw new ImException(ErrorCode.ALREADY_AUTHENTICATED, "this connection is already authenticated");
        }
      }
      case SESSION -> {
        if (state != ONLINE) {
          throw new ImException(ErrorCode.NOT_AUTHENTICATED, "send 'auth' first");
        }
      }
    }
    Object id = frame.id();
    if (op.access() != ClientOp.Access.SESSION) {
      start(op, frame).onComplete(ar -> reply(id, ar));
      return;
    }
    Session s = session;
    int max = owner.maxInFlight();
    s.track(start(op, frame))
        .onComplete(ar -> {
          reply(id, ar);
          if (paused && s.inFlight() < max / 2 && state != CLOSED) {
            paused = false;
            transport.resume();
          }
        });
    if (!paused && s.inFlight() >= max) {
      // Flow control instead of an error or an unbounded queue: the client's frames wait on its side.
      paused = true;
      GatewayMeters.paused(transport.kind());
      transport.pause();
    }
  }

  /** Starts one op; a validation failure thrown while starting it becomes its failed future, so it is counted too. */
  private Future<?> start(ClientOp op, Frame frame) {
    try {
      return op.handle(this, frame);
    } catch (ImException e) {
      return Future.failedFuture(e);
    }
  }

  /** Writes an op's outcome: its reply frame (encoded or not), nothing, or an error echoing the request id. */
  private void reply(Object id, AsyncResult<?> ar) {
    if (ar.succeeded() && ar.result() instanceof OutFrame encoded) {
      deliver(encoded);
    } else if (ar.succeeded() && ar.result() != null) {
      send((JsonObject) ar.result());
    } else if (ar.failed()) {
      send(Frames.error(id, ImException.of(ar.cause())));
    }
  }

  /** Authentication passed in the WebSocket URL ({@code ?token=&device=}); failure closes like a failed auth frame. */
  public void authenticateFromQuery(String token, String device) {
    try {
      authenticate(token, Auth.device(device), null);
    } catch (ImException e) {
      send(Frames.error(null, e.code(), e.getMessage()));
      close(CloseReason.AUTH_FAILED);
    }
  }

  /** Verifies the token, registers on the user's address, answers auth.ok, then settles the user's other sessions. */
  @Override
  public void authenticate(String token, String device, Object requestId) {
    state = AUTHENTICATING;
    long started = System.nanoTime();
    owner.tokens().check(token)
        .compose(v -> register(v, device))
        .onSuccess(s -> {
          if (state == CLOSED) {
            return;
          }
          state = ONLINE;
          GatewayMeters.AUTH.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          owner.cameOnline(this);
          presenceWritten = owner.presence().online(s, transport.kind());
          send(Frames.reply(OpNames.AUTH_OK, requestId).put("uid", s.uid()).put("session", s.id())
              .put("device", s.device()));
          joinGroups(s);
          settle(s);
        })
        .onFailure(t -> {
          send(Frames.error(requestId, ImException.of(t)));
          close(CloseReason.AUTH_FAILED);
        });
  }

  /**
   * Settles the user's other sessions once this one is in the presence hash: a same-device-kind session older than
   * this one is kicked (published on the user's address only then, so an ordinary login sends nothing there), this
   * one goes if a newer one of its kind is already online, and the user's oldest sessions beyond
   * {@code gateway.maxSessionsPerUser} are closed, wherever they are connected. Concurrent logins each act on their
   * own view, which only ever closes the older of a pair. When shared state fails, the kick is published anyway: the
   * receivers decide by login time, as they always do.
   */
  private void settle(Session s) {
    presenceWritten.compose(v -> owner.presence().settle(s, owner.config().maxSessionsPerUser()))
        .onSuccess(verdict -> {
          if (state != ONLINE) {
            return;
          }
          if (verdict.newer() != null) {
            send(new JsonObject().put("op", OpNames.KICKED).put("reason", "same_device").put("by", verdict.newer()));
            close(CloseReason.KICKED);
            return;
          }
          if (verdict.kickOlder()) {
            owner.users().publish(s.uid(), new Kick(s.device(), s.id(), s.since()));
          }
          for (String id : verdict.over()) {
            owner.users().publish(s.uid(), new KickSession(id, s.id(), "session_limit"));
          }
        })
        .onFailure(t -> {
          owner.users().publish(s.uid(), new Kick(s.device(), s.id(), s.since()));
          send(Frames.error(null, ImException.of(t)));
        });
  }

  private Future<Session> register(Tokens.Verified token, String device) {
    long uid = token.uid();
    if (state == CLOSED) {
      return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "connection closed"));
    }
    String id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    UserBus users = owner.users();
    MessageConsumer<Object> c = users.consumer(uid, this::onBus);
    consumer = c;
    Future<Void> joined = users.join(uid);
    long started = System.nanoTime();
    return Future.all(c.completion(), joined).map(v -> {
      GatewayMeters.REGISTER.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      // "since" is taken after the registration completed, so a later login always kicks an earlier one.
      Session s = new Session(uid, device, id, System.currentTimeMillis(), transport.remoteAddress(), token.idHash(),
          token.issuedAt(), token.expiresAt());
      session = s;
      return s;
    });
  }

  /**
   * What arrives on the user's address: a frame to show ({@link OutFrame}, unless header {@link BusHeaders#SKIP} names
   * this session) or a control record. Anything else (a probe, a control of a newer kind) is ignored.
   */
  private void onBus(Message<Object> m) {
    Session s = session;
    if (state != ONLINE || s == null) {
      return;
    }
    Object body = m.body();
    if (body instanceof OutFrame frame) {
      if (!s.id().equals(m.headers().get(BusHeaders.SKIP))) {
        deliver(frame);
      }
    } else if (body instanceof Kick k) {
      if (kickedBy(s, k)) {
        send(new JsonObject().put("op", OpNames.KICKED).put("reason", "same_device").put("by", k.session()));
        close(CloseReason.KICKED);
      }
    } else if (body instanceof Revoke r) {
      if (r.tokenHash() != s.tokenHash()) {
        return;
      }
      if (r.until() == 0) {
        send(new JsonObject().put("op", OpNames.KICKED).put("reason", "logged_out"));
        close(CloseReason.REVOKED);
      } else if (r.until() < s.tokenExpiresAt()) {
        // Refreshed elsewhere: the token now ends sooner; the sweep warns (token.expiring) and ends the session then.
        s.useToken(s.tokenHash(), s.tokenIssuedAt(), r.until());
      }
    } else if (body instanceof RevokeAll r) {
      if (s.tokenIssuedAt() < r.before()) {
        boolean banned = RevokeAll.BANNED.equals(r.reason());
        send(new JsonObject().put("op", OpNames.KICKED).put("reason", banned ? RevokeAll.BANNED : "logged_out"));
        close(banned ? CloseReason.BANNED : CloseReason.REVOKED);
      }
    } else if (body instanceof KickSession k) {
      if (s.id().equals(k.session())) {
        send(new JsonObject().put("op", OpNames.KICKED).put("reason", k.reason() == null ? "removed" : k.reason())
            .put("by", k.by()));
        close(CloseReason.KICKED);
      }
    } else if (body instanceof GroupJoin j) {
      joinedGroup(j.gid(), j.seq(), OutFrame.ofJsonBytes(j.frame()));
    } else if (body instanceof GroupLeave l) {
      deliver(OutFrame.ofJsonBytes(l.frame()));
      if (groups.remove(l.gid())) {
        owner.fanout().leave(this, l.gid());
      }
    }
  }

  /**
   * Subscribes to every group of the user, then sends {@code groups {groups: {gid: seq}}} with each group's latest
   * seq read after the subscriptions completed: anything newer arrives live, anything older the client syncs.
   */
  private void joinGroups(Session s) {
    owner.asks().memberships(s.uid())
        .compose(found -> {
          List<Future<Void>> joins = new ArrayList<>();
          for (String gid : found.fieldNames()) {
            if (state != CLOSED && groups.add(Long.parseLong(gid))) {
              joins.add(owner.fanout().join(this, Long.parseLong(gid)));
            }
          }
          return joins.isEmpty() ? Future.succeededFuture(found)
              : Future.all(joins).compose(v -> owner.asks().memberships(s.uid()));
        })
        .onSuccess(heads -> send(new JsonObject().put("op", OpNames.GROUPS).put("groups", heads)))
        .onFailure(t -> send(Frames.error(null, ImException.of(t))));
  }

  /** The user was added to a group: subscribe, show the event, then catch up on what the subscription missed. */
  private void joinedGroup(long gid, long seq, OutFrame event) {
    if (!groups.add(gid)) {
      deliver(event);
      return;
    }
    owner.fanout().join(this, gid)
        .compose(v -> {
          deliver(event);
          return owner.asks().groupPage(session.uid(), gid, seq);
        })
        .onSuccess(page -> {
          for (SyncEntry entry : page.entries()) {
            OutFrame f = SyncFrames.entry(entry);
            if (f != null) {
              deliver(f);
            }
          }
        })
        .onFailure(t -> send(Frames.error(null, ImException.of(t))));
  }

  /** The group was dissolved (the fan-out already dropped its subscription). */
  @Override
  public void leftGroup(long gid) {
    groups.remove(gid);
  }

  @Override
  public String sessionId() {
    Session s = session;
    return s == null ? null : s.id();
  }

  private static boolean kickedBy(Session s, Kick k) {
    String kicker = k.session();
    if (!s.device().equals(k.device()) || s.id().equals(kicker)) {
      return false;
    }
    return k.since() > s.since() || (k.since() == s.since() && kicker.compareTo(s.id()) > 0);
  }

  /** Encodes and writes one frame to this connection only. */
  public void send(JsonObject frame) {
    deliver(OutFrame.of(frame));
  }

  /**
   * Queues a frame for this session alone (a message to its user, an ack, a reply, a control frame): it leaves at the
   * end of this event-loop turn, with whatever else waits for the connection. See {@link #deliver(OutFrame, boolean)}.
   */
  public void deliver(OutFrame frame) {
    deliver(frame, true);
  }

  /**
   * Queues an encoded frame behind the ones already waiting; the instance's {@link Flusher} writes them together.
   * {@code urgent} frames (one user's messages, acks, replies) leave at the end of this event-loop turn; fan-out frames
   * ({@code urgent} false: group messages, broadcasts, written to many sessions at once) wait for the window tick when
   * this connection was written less than a window ago, and leave with what comes meanwhile; an urgent frame queued
   * behind them takes them along at the end of its turn, so order never changes. What waits is bounded by
   * {@code writeQueueBytes}: a frame that would pass it first sends what waits to the socket (an early flush, in
   * order). A reader whose socket queue is full (it does not keep up) is dropped as a slow consumer, never buffered
   * without bound.
   */
  @Override
  public void deliver(OutFrame frame, boolean urgent) {
    if (state == CLOSED) {
      return;
    }
    if (transport.writeQueueFull()) {
      owner.countSlowConsumer();
      close(CloseReason.SLOW_CONSUMER);
      return;
    }
    Outboxes pool = owner.outboxes();
    Outbox o = outbox == Outboxes.NONE ? null : pool.get(outbox);
    if (o != null && o.bytes() + Outbox.cost(frame) > owner.config().writeQueueBytes()) {
      // A burst to a reader that keeps up must not cut it off: its bytes go to the socket now, and the socket's own
      // bound decides at the next frame, as without coalescing. The flusher's entry for it then flushes the next
      // outbox early, which keeps the order.
      flush();
      o = null;
    }
    if (o == null) {
      outbox = pool.take();
      o = pool.get(outbox);
      o.add(frame);
      // A fan-out frame to a connection written less than a window ago waits for the window tick.
      boolean wait = !urgent && System.currentTimeMillis() - lastWrite < owner.flusher().windowMs();
      outboxThisTurn = !wait;
      owner.flusher().dirty(this, wait);
    } else {
      o.add(frame);
      if (urgent && !outboxThisTurn) {
        outboxThisTurn = true;
        owner.flusher().dirty(this, false);
      }
    }
  }

  /** Writes every waiting frame in one batch and drops the outbox; called by the flusher and by {@link #close}. */
  void flush() {
    int number = outbox;
    if (number == Outboxes.NONE) {
      return;
    }
    outbox = Outboxes.NONE;
    outboxThisTurn = false;
    lastWrite = System.currentTimeMillis();
    Outbox o = owner.outboxes().get(number);
    int count = o.count();
    transport.write(o.frames(), count);
    owner.outboxes().give(number);
    GatewayMeters.framesOut(transport.kind(), count);
  }

  /** What waits for the next flush; null when nothing does. */
  Outbox outbox() {
    return outbox == Outboxes.NONE ? null : owner.outboxes().get(outbox);
  }

  /** The one close path: leaves the set, releases the user-address registration, closes the wire. Idempotent. */
  public void close(CloseReason reason) {
    if (state == CLOSED) {
      return;
    }
    boolean wasOnline = state == ONLINE;
    state = CLOSED;
    owner.closed(this, wasOnline);
    if (wasOnline) {
      // After the write that announced it, or a late write could resurrect a closed session.
      Session s = session;
      String kind = transport.kind();
      presenceWritten.onComplete(ar -> owner.presence().offline(s, kind));
      presenceWritten = null;
    }
    if (consumer != null) {
      consumer.unregister();
      owner.users().leave(Addresses.uidOf(consumer.address()));
      consumer = null;
    }
    for (long gid : groups.toArray()) {
      owner.fanout().leave(this, gid);
    }
    groups.clear();
    owner.rooms().leaveAll(this);
    if (reason == CloseReason.CLIENT_CLOSED || reason == CloseReason.SLOW_CONSUMER) {
      // The client is gone or does not read: what waits is dropped.
      if (outbox != Outboxes.NONE) {
        owner.outboxes().give(outbox);
        outbox = Outboxes.NONE;
      }
    } else {
      // Frames delivered before the close (a kicked frame, an error) leave before it.
      flush();
    }
    transport.close(reason);
  }

  /**
   * Called by the sweep: closes the connection when it is overdue (no auth in time, silent too long, or its token
   * expired: {@code kicked {reason: "token_expired"}} then close {@code token_expired}); otherwise, once per token,
   * sends {@code token.expiring {expiresAt}} when the token has less than {@link #EXPIRY_WARNING_MS} left.
   */
  void sweep(long now) {
    if (state != ONLINE) {
      if (now - openedAt > owner.config().authTimeoutMs() || now - lastSeen > owner.config().idleTimeoutMs()) {
        close(CloseReason.AUTH_TIMEOUT);
      }
      return;
    }
    long expiresAt = session.tokenExpiresAt();
    if (now >= expiresAt) {
      send(new JsonObject().put("op", OpNames.KICKED).put("reason", "token_expired"));
      close(CloseReason.TOKEN_EXPIRED);
    } else if (now - lastSeen > owner.config().idleTimeoutMs()) {
      close(CloseReason.IDLE_TIMEOUT);
    } else if (expiresAt - now <= EXPIRY_WARNING_MS && session.warnExpiry()) {
      send(new JsonObject().put("op", OpNames.TOKEN_EXPIRING).put("expiresAt", expiresAt));
    }
  }

  @Override
  public Session session() {
    return session;
  }

  @Override
  public boolean inGroup(long gid) {
    return groups.contains(gid);
  }

  boolean online() {
    return state == ONLINE;
  }

  /** The device kind of an authenticated session, else null. */
  String device() {
    Session s = session;
    return s == null ? null : s.device();
  }

  public String transportKind() {
    return transport.kind();
  }
}
