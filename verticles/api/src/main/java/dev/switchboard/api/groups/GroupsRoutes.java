package dev.switchboard.api.groups;

import dev.switchboard.protocol.frame.JsonNumbers;
import static dev.switchboard.api.http.HttpErrors.jsonBody;

import dev.switchboard.api.http.Authn;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupCommand;
import dev.switchboard.protocol.contract.GroupCommandReply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Group management over HTTP; every route asks the group verticle ({@code im.group.manage}, a {@link GroupCommand})
 * as the token's user and answers the JSON of its {@link GroupCommandReply}.
 * <ul>
 *   <li>{@code POST /api/v1/groups {name, members?}} → 201 {@code {gid, name, seq, invited}}</li>
 *   <li>{@code GET /api/v1/groups} → {@code {groups}}; {@code GET /api/v1/groups/{gid}} → the group</li>
 *   <li>{@code PATCH /api/v1/groups/{gid} {name?, muted?}} → rename, mute or unmute everyone but owner and admins</li>
 *   <li>{@code PUT /api/v1/groups/{gid}/notifications {level}} → the caller's notification level (all, mentions,
 *   none)</li>
 *   <li>{@code DELETE /api/v1/groups/{gid}} → dissolve (owner)</li>
 *   <li>{@code POST /api/v1/groups/{gid}/members {members}} → add ({@code {seq?, added, invited}}); {@code GET
 *   .../members?after=&limit=} → page</li>
 *   <li>{@code GET /api/v1/groups/invitations} → {@code {invitations}}: your pending invitations;
 *   {@code POST /api/v1/groups/invitations/{gid}/accept} → join, {@code .../decline} → drop it</li>
 *   <li>{@code PATCH /api/v1/groups/{gid}/members/{uid} {admin?, muted?}}; {@code DELETE .../members/{uid}} →
 *   remove (yourself: leave)</li>
 *   <li>{@code GET /api/v1/groups/{gid}/messages?before=&limit=} → history, newest first</li>
 * </ul>
 */
public final class GroupsRoutes {
  private static final int MAX_NAME = 64;

