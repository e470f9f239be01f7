package dev.switchboard.api.contacts;

import static dev.switchboard.api.http.HttpErrors.jsonBody;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.presence.LivePresence;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.store.ContactStore;
import dev.switchboard.api.store.UserStore.Profile;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.api.users.Profiles;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.frame.JsonNumbers;
import dev.switchboard.protocol.frame.OutFrame;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Contacts, both ways and by consent:
 * <ul>
 *   <li>{@code POST /api/v1/contacts/requests {uid, message?}} asks a user (201 {@code {uid, state: "requested"}});
 *   if they had asked you already, you become contacts (200 {@code {uid, state: "contacts"}});</li>
 *   <li>{@code GET /api/v1/contacts/requests} → {@code {incoming: [...], outgoing: [...]}};</li>
 *   <li>{@code POST /api/v1/contacts/requests/{uid}/accept} and {@code .../reject} answer a request to you;</li>
 *   <li>{@code GET /api/v1/contacts} → {@code {contacts: [{uid, username, nickname, avatar, online, devices,
 *   lastSeen?}]}} ({@code lastSeen} for an offline contact whose setting lets contacts see it: the snapshot that
 *   {@code presence} frames then follow);</li>
 *   <li>{@code DELETE /api/v1/contacts/{uid}} removes a contact, or withdraws your request.</li>
 * </ul>
 * The other user hears of each change live: {@code contact.event {kind, uid, message?}} on every online device.
 */
public final class ContactsRoutes {
  private final ContactStore contacts;
  private final EventBus bus;
  private final UserBus userBus;
  private final UserStore users;
  private final Presence presence;

  public ContactsRoutes(ContactStore contacts, EventBus bus, UserBus userBus, UserStore users, Presence presence) {
    this.contacts = contacts;
    this.bus = bus;
    this.userBus = userBus;
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
    userBus.publish(uid, OutFrame.of(event));
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
    contacts.request(me, peer, message)
        .onSuccess(befriended -> {
          if (befriended) {
            LivePresence.audienceChanged(bus, me, peer);
          }
          notify(peer, befriended ? "accepted" : "request", me, befriended ? null : message);
          ctx.response().setStatusCode(befriended ? 200 : 201);
          ctx.json(new JsonObject().put("uid", peer).put("state", befriended ? "contacts" : "requested"));
        })
        .onFailure(ctx::fail);
  }

  /** Answers a request to you: {@code accept} makes you contacts, otherwise it is dropped. */
  private void answer(RoutingContext ctx, boolean accept) {
    long me = Authn.uid(ctx);
    long peer = Authn.pathId(ctx, "uid");
    (accept ? contacts.accept(me, peer) : contacts.reject(me, peer)).onSuccess(v -> {
      if (accept) {
        LivePresence.audienceChanged(bus, me, peer);
      }
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
    contacts.remove(me, peer).onSuccess(wereContacts -> {
      if (wereContacts) {
        LivePresence.audienceChanged(bus, me, peer);
      }
      notify(peer, wereContacts ? "removed" : "withdrawn", me, null);
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private void requests(RoutingContext ctx) {
    long me = Authn.uid(ctx);
    contacts.requests(me)
        .compose(requests -> users.profiles(requests.stream().map(ContactStore.Request::peer).toList())
            .map(profiles -> {
              JsonArray incoming = new JsonArray();
              JsonArray outgoing = new JsonArray();
              for (ContactStore.Request r : requests) {
                (r.incoming() ? incoming : outgoing).add(card(profiles, r.peer())
                    .put("message", r.message()).put("at", r.at()));
              }
              return new JsonObject().put("incoming", incoming).put("outgoing", outgoing);
            }))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    long me = Authn.uid(ctx);
    contacts.contacts(me)
        .compose(peers -> {
          Future<Map<Long, Profile>> profiles = users.profiles(peers);
          Future<Map<Long, JsonArray>> online = presence.sessions(peers);
          Future<Map<Long, UserStore.Seen>> seen = users.lastSeen(peers);
          return Future.all(profiles, online, seen).map(v -> {
            JsonArray listed = new JsonArray();
            for (long peer : peers) {
              JsonObject p = card(profiles.result(), peer);
              JsonArray devices = new JsonArray();
              online.result().get(peer).forEach(d -> devices.add(new JsonObject()
                  .put("device", ((JsonObject) d).getString("device"))
                  .put("transport", ((JsonObject) d).getString("transport"))));
              p.put("online", !devices.isEmpty()).put("devices", devices);
              UserStore.Seen s = seen.result().get(peer);
              // A contact sees lastSeen unless the peer's setting is nobody.
              if (devices.isEmpty() && s != null && s.at() != null && s.setting().shows(true)) {
                p.put("lastSeen", s.at());
              }
              listed.add(p);
            }
            return new JsonObject().put("contacts", listed);
          });
        })
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** The profile card of {@code uid}, or just {@code {uid}} when the account is gone. */
  private static JsonObject card(Map<Long, Profile> profiles, long uid) {
    Profile p = profiles.get(uid);
    return p == null ? new JsonObject().put("uid", uid) : Profiles.card(p);
  }
}
