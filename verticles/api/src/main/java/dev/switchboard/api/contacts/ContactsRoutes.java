package dev.switchboard.api.contacts;

import dev.switchboard.protocol.frame.JsonNumbers;
import static dev.switchboard.api.http.HttpErrors.jsonBody;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.users.UserStore;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Contacts, both ways and by consent:
 * <ul>
 *   <li>{@code POST /api/v1/contacts/requests {uid, message?}} asks a user (201 {@code {uid, state: "requested"}});
 *   if they had asked you already, you become contacts (200 {@code {uid, state: "contacts"}});</li>
 *   <li>{@code GET /api/v1/contacts/requests} → {@code {incoming: [...], outgoing: [...]}};</li>
 *   <li>{@code POST /api/v1/contacts/requests/{uid}/accept} and {@code .../reject} answer a request to you;</li>
 *   <li>{@code GET /api/v1/contacts} → {@code {contacts: [{uid, username, nickname, avatar, online, devices}]}};</li>
 *   <li>{@code DELETE /api/v1/contacts/{uid}} removes a contact, or withdraws your request.</li>
 * </ul>
 * The other user hears of each change live: {@code contact.event {kind, uid, message?}} on every online device.
 */
public final class ContactsRoutes {
  private static final int ASKED = 0;
  private static final int ASKED_BY = 1;
  /** The stored state of an accepted contact (both rows). */
  static final int CONTACTS = 2;

  private final Pool pool;
  private final Dialect dialect;
  private final EventBus bus;
  private final UserStore users;
  private final Presence presence;

  public ContactsRoutes(Pool pool, Dialect dialect, EventBus bus, UserStore users, Presence presence) {
    this.pool = pool;
    this.dialect = dialect;
    this.bus = bus;
    this.users = users;
    this.presence = presence;
  }

  public void mount(Router router, Authn authn) {
    router.post("/api/v1/contacts/requests").handler(authn::handle).handler(this::request);
    router.get("/api/v1/contacts/requests").handler(authn::handle).handler(this::requests);
    router.post("/api/v1/contacts/requests/:uid/accept").handler(authn::handle).handler(this::accept);
    router.post("/api/v1/contacts/requests/:uid/reject").handler(authn::handle).handler(this::reject);
    router.get("/api/v1/contacts").handler(authn::handle).handler(this::list);
    router.delete("/api/v1/contacts/:uid").handler(authn::handle).handler(this::remove);
  }

  private void notify(long uid, String kind, long other, String message) {
    JsonObject event = new JsonObject().put("op", "contact.event").put("kind", kind).put("uid", other);
    if (message != null) {
      event.put("message", message);
    }
    bus.publish(Addresses.user(uid), OutFrame.of(event));
  }

  private static Future<Integer> state(SqlConnection conn, long uid, long peer) {
    return conn.preparedQuery("SELECT state FROM contacts WHERE uid = ? AND peer = ? FOR UPDATE")
        .execute(Tuple.of(uid, peer)).map(rows -> {
          for (Row r : rows) {
            return r.getInteger("state");
          }
          return null;
        });
  }

