package dev.switchboard.group;

import dev.switchboard.group.membership.Groups;
import dev.switchboard.group.store.SqlGroupStore;
import dev.switchboard.group.store.SqlInvitationStore;
import dev.switchboard.group.store.SqlTimelineSearchStore;
import dev.switchboard.group.store.SqlTimelineStore;
import dev.switchboard.group.store.SqlTimelineUpkeepStore;
import dev.switchboard.group.store.TimelineUpkeepStore;
import dev.switchboard.group.timeline.GroupEdits;
import dev.switchboard.group.timeline.GroupHeads;
import dev.switchboard.group.timeline.GroupMessageEvents;
import dev.switchboard.group.timeline.GroupReads;
import dev.switchboard.group.timeline.GroupRecall;
import dev.switchboard.group.timeline.GroupSearch;
import dev.switchboard.group.timeline.GroupSends;
import dev.switchboard.group.timeline.MentionAll;
import dev.switchboard.group.upkeep.Upkeep;
import dev.switchboard.launch.Services.Need;
import dev.switchboard.launch.Services;
import dev.switchboard.launch.VerticleKind;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.shared.config.EditsConfig;
import dev.switchboard.shared.config.HooksConfig;
import dev.switchboard.shared.hooks.BeforeSendHook;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.hooks.OfflineCheck;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.RetentionJob;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.store.SendLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The group verticle: group sends, management, timeline reads, recall and search on {@code im.group.*} (point-to-point, so
 * the bus balances them across instances on every node). Stateless apart from the batch a send waits in.
 */
public final class GroupVerticle extends VerticleBase {
  /** The tables this verticle owns (im_groups, group_members, group_messages, group_invitations): migrations in db/group/. */
  public static final Schema SCHEMA = new Schema("group");

  /**
   * How the launcher deploys it. The group verticle runs on the pool (its tables), mints message ids, and takes the
   * retention job's lock in shared state.
   */
  public static final VerticleKind KIND =
      VerticleKind.owning(SCHEMA, GroupVerticle::new, Need.POOL, Need.IDS, Need.STATE);

  /** Group messages published to group addresses by this JVM (one per stored message, whatever the members). */
  public static final AtomicLong PUBLISHED = new AtomicLong();

  private final Services services;
  private List<MessageConsumer<?>> consumers;
  private RetentionJob retention;
  private BeforeSendHook hook;

  /** A group verticle on the launcher's {@code services} (it declares the pool and the id generator). */
  public GroupVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    GroupConfig config = GroupConfig.from(config());
    MidGenerator mids = services.ids();
    EventBus bus = vertx.eventBus();
    SqlTimelineStore timeline = new SqlTimelineStore(services.pool(), services.dialect());
    SqlInvitationStore invitations = new SqlInvitationStore(services.pool(), services.dialect(),
        config.maxInvitations());
    SqlGroupStore groupStore = new SqlGroupStore(services.pool(), services.dialect(), timeline, invitations);
    HooksConfig hooks = HooksConfig.from(config().getJsonObject("hooks"));
    HooksConfig.BeforeSend before = hooks.beforeSend("group");
    hook = before == null ? null : new BeforeSendHook(vertx, before, config.maxBodyBytes());
    HookEmitter emitter = hooks.anyEvents() ? new HookEmitter(vertx, hooks) : null;
    GroupSends sends = new GroupSends(vertx, timeline, mids, config, PUBLISHED, hook,
        emitter == null ? null : new GroupMessageEvents(emitter, new OfflineCheck(services.state()), timeline),
        MentionAll.from(config().getString("mentionAll")));
    GroupReads reads = new GroupReads(timeline, config.syncPageMax());
    GroupHeads heads = new GroupHeads(timeline);
    GroupRecall recall = new GroupRecall(timeline, bus, mids, config.recallWindowMs());
    GroupEdits edits = new GroupEdits(timeline, bus, mids, new SendLimits(config.maxBodyBytes()),
        EditsConfig.from(config()), hook);
    Groups groups = new Groups(groupStore, timeline, invitations, bus, UserBus.of(vertx), mids, config, emitter);
    TimelineUpkeepStore upkeepStore = new SqlTimelineUpkeepStore(services.pool());
    Upkeep upkeep = new Upkeep(upkeepStore);
    consumers = List.<MessageConsumer<?>>of(
        bus.consumer(Addresses.GROUP_SEND, sends::handle),
        bus.consumer(Addresses.GROUP_MANAGE, groups::handle),
        bus.consumer(Addresses.GROUP_SYNC, reads::sync),
        bus.consumer(Addresses.GROUP_READ, heads::read),
        bus.consumer(Addresses.GROUP_MEMBERSHIPS, heads::memberships),
        bus.consumer(Addresses.GROUP_RECALL, recall::handle),
        bus.consumer(Addresses.GROUP_EDIT, edits::edit),
        bus.consumer(Addresses.GROUP_REACT, edits::react),
        bus.consumer(Addresses.GROUP_VERSIONS, edits::versions),
        bus.consumer(Addresses.GROUP_USER_MESSAGES, upkeep::userMessages),
        bus.consumer(Addresses.GROUP_RETENTION, upkeep::retention),
        bus.consumer(Addresses.GROUP_SEARCH,
            new GroupSearch(new SqlTimelineSearchStore(services.pool(), services.dialect()))::handle));
    // Runs whether or not a global limit is set: a group may have its own.
    retention = new RetentionJob(vertx, services.state(), "group", config.retention(),
        batch -> upkeepStore.deleteExpired(config.retention().days(), batch));
    retention.start();
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    retention.stop();
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .eventually(() -> hook == null ? Future.succeededFuture() : hook.close());
  }
}
