package dev.switchboard.group;

import dev.switchboard.group.membership.Groups;
import dev.switchboard.group.timeline.GroupHeads;
import dev.switchboard.group.timeline.GroupReads;
import dev.switchboard.group.timeline.GroupRecall;
import dev.switchboard.group.timeline.GroupSends;
import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.contract.ContractCodec;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.config.GroupConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.contract.ContractCodec;
import dev.switchboard.shared.frame.OutFrameCodec;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The group verticle: group sends, management, timeline reads and recall on {@code im.group.*} (point-to-point, so
 * the bus balances them across instances on every node). Stateless apart from the batch a send waits in.
 */
public final class GroupVerticle extends VerticleBase {
  /** The tables this verticle owns (im_groups, group_members, group_messages, group_invitations): migrations in db/group/. */
  public static final Schema SCHEMA = new Schema("group");

  /** Group messages published to group addresses by this JVM (one per stored message, whatever the members). */
  public static final AtomicLong PUBLISHED = new AtomicLong();

  private Pool pool;
  private StateStore state;
  private List<MessageConsumer<?>> consumers;

  @Override
  public Future<?> start() {
    GroupConfig config = GroupConfig.from(config());
    JsonObject storage = config().getJsonObject("storage", new JsonObject());
    OutFrameCodec.register(vertx.eventBus());
    ContractCodec.register(vertx.eventBus());
    DbConfig db = DbConfig.from(storage.getJsonObject("db"));
    pool = Database.pool(vertx, db);
    Dialect dialect = Dialect.of(db);
    state = StateStore.create(vertx, StateConfig.from(storage.getJsonObject("state")));
    MidGenerator mids = MidGenerator.forNode(config().getInteger("nodeId", 0));
    EventBus bus = vertx.eventBus();
    GroupSends sends = new GroupSends(vertx, pool, dialect, mids, config, PUBLISHED);
    GroupReads reads = new GroupReads(pool, config.syncPageMax());
    GroupHeads heads = new GroupHeads(pool);
    GroupRecall recall = new GroupRecall(pool, dialect, bus, mids, config.recallWindowMs());
    Groups groups = new Groups(pool, dialect, bus, mids, config);
    consumers = List.<MessageConsumer<?>>of(
        bus.consumer(Addresses.GROUP_SEND, sends::handle),
        bus.consumer(Addresses.GROUP_MANAGE, groups::handle),
        bus.consumer(Addresses.GROUP_SYNC, reads::sync),
        bus.consumer(Addresses.GROUP_READ, heads::read),
        bus.consumer(Addresses.GROUP_MEMBERSHIPS, heads::memberships),
        bus.consumer(Addresses.GROUP_RECALL, recall::handle));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .eventually(() -> Future.all(pool.close(), state.close()));
  }
}
