package dev.switchboard.router;

import static dev.switchboard.shared.testing.BusAsks.ask;
import static dev.switchboard.shared.testing.BusAsks.await;
import static dev.switchboard.shared.testing.BusAsks.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.launch.Services;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.contract.Ack;
import dev.switchboard.protocol.contract.ContractCodec;
import dev.switchboard.protocol.contract.ConversationsReply;
import dev.switchboard.protocol.contract.ConversationsRequest;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.protocol.contract.ReadReply;
import dev.switchboard.protocol.contract.ReadRequest;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.contract.RecvRequest;
import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.protocol.contract.SearchRequest;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.contract.SyncRequest;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.switchboard.shared.store.LocalStateStore;
import java.util.UUID;

/**
 * The router verticle alone on a real event bus, against its own tables on both backends (H2 file database and
 * MariaDB, migrated with the router's schema only), with the API played by a consumer that answers {@link PeerCheck}
 * with {@link PeerFacts}: user 3 has blocked everyone, user 99 does not exist.
 */
@ExtendWith(VertxExtension.class)
class RouterVerticleIT {
  private static final long BLOCKER = 3;
  private static final long NOBODY = 99;

  private static SendRequest send(long from, long to, String cid, String text) {
    return new SendRequest(from, "s" + from, cid, to, "text", new JsonObject().put("text", text).encode()
        .getBytes(StandardCharsets.UTF_8), false);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void sendsSyncsReceiptsRecallsAndListsOnItsOwnTables(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = DbConfig.from(storage.config().getJsonObject("db"));
      await(vertx.executeBlocking(() -> SchemaMigrations.apply(db, List.of(RouterVerticle.SCHEMA))));
      ContractCodec.register(vertx.eventBus());
      vertx.eventBus().<PeerCheck>consumer(Addresses.API_PEERS, m -> {
        List<Integer> flags = new ArrayList<>();
        for (int i = 0; i < m.body().to().size(); i++) {
          long to = m.body().to().get(i);
          flags.add(to == NOBODY ? 0 : PeerCheck.EXISTS | (to == BLOCKER ? PeerCheck.BLOCKED : 0));
        }
        m.reply(new PeerFacts(flags, List.of()));
      });
      Services services = new Services(vertx, Database.pool(vertx, db), Dialect.of(db),
          LocalStateStore.shared(vertx, "verticle-it-" + UUID.randomUUID() + ":"), null, 1);
      await(vertx.deployVerticle(new RouterVerticle(services), new DeploymentOptions()));

      SendReply first = await(ask(vertx, Addresses.ROUTER_SEND, send(1, 2, "c1", "hello")));
      SendReply second = await(ask(vertx, Addresses.ROUTER_SEND, send(1, 2, "c2", "again")));
      SendReply repeat = await(ask(vertx, Addresses.ROUTER_SEND, send(1, 2, "c1", "hello")));
      assertEquals(first.mid(), repeat.mid(), "a repeated cid is the same message");
      assertTrue(repeat.duplicate());
      assertTrue(second.mid() > first.mid());

      SyncPage page = await(ask(vertx, Addresses.ROUTER_SYNC, new SyncRequest(2, 0, 10)));
      assertEquals(List.of(first.mid(), second.mid()), page.entries().stream().map(SyncEntry::mid).toList());
      assertFalse(page.more());
      SyncPage rest = await(ask(vertx, Addresses.ROUTER_SYNC, new SyncRequest(2, page.entries().get(0).seq(), 10)));
      assertEquals(List.of(second.mid()), rest.entries().stream().map(SyncEntry::mid).toList());

      assertEquals(Ack.INSTANCE, await(ask(vertx, Addresses.ROUTER_RECV,
          new RecvRequest(2, "phone", page.entries().get(1).seq()))));
      long firstSeq = page.entries().get(0).seq();
      ReadReply read = await(ask(vertx, Addresses.ROUTER_READ, new ReadRequest(2, "s2", 1, firstSeq)));
      assertEquals(1, read.unread(), "one message after the read one");

      JsonObject list = new JsonObject(new String(((ConversationsReply) await(ask(vertx,
          Addresses.ROUTER_CONVERSATIONS, new ConversationsRequest(2, 0, 0, 10)))).json(), StandardCharsets.UTF_8));
      assertEquals(1L, list.getJsonArray("conversations").getJsonObject(0).getLong("peer"), list.encode());

      JsonObject history = new JsonObject(new String(((ConversationsReply) await(ask(vertx,
          Addresses.ROUTER_CONVERSATIONS, new ConversationsRequest(1, 2, 0, 1)))).json(), StandardCharsets.UTF_8));
      JsonObject newest = history.getJsonArray("messages").getJsonObject(0);
      assertEquals(List.of(Long.toString(second.mid()), true, true, false), List.of(newest.getString("mid"),
          history.getBoolean("more"), newest.getBoolean("delivered"), newest.getBoolean("read")), history.encode());
      JsonObject older = new JsonObject(new String(((ConversationsReply) await(ask(vertx,
          Addresses.ROUTER_CONVERSATIONS, new ConversationsRequest(1, 2, second.mid(), 10)))).json(),
          StandardCharsets.UTF_8));
      assertEquals(Long.toString(first.mid()), older.getJsonArray("messages").getJsonObject(0).getString("mid"));
      assertTrue(older.getJsonArray("messages").getJsonObject(0).getBoolean("read"), older.encode());
      assertFalse(older.getBoolean("more"));

      RecallReply recalled = await(ask(vertx, Addresses.ROUTER_RECALL, new RecallRequest(1, "s1", second.mid())));
      assertEquals(second.mid(), recalled.mid());
      SyncPage after = await(ask(vertx, Addresses.ROUTER_SYNC, new SyncRequest(2, 0, 10)));
      assertTrue(after.entries().stream().anyMatch(e -> e.mid() == second.mid() && e.recalled()), "recalled");

      SearchReply found = await(ask(vertx, Addresses.ROUTER_SEARCH,
          new SearchRequest(2, List.of("hello"), 0, 0, 0, 10)));
      assertEquals(List.of(first.mid()), found.hits().stream().map(SyncEntry::mid).toList());
      assertEquals(firstSeq, found.hits().get(0).seq(), "the recipient's own seq");
      assertEquals(0, found.next(), "every message was read");
      SearchReply gone = await(ask(vertx, Addresses.ROUTER_SEARCH,
          new SearchRequest(2, List.of("again"), 1, 0, 0, 10)));
      assertTrue(gone.hits().isEmpty(), "a recalled message is not found");
      SearchReply notTheirs = await(ask(vertx, Addresses.ROUTER_SEARCH,
          new SearchRequest(5, List.of("hello"), 0, 0, 0, 10)));
      assertTrue(notTheirs.hits().isEmpty(), "nor someone else's");
      assertEquals(ErrorCode.BAD_REQUEST, failure(ask(vertx, Addresses.ROUTER_SEARCH,
          new SearchRequest(2, List.of("hello"), 0, 0, 0, 51))));

      assertEquals(ErrorCode.BLOCKED, failure(ask(vertx, Addresses.ROUTER_SEND, send(1, BLOCKER, "c3", "x"))));
      assertEquals(ErrorCode.NOT_FOUND, failure(ask(vertx, Addresses.ROUTER_SEND, send(1, NOBODY, "c4", "x"))));
      assertEquals(ErrorCode.FORBIDDEN, failure(ask(vertx, Addresses.ROUTER_RECALL,
          new RecallRequest(2, "s2", first.mid()))), "only the sender recalls");
    }
  }
}