  private final EventBus bus;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);

  public GroupsRoutes(EventBus bus) {
    this.bus = bus;
  }

  public void mount(Router router, Authn authn) {
    router.post("/api/v1/groups").handler(authn::handle).handler(this::create);
    router.get("/api/v1/groups").handler(authn::handle).handler(ctx -> ask(ctx,
        GroupCommand.of(GroupCommand.MINE, Authn.uid(ctx), 0), 200));
    // Before /groups/:gid, which would otherwise take "invitations" for a group id.
    router.get("/api/v1/groups/invitations").handler(authn::handle).handler(ctx -> ask(ctx,
        GroupCommand.of(GroupCommand.INVITATIONS, Authn.uid(ctx), 0), 200));
    router.post("/api/v1/groups/invitations/:gid/accept").handler(authn::handle).handler(ctx -> ask(ctx,
        group(ctx, GroupCommand.ACCEPT), 200));
    router.post("/api/v1/groups/invitations/:gid/decline").handler(authn::handle).handler(ctx -> ask(ctx,
        group(ctx, GroupCommand.DECLINE), 200));
    router.get("/api/v1/groups/:gid").handler(authn::handle).handler(ctx -> ask(ctx, group(ctx, GroupCommand.INFO),
        200));
    router.patch("/api/v1/groups/:gid").handler(authn::handle).handler(this::update);
    router.delete("/api/v1/groups/:gid").handler(authn::handle).handler(ctx -> ask(ctx,
        group(ctx, GroupCommand.DISSOLVE), 200));
    router.post("/api/v1/groups/:gid/members").handler(authn::handle).handler(this::add);
    router.get("/api/v1/groups/:gid/members").handler(authn::handle).handler(ctx -> ask(ctx,
        GroupCommand.members(Authn.uid(ctx), Authn.pathId(ctx, "gid"), Authn.query(ctx, "after", 0, 0, Long.MAX_VALUE),
            (int) Authn.query(ctx, "limit", 100, 1, 500)), 200));
    router.patch("/api/v1/groups/:gid/members/:uid").handler(authn::handle).handler(this::updateMember);
    router.put("/api/v1/groups/:gid/notifications").handler(authn::handle).handler(ctx -> {
      Object level = jsonBody(ctx).getValue("level");
      if (!(level instanceof String s) || !List.of("all", "mentions", "none").contains(s)) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field 'level' must be one of all, mentions, none");
      }
      ask(ctx, GroupCommand.notify(Authn.uid(ctx), Authn.pathId(ctx, "gid"), s), 200);
    });
    router.delete("/api/v1/groups/:gid/members/:uid").handler(authn::handle).handler(ctx -> ask(ctx,
        GroupCommand.remove(Authn.uid(ctx), Authn.pathId(ctx, "gid"), Authn.pathId(ctx, "uid")), 200));
    router.get("/api/v1/groups/:gid/messages").handler(authn::handle).handler(ctx -> ask(ctx,
        GroupCommand.history(Authn.uid(ctx), Authn.pathId(ctx, "gid"),
            Authn.query(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE), (int) Authn.query(ctx, "limit", 50, 1, 200)),
        200));
  }

  private static GroupCommand group(RoutingContext ctx, String kind) {
    return GroupCommand.of(kind, Authn.uid(ctx), Authn.pathId(ctx, "gid"));
  }

  private void ask(RoutingContext ctx, GroupCommand command, int status) {
    bus.<GroupCommandReply>request(Addresses.GROUP_MANAGE, command, options)
        .onSuccess(reply -> ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(Buffer.buffer(reply.body().json())))
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    ask(ctx, GroupCommand.create(Authn.uid(ctx), name(body.getValue("name")), uids(body, false)), 201);
  }

  private void update(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    long uid = Authn.uid(ctx);
    long gid = Authn.pathId(ctx, "gid");
    if (body.containsKey("name")) {
      ask(ctx, GroupCommand.rename(uid, gid, name(body.getValue("name"))), 200);
    } else if (body.getValue("muted") instanceof Boolean muted) {
      ask(ctx, GroupCommand.muteAll(uid, gid, muted), 200);
    } else {
      throw new ImException(ErrorCode.INVALID_FIELD, "send 'name' (a string) or 'muted' (a boolean)");
    }
  }

  private void add(RoutingContext ctx) {
    ask(ctx, GroupCommand.add(Authn.uid(ctx), Authn.pathId(ctx, "gid"), uids(jsonBody(ctx), true)), 200);
  }

  private void updateMember(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    long uid = Authn.uid(ctx);
    long gid = Authn.pathId(ctx, "gid");
    GroupCommand command;
    if (body.getValue("admin") instanceof Boolean admin) {
      command = GroupCommand.admin(uid, gid, Authn.pathId(ctx, "uid"), admin);
    } else if (body.getValue("muted") instanceof Boolean muted) {
      command = GroupCommand.mute(uid, gid, Authn.pathId(ctx, "uid"), muted);
    } else {
      throw new ImException(ErrorCode.INVALID_FIELD, "send 'admin' or 'muted' (a boolean)");
    }
    ask(ctx, command, 200);
  }

  private static String name(Object name) {
    if (!(name instanceof String s) || s.isBlank() || s.length() > MAX_NAME) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'name' must be 1 to " + MAX_NAME + " characters");
    }
    return s.strip();
  }

  private static List<Long> uids(JsonObject body, boolean required) {
    Object v = body.getValue("members");
    if (v == null && !required) {
      return List.of();
    }
    if (!(v instanceof io.vertx.core.json.JsonArray list) || (required && list.isEmpty()) || list.size() > 1000) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'members' must be an array of 1 to 1000 uids");
    }
    List<Long> uids = new ArrayList<>(list.size());
    for (Object uid : list) {
      Long n = JsonNumbers.exactLong(uid);
      if (n == null || n <= 0) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field 'members' must hold positive integer uids");
      }
      uids.add(n);
    }
    return uids;
  }
}
