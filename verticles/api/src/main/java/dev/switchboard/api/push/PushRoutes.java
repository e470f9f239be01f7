package dev.switchboard.api.push;

import dev.switchboard.api.http.ApiKeys;
import dev.switchboard.api.http.Authn;
import dev.switchboard.api.http.HttpErrors;
import dev.switchboard.api.stats.GatewayStats;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.RoomName;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.GroupCommand;
import dev.switchboard.protocol.contract.RoomFlags;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.frame.JsonNumbers;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.store.SendLimits;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The push API for business systems, authenticated by an API key ({@link ApiKeys}), goim's {@code /push/{mids,room,
 * all}} and more:
 * <ul>
 *   <li>{@code POST /api/v1/push/users {uids, type?, body, persist?, from?, cid?}}: a {@code push} frame to every
 *   session of each user; with {@code persist: true}, a one-to-one message from user {@code from} stored in each
 *   inbox instead (delivered live, and on sync to users who are offline);</li>
 *   <li>{@code POST /api/v1/push/groups/{gid} {type?, body}}: a {@code push} frame to the group's online members;</li>
 *   <li>{@code POST /api/v1/push/rooms/{room} {type?, body}}: a room message, batched like members' messages;</li>
 *   <li>{@code POST /api/v1/push/all {type?, body}}: a {@code push} frame to every connected session;</li>
 *   <li>{@code PUT /api/v1/rooms/{room} {membersMaySend?: true | false | null, counts?: true | false | null}}: the
 *   room's own send flag, and whether its members get {@code room.count} frames.</li>
 * </ul>
 * Each live push is one event-bus publish, encoded once here; the answer says which gateway sessions and nodes it was
 * handed to, from the gateways' latest counts. Room and broadcast pushes are never stored.
 */
public final class PushRoutes {
  /** Largest {@code uids} list of one user push. */
  static final int MAX_UIDS = 1_000;
  private static final int MAX_CID = 40;

  private final EventBus bus;
  private final UserBus users;
  private final StateStore state;
  private final GatewayStats stats;
  private final int maxBodyBytes;
  private final long requestTimeoutMs;

