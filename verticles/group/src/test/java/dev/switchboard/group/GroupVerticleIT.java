package dev.switchboard.group;

import static dev.switchboard.shared.testing.BusAsks.ask;
import static dev.switchboard.shared.testing.BusAsks.await;
import static dev.switchboard.shared.testing.BusAsks.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.launch.Services;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.contract.ContractCodec;
import dev.switchboard.protocol.contract.GroupCommand;
import dev.switchboard.protocol.contract.GroupCommandReply;
import dev.switchboard.protocol.contract.GroupReadRequest;
import dev.switchboard.protocol.contract.GroupRecallRequest;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.protocol.contract.GroupSyncRequest;
import dev.switchboard.protocol.contract.MembershipsReply;
import dev.switchboard.protocol.contract.MembershipsRequest;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.protocol.contract.ReadReply;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.protocol.contract.SearchRequest;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
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
 * The group verticle alone on a real event bus, against its own tables on both backends (H2 file database and
 * MariaDB, migrated with the group schema only; state in-process or Redis), with the API played by a consumer that
 * answers {@link PeerCheck} with {@link PeerFacts}: users 1..9 exist, 7 and 8 accept nobody's adds and the others
 * anyone's, user 99 does not exist.
 */
@ExtendWith(VertxExtension.class)
class GroupVerticleIT {
  private static final long NOBODY = 99;
  private static final long SHY = 7;
  private static final long SHIER = 8;

  private static Future<JsonObject> manage(Vertx vertx, GroupCommand command) {
    return ask(vertx, Addresses.GROUP_MANAGE, command)
        .map(r -> new JsonObject(new String(((GroupCommandReply) r).json(), StandardCharsets.UTF_8)));
  }

