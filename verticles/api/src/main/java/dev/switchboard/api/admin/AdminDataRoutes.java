package dev.switchboard.api.admin;

import static dev.switchboard.api.http.HttpErrors.jsonBody;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.store.ContactStore;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupRetention;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.contract.UserMessagesRequest;
import dev.switchboard.shared.privacy.GroupAdd;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The server API's data routes ({@code X-Api-Key}): {@code GET /api/v1/admin/users/{uid}/export} streams what
 * Switchboard holds of a user as one JSON document (profile, privacy, contacts, blocks, every message they sent,
 * one-to-one and in groups), page by page so that its size never sits in memory; {@code POST
 * /api/v1/admin/users/{uid}/purge} deletes every message the user sent for everyone (bodies erased, marked recalled)
 * and every file they uploaded (with its blob unless another upload shares it), then deletes the user as {@code DELETE /api/v1/admin/users/{uid}} does, and answers how many messages went; {@code PUT /api/v1/admin/groups/{gid}/retention {days}} sets a group's own retention
 * ({@code days} 0: the global one again).
 */
public final class AdminDataRoutes {
  /** Messages per page asked of the router and the group verticle. */
  static final int PAGE = 500;

  private final EventBus bus;
  private final DeliveryOptions options;
  private final UserStore users;
  private final ContactStore contacts;
  private final Function<Long, Future<JsonObject>> view;
  private final Function<Long, Future<Boolean>> deleteAccount;
  private final Function<Long, Future<Integer>> deleteMedia;

  /**
   * {@code view} is the server API's view of a user ({@code not_found} for none), {@code deleteAccount} its deletion
   * of one (false: there was none, or it was deleted already), {@code deleteMedia} the deletion of every file the
   * user uploaded (how many).
   */
  public AdminDataRoutes(EventBus bus, long timeoutMs, UserStore users, ContactStore contacts,
                         Function<Long, Future<JsonObject>> view, Function<Long, Future<Boolean>> deleteAccount,
                         Function<Long, Future<Integer>> deleteMedia) {
    this.deleteAccount = deleteAccount;
    this.deleteMedia = deleteMedia;
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.users = users;
    this.contacts = contacts;
    this.view = view;
  }

  public void mount(Router router, Handler<RoutingContext> service) {
    router.get("/api/v1/admin/users/:uid/export").handler(service).handler(this::export);
    router.post("/api/v1/admin/users/:uid/purge").handler(service).handler(this::purge);
    router.put("/api/v1/admin/groups/:gid/retention").handler(service).handler(this::retention);
  }

  private void export(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    Future<JsonObject> user = view.apply(uid);
    Future<GroupAdd> privacy = users.groupAdd(uid);
    Future<java.util.List<Long>> contactList = contacts.contacts(uid);
    Future<java.util.List<Long>> blockList = contacts.blocked(uid);
    Future<java.util.Map<Long, UserStore.Seen>> seen = users.lastSeen(java.util.List.of(uid));
    Future.all(java.util.List.of(user, privacy, contactList, blockList, seen)).onSuccess(v -> {
      HttpServerResponse resp = ctx.response().setChunked(true).putHeader("content-type", "application/json")
          .putHeader("content-disposition", "attachment; filename=\"user-" + uid + ".json\"");
      UserStore.Seen last = seen.result().get(uid);
      JsonObject exported = user.result().copy().put("groupAdd", privacy.result().wire());
      if (last != null) {
        exported.put("lastSeenSetting", last.setting().wire());
        if (last.at() != null) {
          exported.put("lastSeen", last.at());
        }
      }
      JsonObject head = new JsonObject().put("exportedAt", System.currentTimeMillis()).put("user", exported)
          .put("contacts", new JsonArray(contactList.result())).put("blocks", new JsonArray(blockList.result()));
      String text = head.encode();
      // The head without its closing brace, then the message arrays streamed into it.
      resp.write(text.substring(0, text.length() - 1) + ",\"messages\":[");
      stream(resp, Addresses.ROUTER_USER_MESSAGES, uid, 0, true)
          .compose(x -> resp.write("],\"groupMessages\":["))
          .compose(x -> stream(resp, Addresses.GROUP_USER_MESSAGES, uid, 0, true))
          .compose(x -> resp.end("]}"))
          // The status is out: a failure midway can only cut the document short (a client sees invalid JSON).
          .onFailure(t -> resp.reset());
    }).onFailure(ctx::fail);
  }

  /** Writes every page of {@code address}'s messages of {@code uid} after {@code after} to {@code resp}. */
  private Future<Void> stream(HttpServerResponse resp, String address, long uid, long after, boolean first) {
    return page(address, uid, after, false).compose(p -> {
      Buffer chunk = Buffer.buffer();
      boolean needComma = !first;
      for (SyncEntry e : p.entries()) {
        if (needComma) {
          chunk.appendByte((byte) ',');
        }
        needComma = true;
        chunk.appendString(json(e).encode());
      }
      Future<Void> written = chunk.length() == 0 ? Future.succeededFuture() : resp.write(chunk);
      return p.more() ? written.compose(v -> stream(resp, address, uid, p.head(), p.entries().isEmpty() && first))
          : written;
    });
  }

  private static JsonObject json(SyncEntry e) {
    JsonObject m = new JsonObject().put("mid", Long.toString(e.mid())).put("cid", e.cid()).put("ts", e.ts())
        .put("type", e.msgType()).put("recalled", e.recalled());
    if (e.group() != 0) {
      m.put("group", e.group()).put("seq", e.seq());
    } else {
      m.put("to", e.to());
    }
    if (e.body() != null) {
      m.put("body", Json.decodeValue(new String(e.body(), StandardCharsets.UTF_8)));
    }
    return m;
  }

  private Future<SyncPage> page(String address, long uid, long after, boolean erase) {
    return bus.<Object>request(address, new UserMessagesRequest(uid, after, PAGE, erase), options)
        .map(reply -> (SyncPage) reply.body())
        .recover(t -> Future.failedFuture(ImException.of(t)));
  }

  private void purge(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    users.find(uid).compose(u -> u == null
            ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + uid)) : Future.succeededFuture())
        .compose(v -> erase(Addresses.ROUTER_USER_MESSAGES, uid, 0, 0))
        .compose(direct -> erase(Addresses.GROUP_USER_MESSAGES, uid, 0, 0).compose(group -> deleteMedia.apply(uid)
            .compose(media -> deleteAccount.apply(uid).map(deleted -> new JsonObject().put("uid", uid)
                .put("messages", direct).put("groupMessages", group).put("media", media)))))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** Erases every message of {@code uid} at {@code address}, page by page; completes with how many were erased. */
  private Future<Integer> erase(String address, long uid, long after, int done) {
    return page(address, uid, after, true).compose(p -> {
      int erased = done + p.entries().size();
      return p.more() ? erase(address, uid, p.head(), erased) : Future.succeededFuture(erased);
    });
  }

  private void retention(RoutingContext ctx) {
    long gid = Authn.pathId(ctx, "gid");
    Object days = jsonBody(ctx).getValue("days");
    if (!(days instanceof Integer d) || d < 0 || d > 10_000) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'days' must be an integer from 0 (the global retention) "
          + "to 10000");
    }
    bus.request(Addresses.GROUP_RETENTION, new GroupRetention(gid, d), options)
        .onSuccess(r -> ctx.json(new JsonObject().put("gid", gid).put("days", d)))
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }
}
