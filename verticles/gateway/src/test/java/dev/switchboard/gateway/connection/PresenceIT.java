package dev.switchboard.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.PresenceChange;
import dev.switchboard.protocol.frame.OutFrameCodec;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.store.StateStore;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a session that came online reads about its user's other sessions ({@link Presence#settle}), on both state
 * stores: the same-device kick is published only when an older session of its device kind is there, a newer live one
 * makes it go, entries of a gateway whose lease ran out close nothing, and the session cap ignores the device kind's
 * other sessions.
 */
@ExtendWith(VertxExtension.class)
class PresenceIT {
  private static final long UID = 42;

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private static Session session(String device, String id, long since) {
    return new Session(UID, device, id, since, "127.0.0.1", 1, 0, Long.MAX_VALUE);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theKickIsPublishedOnlyForAnOlderSessionOfTheSameKindAndANewerLiveOneWins(Backend backend, Vertx vertx)
      throws Exception {
    Backend.Storage storage = backend.open(vertx);
    try {
      StateStore state = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      OutFrameCodec.register(vertx.eventBus());
      Presence here = new Presence(state, vertx.eventBus(), "instance-here", 1);
      Presence there = new Presence(state, vertx.eventBus(), "instance-there", 2);
      Presence gone = new Presence(state, vertx.eventBus(), "instance-gone", 3);
      await(here.renew(60_000));
      await(there.renew(60_000));

      Session web = session("web", "a-web", 1_000);
      await(here.online(web, "ws"));
      Presence.Settle alone = await(here.settle(web, 10));
      assertFalse(alone.kickOlder(), "a first login publishes nothing on the user's address");
      assertNull(alone.newer());
      assertTrue(alone.over().isEmpty());

      Session desktop = session("desktop", "b-desktop", 2_000);
      await(there.online(desktop, "tcp"));
      Presence.Settle otherKind = await(there.settle(desktop, 10));
      assertFalse(otherKind.kickOlder(), "another device kind kicks no one");
      assertNull(otherKind.newer());

      Session web2 = session("web", "c-web", 3_000);
      await(there.online(web2, "ws"));
      assertTrue(await(there.settle(web2, 10)).kickOlder(), "an older web session: the kick is published");
      Presence.Settle older = await(here.settle(web, 10));
      assertEquals("c-web", older.newer(), "the older session, reading later, sees the newer one and goes");
      assertFalse(older.kickOlder());

      // A newer entry of a gateway whose lease ran out (it died) closes nobody.
      Session ghost = session("phone", "d-phone", 9_000);
      await(gone.online(ghost, "tcp"));
      Session phone = session("phone", "e-phone", 4_000);
      await(here.online(phone, "tcp"));
      Presence.Settle afterGhost = await(here.settle(phone, 10));
      assertNull(afterGhost.newer(), "a dead gateway's entry does not count");
      assertFalse(afterGhost.kickOlder());

      // Every entry written and removed is told to the API, after the write (the API reads the hash when it hears).
      LinkedBlockingQueue<PresenceChange> told = new LinkedBlockingQueue<>();
      await(vertx.eventBus().<Object>consumer(Addresses.API_PRESENCE, m -> told.add((PresenceChange) m.body()))
          .completion());
      Session tablet = session("tablet", "f-tablet", 5_000);
      await(here.online(tablet, "ws"));
      PresenceChange on = told.poll(10, TimeUnit.SECONDS);
      assertEquals(UID, on.uid());
      assertTrue(on.online());
      await(here.offline(tablet, "ws"));
      PresenceChange off = told.poll(10, TimeUnit.SECONDS);
      assertFalse(off.online());
      assertTrue(off.at() >= on.at(), off + " after " + on);
      assertFalse(await(state.hgetall(StateKeys.presence(UID))).containsKey("f-tablet"), "removed before it was told");

      // The cap: five entries (a-web, b-desktop, c-web, d-phone of the dead gateway, e-phone), a cap of 2 for
      // e-phone: its own kind's other entry does not count, the dead one neither: of a-web, b-desktop, c-web and
      // e-phone the two newest stay.
      assertEquals(List.of("a-web", "b-desktop"), await(here.settle(phone, 2)).over().stream().sorted().toList());
    } finally {
      storage.close();
    }
  }
}
