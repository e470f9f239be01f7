package dev.switchboard.router;

import dev.switchboard.launch.Services.Need;
import dev.switchboard.launch.Services;
import dev.switchboard.launch.VerticleKind;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.router.inbox.Conversations;
import dev.switchboard.router.inbox.Edits;
import dev.switchboard.router.inbox.Reactions;
import dev.switchboard.router.inbox.Recall;
import dev.switchboard.router.inbox.Receipts;
import dev.switchboard.router.inbox.Search;
import dev.switchboard.router.inbox.Sync;
import dev.switchboard.router.inbox.UserMessages;
import dev.switchboard.router.sending.SendEvents;
import dev.switchboard.router.sending.Sends;
import dev.switchboard.router.store.ConversationStore;
import dev.switchboard.router.store.InboxStore;
import dev.switchboard.router.store.InboxUpkeepStore;
import dev.switchboard.router.store.SqlConversationStore;
import dev.switchboard.router.store.SqlInboxStore;
import dev.switchboard.router.store.SqlInboxUpkeepStore;
import dev.switchboard.router.store.SqlMessageSearchStore;
import dev.switchboard.router.store.SqlSendStore;
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

/**
 * The one-to-one router: sends, sync, receipts, recall, conversation reads and search on {@code im.router.*}
 * (point-to-point, so the bus balances them across every router instance on every node). Stateless apart from the
 * batch a send waits in; any instance serves any user.
 */
public final class RouterVerticle extends VerticleBase {
  /** The tables this verticle owns (messages, inbox, inbox_seq, device_cursors, conversations): migrations in db/router/. */
  public static final Schema SCHEMA = new Schema("router");

  /**
   * How the launcher deploys it. The router runs on the pool (its tables), mints message ids, and takes the retention
   * job's lock in shared state.
   */
  public static final VerticleKind KIND =
      VerticleKind.owning(SCHEMA, RouterVerticle::new, Need.POOL, Need.IDS, Need.STATE);

  private final Services services;
  private List<MessageConsumer<?>> consumers;
  private RetentionJob retention;
  private BeforeSendHook hook;

  /** A router on the launcher's {@code services} (it declares the pool and the id generator). */
  public RouterVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    RouterConfig config = RouterConfig.from(config());
    MidGenerator mids = services.ids();
    EventBus bus = vertx.eventBus();
    InboxStore inbox = new SqlInboxStore(services.pool(), services.dialect());
    ConversationStore conversations = new SqlConversationStore(services.pool(), services.dialect());
    HooksConfig hooks = HooksConfig.from(config().getJsonObject("hooks"));
    HooksConfig.BeforeSend before = hooks.beforeSend("direct");
    hook = before == null ? null : new BeforeSendHook(vertx, before, config.maxBodyBytes());
    SendEvents events = hooks.anyEvents() ? new SendEvents(new HookEmitter(vertx, hooks),
        new OfflineCheck(services.state()), conversations) : null;
    Sends sends = new Sends(vertx, new SqlSendStore(services.pool(), services.dialect()), mids, config, hook, events);
    Sync sync = new Sync(inbox, config.syncPageMax());
    Receipts receipts = new Receipts(inbox, conversations, bus, UserBus.of(vertx));
    Recall recall = new Recall(inbox, bus, UserBus.of(vertx), config.recallWindowMs());
    InboxUpkeepStore upkeep = new SqlInboxUpkeepStore(services.pool());
    EditsConfig edits = EditsConfig.from(config());
    Edits editing = new Edits(inbox, UserBus.of(vertx), new SendLimits(config.maxBodyBytes()), edits, hook);
    Reactions reactions = new Reactions(inbox, UserBus.of(vertx), edits);
    consumers = List.<MessageConsumer<?>>of(
        bus.consumer(Addresses.ROUTER_SEND, sends::handle),
        bus.consumer(Addresses.ROUTER_SYNC, sync::handle),
        bus.consumer(Addresses.ROUTER_RECV, receipts::recv),
        bus.consumer(Addresses.ROUTER_READ, receipts::read),
        bus.consumer(Addresses.ROUTER_RECALL, recall::handle),
        bus.consumer(Addresses.ROUTER_EDIT, editing::handle),
        bus.consumer(Addresses.ROUTER_VERSIONS, editing::versions),
        bus.consumer(Addresses.ROUTER_REACT, reactions::handle),
        bus.consumer(Addresses.ROUTER_CONVERSATIONS, new Conversations(conversations)::handle),
        bus.consumer(Addresses.ROUTER_USER_MESSAGES, new UserMessages(upkeep)::handle),
        bus.consumer(Addresses.ROUTER_SEARCH,
            new Search(new SqlMessageSearchStore(services.pool(), services.dialect()))::handle));
    if (config.retention().days() > 0) {
      long keepMs = config.retention().days() * 86_400_000L;
      retention = new RetentionJob(vertx, services.state(), "router", config.retention(),
          batch -> upkeep.deleteBefore(MidGenerator.firstAt(System.currentTimeMillis() - keepMs), batch));
      retention.start();
    }
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    if (retention != null) {
      retention.stop();
    }
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .eventually(() -> hook == null ? Future.succeededFuture() : hook.close());
  }
}
