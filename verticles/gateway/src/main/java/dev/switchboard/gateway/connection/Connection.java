package dev.switchboard.gateway.connection;

import dev.switchboard.gateway.ops.Session;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.BusHeaders;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.frame.CloseReason;
import dev.switchboard.shared.contract.SyncEntry;
import dev.switchboard.shared.frame.Frame;
import dev.switchboard.shared.frame.SyncFrames;
import dev.switchboard.shared.frame.Frames;
import dev.switchboard.shared.frame.OutFrame;
import dev.switchboard.shared.frame.proto.ProtoCodec;
import dev.switchboard.shared.frame.Utf8;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One client connection, its whole life in one class: authenticate → register on {@code im.user.<uid>} → read loop →
 * one {@link #close(CloseReason)} path that releases the registration and leaves the connection set.
 *
 * <p>Confined to its event loop: every method runs there, so no field needs synchronisation. Kept small on purpose
 * (a handful of fields) because an idle connection's memory is multiplied by every online device.
 */
public final class Connection {
  private static final Pattern DEVICE = Pattern.compile("[a-z0-9_-]{1,16}");
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
  /** {@code token.expiring} was sent for the session's current token. */
  private boolean expiryWarned;
  private Session session;
  private MessageConsumer<OutFrame> consumer;
  /** The shared-state write that announced this session online; its removal waits for it. */
  private Future<Void> presenceWritten;
  /** The groups this session is subscribed to (usually few; empty for most users of a chat-only deployment). */
  private final GroupIds groups = new GroupIds();

  Connection(Connections owner, Transport transport) {
    this.owner = owner;
    this.transport = transport;
  }

  /** A WebSocket text message. */
  void onText(String text) {
    int max = owner.config().maxFrameBytes();
    boolean tooLarge = text.length() > max || (text.length() * 3L > max && Utf8.length(text) > max);
    received(tooLarge, () -> Frame.parse(text));
  }

  /** One complete inbound frame payload (TCP, or a WebSocket binary message). */
  void onData(Buffer payload) {
    received(payload.length() > owner.config().maxFrameBytes(), () -> Frame.parse(payload));
  }

  /** One complete inbound protobuf frame ({@code switchboard.v1.Frame}) on a protobuf connection. */
  void onProto(Buffer payload) {
    received(payload.length() > owner.config().maxFrameBytes(), () -> Frame.of(ProtoCodec.decode(payload)));
  }

  /** A message over the frame limit that the transport did not keep: answered with {@code frame_too_large}. */
  void onOversized() {
    received(true, null);
  }

  /** A text message on a WebSocket that chose protobuf: every frame must be binary there. */
  void onUnexpectedText(String text) {
    received(false, () -> {
      throw new ImException(ErrorCode.BAD_FRAME, "this connection speaks protobuf: send binary messages");
    });
  }

  private void received(boolean tooLarge, java.util.function.Supplier<Frame> parse) {
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

  private void dispatch(Frame frame) {
    switch (frame.op()) {
      case "ping" -> send(Frames.reply("pong", frame.id()));
      case "auth" -> {
        if (state != NEW) {
          throw new ImException(ErrorCode.ALREADY_AUTHENTICATED, "this connection is already authenticated");
        }
        authenticate(frame.requireString("token", 4096), device(frame.optString("device", null, 16)), frame.id());
      }
      case "auth.refresh" -> {
        if (state != ONLINE) {
          throw new ImException(ErrorCode.NOT_AUTHENTICATED, "send 'auth' first");
        }
        refreshToken(frame.requireString("token", 4096), frame.id());
      }
      default -> {
        boolean room = Rooms.handles(frame.op());
        if (state != ONLINE) {
          if (!room && !owner.ops().knows(frame.op())) {
            throw new ImException(ErrorCode.UNKNOWN_OP, "unknown op '" + frame.op() + "'");
          }
          throw new ImException(ErrorCode.NOT_AUTHENTICATED, "send 'auth' first");
        }
        Object id = frame.id();
        Session s = session;
        int max = owner.ops().limits().maxInFlight();
        s.track(handle(room, s, frame))
            .onComplete(ar -> {
              if (ar.succeeded() && ar.result() instanceof OutFrame encoded) {
                deliver(encoded);
              } else if (ar.succeeded() && ar.result() != null) {
                send((JsonObject) ar.result());
              } else if (ar.failed()) {
                send(Frames.error(id, ImException.of(ar.cause())));
              }
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
    }
  }

  /** Starts one op; a validation failure thrown while starting it becomes its failed future, so it is counted too. */
  private Future<?> handle(boolean room, Session s, Frame frame) {
    try {
      return room ? owner.rooms().handle(this, s, frame) : owner.ops().handle(s, frame);
    } catch (ImException e) {
      return Future.failedFuture(e);
    }
  }

  static String device(String device) {
    if (device == null || !DEVICE.matcher(device).matches()) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'device' must match [a-z0-9_-]{1,16}");
    }
    return device;
  }

  /** Authentication passed in the WebSocket URL ({@code ?token=&device=}); failure closes like a failed auth frame. */
  public void authenticateFromQuery(String token, String device) {
    try {
      authenticate(token, device(device), null);
    } catch (ImException e) {
      send(Frames.error(null, e.code(), e.getMessage()));
      close(CloseReason.AUTH_FAILED);
    }
  }

  /** Verifies the token, registers on the user's address, kicks the same device kind elsewhere, answers auth.ok. */
  void authenticate(String token, String device, Object requestId) {
    state = AUTHENTICATING;
    long started = System.nanoTime();
    owner.tokens().check(token)
        .compose(v -> register(v, device))
        .onSuccess(s -> {
          if (state == CLOSED) {
            return;
          }
          state = ONLINE;
          GatewayMeters.AUTH.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
          owner.cameOnline(this);
          presenceWritten = owner.presence().online(s, transport.kind());
          send(Frames.reply("auth.ok", requestId).put("uid", s.uid()).put("session", s.id())
              .put("device", s.device()));
          joinGroups(s);
          enforceSessionCap(s);
        })
        .onFailure(t -> {
          send(Frames.error(requestId, ImException.of(t)));
          close(CloseReason.AUTH_FAILED);
        });
  }

  /**
   * {@code auth.refresh {token}}: the session goes on with a fresh token of the same user (from
   * {@code POST /api/v1/sessions/refresh}) instead of ending when its current one expires. Answers
   * {@code auth.refresh.ok {expiresAt}}; a token that fails the check or belongs to someone else is answered with an
   * {@code auth_failed} error and the session keeps its current token.
   */
  private void refreshToken(String token, Object requestId) {
    Session s = session;
    owner.tokens().check(token).onComplete(ar -> {
      if (state != ONLINE) {
        return;
      }
      if (ar.failed()) {
        send(Frames.error(requestId, ImException.of(ar.cause())));
      } else if (ar.result().uid() != s.uid()) {
        send(Frames.error(requestId, ErrorCode.AUTH_FAILED, "the token belongs to another user"));
      } else {
        Tokens.Verified v = ar.result();
        s.useToken(v.idHash(), v.issuedAt(), v.expiresAt());
        expiryWarned = false;
        send(Frames.reply("auth.refresh.ok", requestId).put("expiresAt", v.expiresAt()));
      }
    });
  }

  /**
   * Closes the user's oldest sessions beyond {@code gateway.maxSessionsPerUser}, wherever they are connected, once this
   * one is in the presence hash. Concurrent logins each close what is beyond the cap in their own view, which only
   * ever closes the oldest.
   */
  private void enforceSessionCap(Session s) {
    presenceWritten.compose(v -> owner.presence().excess(s, owner.config().maxSessionsPerUser()))
        .onSuccess(over -> {
          for (String id : over) {
            owner.vertx().eventBus().publish(Addresses.user(s.uid()), null, new DeliveryOptions()
                .addHeader(BusHeaders.CTL, BusHeaders.CTL_KICK_SESSION).addHeader("session", id)
                .addHeader("by", s.id()).addHeader(BusHeaders.REASON, "session_limit"));
          }
        })
        .onFailure(t -> send(Frames.error(null, ImException.of(t))));
  }

  private Future<Session> register(Tokens.Verified token, String device) {
    long uid = token.uid();
    if (state == CLOSED) {
      return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "connection closed"));
    }
    String id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    MessageConsumer<OutFrame> c = owner.vertx().eventBus().consumer(Addresses.user(uid), this::onBus);
    consumer = c;
    long started = System.nanoTime();
    return c.completion().map(v -> {
      GatewayMeters.REGISTER.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
      // "since" is taken after the registration completed, so a later login always kicks an earlier one.
      Session s = new Session(uid, device, id, System.currentTimeMillis(), transport.remoteAddress(), token.idHash(),
          token.issuedAt(), token.expiresAt());
      session = s;
      owner.vertx().eventBus().publish(Addresses.user(uid), null, new DeliveryOptions()
          .addHeader(BusHeaders.CTL, BusHeaders.CTL_KICK).addHeader("device", device).addHeader("session", id)
          .addHeader("since", Long.toString(s.since())));
      return s;
    });
  }

  private void onBus(Message<OutFrame> m) {
    Session s = session;
    if (state != ONLINE || s == null) {
      return;
    }
    String ctl = m.headers().get(BusHeaders.CTL);
    if (ctl == null) {
      if (!s.id().equals(m.headers().get(BusHeaders.SKIP))) {
        deliver(m.body());
      }
    } else if (ctl.equals(BusHeaders.CTL_KICK) && kickedBy(s, m)) {
      send(new JsonObject().put("op", "kicked").put("reason", "same_device")
          .put("by", m.headers().get("session")));
      close(CloseReason.KICKED);
    } else if (ctl.equals(BusHeaders.CTL_REVOKE)
        && Long.toString(s.tokenHash()).equals(m.headers().get(BusHeaders.TOKEN))) {
      String until = m.headers().get(BusHeaders.UNTIL);
      if (until == null) {
        send(new JsonObject().put("op", "kicked").put("reason", "logged_out"));
        close(CloseReason.REVOKED);
      } else if (Long.parseLong(until) < s.tokenExpiresAt()) {
        // Refreshed elsewhere: the token now ends sooner; the sweep warns (token.expiring) and ends the session then.
        s.useToken(s.tokenHash(), s.tokenIssuedAt(), Long.parseLong(until));
        expiryWarned = false;
      }
    } else if (ctl.equals(BusHeaders.CTL_REVOKE_ALL)
        && s.tokenIssuedAt() < Long.parseLong(m.headers().get(BusHeaders.BEFORE))) {
      send(new JsonObject().put("op", "kicked").put("reason", "logged_out"));
      close(CloseReason.REVOKED);
    } else if (ctl.equals(BusHeaders.CTL_KICK_SESSION) && s.id().equals(m.headers().get("session"))) {
      String reason = m.headers().get(BusHeaders.REASON);
      send(new JsonObject().put("op", "kicked").put("reason", reason == null ? "removed" : reason)
          .put("by", m.headers().get("by")));
      close(CloseReason.KICKED);
    } else if (ctl.equals(BusHeaders.CTL_GROUP_JOIN)) {
      joinedGroup(Long.parseLong(m.headers().get(BusHeaders.GID)), Long.parseLong(m.headers().get(BusHeaders.SEQ)),
          m.body());
    } else if (ctl.equals(BusHeaders.CTL_GROUP_LEAVE)) {
      deliver(m.body());
      long gid = Long.parseLong(m.headers().get(BusHeaders.GID));
      if (groups.remove(gid)) {
        owner.fanout().leave(this, gid);
      }
    }
  }

  /**
   * Subscribes to every group of the user, then sends {@code groups {groups: {gid: seq}}} with each group's latest
   * seq read after the subscriptions completed: anything newer arrives live, anything older the client syncs.
   */
  private void joinGroups(Session s) {
    owner.ops().memberships(s.uid())
        .compose(found -> {
          List<Future<Void>> joins = new ArrayList<>();
          for (String gid : found.fieldNames()) {
            if (state != CLOSED && groups.add(Long.parseLong(gid))) {
              joins.add(owner.fanout().join(this, Long.parseLong(gid)));
            }
          }
          return joins.isEmpty() ? Future.succeededFuture(found)
              : Future.all(joins).compose(v -> owner.ops().memberships(s.uid()));
        })
        .onSuccess(heads -> send(new JsonObject().put("op", "groups").put("groups", heads)))
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
          return owner.ops().groupPage(session.uid(), gid, seq);
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
  public void leftGroup(long gid) {
    groups.remove(gid);
  }

  public String sessionId() {
    Session s = session;
    return s == null ? null : s.id();
  }

  private static boolean kickedBy(Session s, Message<OutFrame> m) {
    String kicker = m.headers().get("session");
    if (!s.device().equals(m.headers().get("device")) || s.id().equals(kicker)) {
      return false;
    }
    long since = Long.parseLong(m.headers().get("since"));
    return since > s.since() || (since == s.since() && kicker.compareTo(s.id()) > 0);
  }

  /** Encodes and writes one frame to this connection only. */
  public void send(JsonObject frame) {
    deliver(OutFrame.of(frame));
  }

  /** Writes an encoded frame; a reader whose outbound queue is full is dropped, never buffered without bound. */
  public void deliver(OutFrame frame) {
    if (state == CLOSED) {
      return;
    }
    if (transport.writeQueueFull()) {
      owner.countSlowConsumer();
      close(CloseReason.SLOW_CONSUMER);
      return;
    }
    transport.write(frame);
    GatewayMeters.frameOut(transport.kind());
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
      presenceWritten.onComplete(ar -> owner.presence().offline(s));
      presenceWritten = null;
    }
    if (consumer != null) {
      consumer.unregister();
      consumer = null;
    }
    for (long gid : groups.toArray()) {
      owner.fanout().leave(this, gid);
    }
    groups.clear();
    owner.rooms().leaveAll(this);
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
      send(new JsonObject().put("op", "kicked").put("reason", "token_expired"));
      close(CloseReason.TOKEN_EXPIRED);
    } else if (now - lastSeen > owner.config().idleTimeoutMs()) {
      close(CloseReason.IDLE_TIMEOUT);
    } else if (!expiryWarned && expiresAt - now <= EXPIRY_WARNING_MS) {
      expiryWarned = true;
      send(new JsonObject().put("op", "token.expiring").put("expiresAt", expiresAt));
    }
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