  public PushRoutes(EventBus bus, UserBus users, StateStore state, GatewayStats stats, int maxBodyBytes,
                    long requestTimeoutMs) {
    this.bus = bus;
    this.users = users;
    this.state = state;
    this.stats = stats;
    this.maxBodyBytes = maxBodyBytes;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  public void mount(Router router, ApiKeys keys) {
    router.post("/api/v1/push/users").handler(keys::handle).handler(this::users);
    router.post("/api/v1/push/groups/:gid").handler(keys::handle).handler(this::group);
    router.post("/api/v1/push/rooms/:room").handler(keys::handle).handler(this::room);
    router.post("/api/v1/push/all").handler(keys::handle).handler(this::all);
    router.put("/api/v1/rooms/:room").handler(keys::handle).handler(this::roomFlags);
  }

  /** The validated {@code type} and the body's JSON text. */
  private record Payload(String type, String bodyJson, Object body) {
  }

  private Payload payload(JsonObject request) {
    if (!request.containsKey("body") || request.getValue("body") == null) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'body' is required");
    }
    Object type = request.getValue("type", "push");
    if (!(type instanceof String t) || t.isEmpty() || t.length() > 32) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'type' must be a string of 1 to 32 characters");
    }
    Object body = request.getValue("body");
    return new Payload(t, SendLimits.encodeBody(body, maxBodyBytes), body);
  }

  private void users(RoutingContext ctx) {
    JsonObject request = HttpErrors.jsonBody(ctx);
    Payload p = payload(request);
    Set<Long> uids = uids(request);
    Object persist = request.getValue("persist", false);
    if (!(persist instanceof Boolean)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'persist' must be a boolean");
    }
    if ((Boolean) persist) {
      persist(ctx, request, uids, p);
      return;
    }
    OutFrame frame = MessageJson.push("user", null, p.type(), p.bodyJson());
    for (long uid : uids) {
      users.publish(uid, frame);
    }
    ctx.json(new JsonObject().put("users", uids.size()).put("persisted", false)
        .put("nodes", stats.nodes()));
  }

  private static Set<Long> uids(JsonObject request) {
    if (!(request.getValue("uids") instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_UIDS) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'uids' must be an array of 1 to " + MAX_UIDS
          + " user ids");
    }
    Set<Long> uids = new LinkedHashSet<>();
    for (Object v : list) {
      Long n = JsonNumbers.exactLong(v);
      if (n == null || n <= 0) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field 'uids' must hold positive integers");
      }
      uids.add(n);
    }
    return uids;
  }

  /**
   * Stores the push as a one-to-one message from {@code from} to each user, through the routers (the same batching,
   * seqs, blocks and dedup as any send; no rate limit). {@code cid} makes a retried push idempotent: each recipient's
   * copy has the client id {@code <cid>/<uid>}. Answers {@code {users, persisted, stored: [{uid, mid, seq}],
   * failed: [{uid, code, message}]}}.
   */
  private void persist(RoutingContext ctx, JsonObject request, Set<Long> uids, Payload p) {
    Object from = request.getValue("from");
    Long f = JsonNumbers.exactLong(from);
    if (f == null || f <= 0) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'from' (the sending user) is required with persist");
    }
    Object cidValue = request.getValue("cid", UUID.randomUUID().toString().replace("-", ""));
    if (!(cidValue instanceof String cid) || cid.isEmpty() || cid.length() > MAX_CID
        || !dev.switchboard.protocol.frame.Frame.wellFormed(cid)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'cid' must be Unicode text of 1 to " + MAX_CID
          + " characters");
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
    List<Long> order = new ArrayList<>(uids);
    List<Future<SendReply>> sends = new ArrayList<>();
    byte[] body = p.bodyJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (long uid : order) {
      SendRequest send = new SendRequest(f, "push", cid + "/" + uid, uid, p.type(), body, true);
      sends.add(bus.<SendReply>request(Addresses.ROUTER_SEND, send, options).map(m -> m.body()));
    }
    Future.join(sends).otherwiseEmpty().onComplete(v -> {
      JsonArray stored = new JsonArray();
      JsonArray failed = new JsonArray();
      for (int i = 0; i < order.size(); i++) {
        Future<SendReply> s = sends.get(i);
        if (s.succeeded()) {
          stored.add(new JsonObject().put("uid", order.get(i)).put("mid", Long.toString(s.result().mid())));
        } else {
          ImException e = ImException.of(s.cause());
          failed.add(new JsonObject().put("uid", order.get(i)).put("code", e.code().wire())
              .put("message", e.getMessage()));
        }
      }
      ctx.json(new JsonObject().put("users", order.size()).put("persisted", true).put("stored", stored)
          .put("failed", failed));
    });
  }

  private void group(RoutingContext ctx) {
    long gid = Authn.pathId(ctx, "gid");
    Payload p = payload(HttpErrors.jsonBody(ctx));
    // Groups are the group verticle's: it says whether this one exists (not_found otherwise).
    bus.request(Addresses.GROUP_MANAGE, GroupCommand.of(GroupCommand.EXISTS, 0, gid),
            new DeliveryOptions().setSendTimeout(requestTimeoutMs))
        .onSuccess(exists -> {
          bus.publish(Addresses.group(gid), MessageJson.push("group", gid, p.type(), p.bodyJson()));
          ctx.json(new JsonObject().put("group", gid).put("nodes", stats.nodes()));
        })
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }

  private void room(RoutingContext ctx) {
    String room = RoomName.require(ctx.pathParam("room"), "room");
    Payload p = payload(HttpErrors.jsonBody(ctx));
    bus.publish(Addresses.room(room), MessageJson.roomMessage(null, p.type(), p.bodyJson()));
    JsonObject counts = stats.room(room);
    ctx.json(new JsonObject().put("room", room).put("sessions", counts.getLong("sessions"))
        .put("nodes", counts.getJsonArray("nodes").size()));
  }

  private void all(RoutingContext ctx) {
    Payload p = payload(HttpErrors.jsonBody(ctx));
    bus.publish(Addresses.BROADCAST, MessageJson.push("all", null, p.type(), p.bodyJson()));
    JsonObject counts = stats.cluster();
    ctx.json(new JsonObject().put("sessions", counts.getLong("sessions"))
        .put("nodes", counts.getJsonArray("nodes").size()));
  }

  /**
   * Sets or clears the room's own flags, {@code membersMaySend} and {@code counts} (each given one; kept in shared
   * state: a room has no database row), and tells every node holding the room at once, with both flags as they now
   * stand.
   */
  private void roomFlags(RoutingContext ctx) {
    String room = RoomName.require(ctx.pathParam("room"), "room");
    JsonObject request = HttpErrors.jsonBody(ctx);
    boolean send = request.containsKey("membersMaySend");
    boolean counts = request.containsKey("counts");
    if (!send && !counts) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'membersMaySend' or 'counts' is required");
    }
    for (String field : new String[] {"membersMaySend", "counts"}) {
      if (request.containsKey(field) && !(request.getValue(field) == null || request.getValue(field) instanceof Boolean)) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field '" + field + "' must be true, false or null");
      }
    }
    Future<?> savedSend = send ? save(StateKeys.roomSend(room), request.getBoolean("membersMaySend"))
        : Future.succeededFuture();
    Future<?> savedCounts = counts ? save(StateKeys.roomCounts(room), request.getBoolean("counts"))
        : Future.succeededFuture();
    Future.all(savedSend, savedCounts)
        .compose(v -> Future.all(state.get(StateKeys.roomSend(room)), state.get(StateKeys.roomCounts(room))))
        .onSuccess(flags -> {
          Boolean maySend = flags.<String>resultAt(0) == null ? null : Boolean.valueOf(flags.resultAt(0));
          Boolean counting = flags.<String>resultAt(1) == null ? null : Boolean.valueOf(flags.resultAt(1));
          bus.publish(Addresses.room(room), new RoomFlags(maySend, counting));
          ctx.json(new JsonObject().put("room", room).put("membersMaySend", maySend).put("counts", counting));
        }).onFailure(ctx::fail);
  }

  /** Sets a room flag's key, or deletes it for null. */
  private Future<?> save(String key, Boolean flag) {
    return flag == null ? state.delete(key) : state.set(key, flag.toString(), 0);
  }
}