  private static GroupSendRequest send(long from, long gid, String cid) {
    return new GroupSendRequest(from, "s" + from, cid, gid, "text",
        new JsonObject().put("text", cid).encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Storage of its own on {@code backend}, migrated with the group schema, the API's stand-in and the group verticle
   * deployed on it. Users 7 and 8 take adds from nobody (they get invitations).
   */
  private static Backend.Storage deploy(Backend backend, Vertx vertx) throws Exception {
    Backend.Storage storage = backend.open(vertx);
    try {
      DbConfig db = DbConfig.from(storage.config().getJsonObject("db"));
      await(vertx.executeBlocking(() -> SchemaMigrations.apply(db, List.of(GroupVerticle.SCHEMA))));
      ContractCodec.register(vertx.eventBus());
      vertx.eventBus().<PeerCheck>consumer(Addresses.API_PEERS, m -> {
        List<Integer> flags = new ArrayList<>();
        List<Integer> groupAdd = new ArrayList<>();
        for (long to : m.body().to()) {
          flags.add(to == NOBODY ? 0 : PeerCheck.EXISTS | PeerCheck.CONTACT);
          groupAdd.add((to == SHY || to == SHIER ? GroupAdd.NOBODY : GroupAdd.EVERYONE).code());
        }
        m.reply(new PeerFacts(flags, (m.body().facts() & PeerCheck.GROUP_ADD) != 0 ? groupAdd : List.of()));
      });
      Services services = new Services(vertx, Database.pool(vertx, db), Dialect.of(db),
          LocalStateStore.shared(vertx, "verticle-it-" + UUID.randomUUID() + ":"), null, 1);
      await(vertx.deployVerticle(new GroupVerticle(services), new DeploymentOptions()));
    } catch (Exception e) {
      storage.close();
      throw e;
    }
    return storage;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void createsSendsSyncsRecallsOnItsOwnTables(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = deploy(backend, vertx)) {
      JsonObject created = await(manage(vertx, GroupCommand.create(1, "team", List.of(2L, 3L))));
      long gid = created.getLong("gid");
      assertEquals("team", created.getString("name"));
      JsonObject info = await(manage(vertx, GroupCommand.of(GroupCommand.INFO, 2, gid)));
      assertEquals("team", info.getString("name"), info.encode());
      JsonObject second = await(manage(vertx, GroupCommand.create(1, "other", List.of(2L))));
      assertTrue(second.getLong("gid") > gid, "generated keys grow");

      SendReply sent = await(ask(vertx, Addresses.GROUP_SEND, send(2, gid, "c1")));
      assertEquals(gid, sent.group());
      SendReply again = await(ask(vertx, Addresses.GROUP_SEND, send(2, gid, "c1")));
      assertEquals(sent.mid(), again.mid(), "a repeated cid is the same message");
      SyncPage page = await(ask(vertx, Addresses.GROUP_SYNC, new GroupSyncRequest(3, gid, 0, 50)));
      SyncEntry last = page.entries().get(page.entries().size() - 1);
      assertEquals(sent.mid(), last.mid(), "the message follows the creation event");
      assertEquals(sent.seq(), last.seq());
      MembershipsReply heads = await(ask(vertx, Addresses.GROUP_MEMBERSHIPS, new MembershipsRequest(3)));
      assertEquals(sent.seq(), heads.heads().get(gid), heads.heads().toString());

      SearchReply found = await(ask(vertx, Addresses.GROUP_SEARCH, new SearchRequest(3, List.of("c1"), 0, 0, 0, 10)));
      assertEquals(List.of(sent.mid()), found.hits().stream().map(SyncEntry::mid).toList());
      assertEquals(List.of(gid, sent.seq()), List.of(found.hits().get(0).group(), found.hits().get(0).seq()));
      assertEquals(1, ((SearchReply) await(ask(vertx, Addresses.GROUP_SEARCH,
          new SearchRequest(3, List.of("c1"), 0, gid, 0, 10)))).hits().size(), "in that group");
      assertTrue(((SearchReply) await(ask(vertx, Addresses.GROUP_SEARCH,
          new SearchRequest(2, List.of("c1"), 0, second.getLong("gid"), 0, 10)))).hits().isEmpty(),
          "not in another group of the sender's");
      assertEquals(ErrorCode.NOT_MEMBER, failure(ask(vertx, Addresses.GROUP_SEARCH,
          new SearchRequest(3, List.of("c1"), 0, second.getLong("gid"), 0, 10))), "nor in one 3 is not in");
      assertEquals(ErrorCode.NOT_MEMBER, failure(ask(vertx, Addresses.GROUP_SEARCH,
          new SearchRequest(3, List.of("c1"), 0, 987_654, 0, 10))));
      assertTrue(((SearchReply) await(ask(vertx, Addresses.GROUP_SEARCH,
          new SearchRequest(5, List.of("c1"), 0, 0, 0, 10)))).hits().isEmpty(), "a non-member finds nothing");

      RecallReply recalled = await(ask(vertx, Addresses.GROUP_RECALL,
          new GroupRecallRequest(2, "s2", gid, sent.mid())));
      assertEquals(sent.mid(), recalled.mid());
      assertEquals(sent.seq() + 1, recalled.seq(), "the recall takes the next seq");
      assertTrue(((SearchReply) await(ask(vertx, Addresses.GROUP_SEARCH,
          new SearchRequest(3, List.of("c1"), 0, 0, 0, 10)))).hits().isEmpty(), "recalled: not found");

      await(manage(vertx, GroupCommand.add(1, gid, List.of(4L))));
      JsonObject members = await(manage(vertx, GroupCommand.members(1, gid, 0, 10)));
      assertEquals(4, members.getJsonArray("members").size(), members.encode());

      assertEquals(ErrorCode.NOT_MEMBER, failure(ask(vertx, Addresses.GROUP_SEND, send(5, gid, "c2"))));
      assertEquals(ErrorCode.NOT_FOUND, failure(manage(vertx, GroupCommand.create(1, "x", List.of(NOBODY)))));
      assertEquals(ErrorCode.UNKNOWN_OP, failure(manage(vertx, GroupCommand.of("nonsense", 1, gid))));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void changesMembershipAndInvitations(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = deploy(backend, vertx)) {
      JsonObject created = await(manage(vertx, GroupCommand.create(1, "club", List.of(2L, 3L, SHY, SHIER))));
      long gid = created.getLong("gid");
      assertEquals(List.of(SHY, SHIER), created.getJsonArray("invited").stream().map(u -> ((Number) u).longValue())
          .toList(), created.encode());
      assertEquals(gid, await(manage(vertx, GroupCommand.of(GroupCommand.EXISTS, 1, gid))).getLong("gid"));

      JsonObject pending = await(manage(vertx, GroupCommand.of(GroupCommand.INVITATIONS, SHIER, 0)));
      JsonObject invitation = pending.getJsonArray("invitations").getJsonObject(0);
      assertEquals(gid, invitation.getLong("gid"), pending.encode());
      assertEquals(1L, invitation.getLong("by"));
      await(manage(vertx, GroupCommand.of(GroupCommand.DECLINE, SHY, gid)));
      assertEquals(ErrorCode.NOT_FOUND, failure(manage(vertx, GroupCommand.of(GroupCommand.DECLINE, SHY, gid))));
      assertTrue(await(manage(vertx, GroupCommand.of(GroupCommand.INVITATIONS, SHY, 0)))
          .getJsonArray("invitations").isEmpty());
      assertTrue(await(manage(vertx, GroupCommand.of(GroupCommand.ACCEPT, SHIER, gid))).getLong("seq") > 0);
      assertEquals(4, await(manage(vertx, GroupCommand.members(1, gid, 0, 10))).getJsonArray("members").size());

      await(manage(vertx, GroupCommand.rename(1, gid, "club2")));
      await(manage(vertx, GroupCommand.admin(1, gid, 2, true)));
      JsonObject info = await(manage(vertx, GroupCommand.of(GroupCommand.INFO, 2, gid)));
      assertEquals("club2", info.getString("name"), info.encode());
      assertEquals("admin", info.getString("role"));
      await(manage(vertx, GroupCommand.mute(2, gid, 3, true)));
      assertEquals(ErrorCode.MUTED, failure(ask(vertx, Addresses.GROUP_SEND, send(3, gid, "m1"))));
      assertEquals(ErrorCode.FORBIDDEN, failure(manage(vertx, GroupCommand.mute(2, gid, 1, true))));
      await(manage(vertx, GroupCommand.muteAll(1, gid, true)));
      assertEquals(ErrorCode.MUTED, failure(ask(vertx, Addresses.GROUP_SEND, send(SHIER, gid, "m2"))));
      SendReply sent = await(ask(vertx, Addresses.GROUP_SEND, send(2, gid, "m3")));

      ReadReply read = await(ask(vertx, Addresses.GROUP_READ, new GroupReadRequest(2, gid, sent.seq())));
      assertEquals(0, read.unread());
      JsonObject mine = await(manage(vertx, GroupCommand.of(GroupCommand.MINE, 2, 0)));
      assertEquals(gid, mine.getJsonArray("groups").getJsonObject(0).getLong("gid"), mine.encode());
      assertEquals(0, mine.getJsonArray("groups").getJsonObject(0).getLong("unread"));
      JsonObject history = await(manage(vertx, GroupCommand.history(SHIER, gid, 0, 2)));
      assertEquals(Long.toString(sent.mid()), history.getJsonArray("messages").getJsonObject(0).getString("mid"),
          history.encode());
      assertTrue(history.getBoolean("more"));

      await(manage(vertx, GroupCommand.remove(1, gid, SHIER)));
      await(manage(vertx, GroupCommand.of(GroupCommand.LEAVE, 3, gid)));
      assertEquals(ErrorCode.FORBIDDEN, failure(manage(vertx, GroupCommand.of(GroupCommand.LEAVE, 1, gid))));
      assertEquals(2, await(manage(vertx, GroupCommand.members(1, gid, 0, 10))).getJsonArray("members").size());
      await(manage(vertx, GroupCommand.of(GroupCommand.DISSOLVE, 1, gid)));
      assertEquals(ErrorCode.NOT_FOUND, failure(manage(vertx, GroupCommand.of(GroupCommand.EXISTS, 1, gid))));
      assertEquals(ErrorCode.NOT_MEMBER, failure(manage(vertx, GroupCommand.of(GroupCommand.INFO, 2, gid))));
    }
  }
}