  private Future<Void> set(SqlConnection conn, long uid, long peer, int state, String message) {
    long now = System.currentTimeMillis();
    return conn.preparedQuery("INSERT INTO contacts (uid, peer, state, message, updated_at) VALUES (?, ?, ?, ?, ?), "
            + "(?, ?, ?, ?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("state", "message", "updated_at")))
        .execute(Tuple.from(List.of(uid, peer, state, message == null ? "" : message, now, peer, uid,
            state == CONTACTS ? CONTACTS : ASKED_BY, message == null ? "" : message, now))).mapEmpty();
  }

  private static Future<Void> drop(SqlConnection conn, long uid, long peer) {
    return conn.preparedQuery("DELETE FROM contacts WHERE (uid = ? AND peer = ?) OR (uid = ? AND peer = ?)")
        .execute(Tuple.of(uid, peer, peer, uid)).mapEmpty();
  }

  private void request(RoutingContext ctx) {
    long me = Authn.uid(ctx);
    JsonObject body = jsonBody(ctx);
    Long n = JsonNumbers.exactLong(body.getValue("uid"));
    if (n == null || n <= 0) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'uid' must be a positive integer");
    }
    long peer = n;
    Object m = body.getValue("message");
    if (m != null && (!(m instanceof String s) || s.length() > 200)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'message' must be a string of at most 200 characters");
    }
    String message = (String) m;
    if (peer == me) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'uid' must be another user");
    }
    pool.preparedQuery("SELECT u.id, (SELECT COUNT(*) FROM blocks b WHERE b.owner = u.id AND b.blocked = ?) AS blocked "
            + "FROM users u WHERE u.id = ?").execute(Tuple.of(me, peer))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + peer));
          }
          if (rows.iterator().next().getLong("blocked") > 0) {
            return Future.failedFuture(new ImException(ErrorCode.BLOCKED, "this user does not accept your requests"));
          }
          return ask(me, peer, message);
        })
        .onSuccess(next -> {
          boolean contacts = next == CONTACTS;
          notify(peer, contacts ? "accepted" : "request", me, contacts ? null : message);
          ctx.response().setStatusCode(contacts ? 200 : 201);
          ctx.json(new JsonObject().put("uid", peer).put("state", contacts ? "contacts" : "requested"));
        })
        .onFailure(ctx::fail);
  }

  /**
   * In one transaction: records {@code me}'s request to {@code peer}, or accepts theirs; the resulting state. Both
   * users' rows are locked first, in uid order, so two users asking each other at the same instant are serialized:
   * the second sees the first's request and makes them contacts (the pair's contact rows may not exist yet, so they
   * cannot be the lock).
   */
  private Future<Integer> ask(long me, long peer, String message) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT id FROM users WHERE id IN (?, ?) ORDER BY id "
        + "FOR UPDATE").execute(Tuple.of(me, peer)).compose(locked -> state(conn, me, peer)).compose(state -> {
      if (state != null && state == CONTACTS) {
        return Future.failedFuture(new ImException(ErrorCode.CONFLICT, "you are contacts already"));
      }
      int next = state != null && state == ASKED_BY ? CONTACTS : ASKED;
      return set(conn, me, peer, next, message).map(v -> next);
    }));
  }

  /** Answers a request to you: {@code accept} makes you contacts, otherwise it is dropped. */
  private void answer(RoutingContext ctx, boolean accept) {
    long me = Authn.uid(ctx);
    long peer = Authn.pathId(ctx, "uid");
    pool.withTransaction(conn -> state(conn, me, peer).compose(state -> {
      if (state == null || state != ASKED_BY) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no request from user " + peer));
      }
      return accept ? set(conn, me, peer, CONTACTS, null) : drop(conn, me, peer);
    })).onSuccess(v -> {
      notify(peer, accept ? "accepted" : "rejected", me, null);
      ctx.json(new JsonObject().put("uid", peer).put("state", accept ? "contacts" : "none"));
    }).onFailure(ctx::fail);
  }

  private void accept(RoutingContext ctx) {
    answer(ctx, true);
  }

  private void reject(RoutingContext ctx) {
    answer(ctx, false);
  }

  private void remove(RoutingContext ctx) {
    long me = Authn.uid(ctx);
    long peer = Authn.pathId(ctx, "uid");
    pool.withTransaction(conn -> state(conn, me, peer).compose(state -> {
      if (state == null || state == ASKED_BY) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "user " + peer + " is not a contact"));
      }
      return drop(conn, me, peer).map(v -> state);
    })).onSuccess(state -> {
      notify(peer, state == CONTACTS ? "removed" : "withdrawn", me, null);
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private void requests(RoutingContext ctx) {
    long me = Authn.uid(ctx);
    pool.preparedQuery("SELECT peer, state, message, updated_at FROM contacts WHERE uid = ? AND state < 2 "
            + "ORDER BY updated_at DESC").execute(Tuple.of(me))
        .compose(rows -> {
          List<Row> list = new ArrayList<>();
          rows.forEach(list::add);
          return users.profiles(list.stream().map(r -> r.getLong("peer")).toList()).map(profiles -> {
            JsonArray incoming = new JsonArray();
            JsonArray outgoing = new JsonArray();
            for (Row r : list) {
              JsonObject p = profiles.getOrDefault(r.getLong("peer"), new JsonObject().put("uid", r.getLong("peer")))
                  .copy().put("message", r.getString("message")).put("at", r.getLong("updated_at"));
              p.remove("createdAt");
              (r.getInteger("state") == ASKED ? outgoing : incoming).add(p);
            }
            return new JsonObject().put("incoming", incoming).put("outgoing", outgoing);
          });
        })
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    long me = Authn.uid(ctx);
    pool.preparedQuery("SELECT peer FROM contacts WHERE uid = ? AND state = 2 ORDER BY peer").execute(Tuple.of(me))
        .compose(rows -> {
          List<Long> peers = new ArrayList<>();
          rows.forEach(r -> peers.add(r.getLong("peer")));
          Future<Map<Long, JsonObject>> profiles = users.profiles(peers);
          Future<Map<Long, JsonArray>> online = presence.sessions(peers);
          return Future.all(profiles, online).map(v -> {
            JsonArray contacts = new JsonArray();
            for (long peer : peers) {
              JsonObject p = profiles.result().getOrDefault(peer, new JsonObject().put("uid", peer)).copy();
              p.remove("createdAt");
              JsonArray devices = new JsonArray();
              online.result().get(peer).forEach(d -> devices.add(new JsonObject()
                  .put("device", ((JsonObject) d).getString("device"))
                  .put("transport", ((JsonObject) d).getString("transport"))));
              contacts.add(p.put("online", !devices.isEmpty()).put("devices", devices));
            }
            return new JsonObject().put("contacts", contacts);
          });
        })
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
