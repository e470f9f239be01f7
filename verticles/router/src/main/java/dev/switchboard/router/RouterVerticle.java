package dev.switchboard.router;

import dev.switchboard.router.inbox.Conversations;
import dev.switchboard.router.inbox.Recall;
import dev.switchboard.router.inbox.Receipts;
import dev.switchboard.router.inbox.Sync;
import dev.switchboard.router.sending.Sends;
import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.contract.ContractCodec;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.config.RouterConfig;
import dev.switchboard.shared.contract.ContractCodec;
import dev.switchboard.shared.frame.OutFrameCodec;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.Schema;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * The one-to-one router: sends, sync, receipts, recall and conversation reads on {@code im.router.*}
 * (point-to-point, so the bus balances them across every router instance on every node). Stateless apart from the
 * batch a send waits in; any instance serves any user.
 */
public final class RouterVerticle extends VerticleBase {
  /** The tables this verticle owns (messages, inbox, inbox_seq, device_cursors, conversations): migrations in db/router/. */
  public static final Schema SCHEMA = new Schema("router");

  private Pool pool;
  private List<MessageConsumer<?>> consumers;

  @Override
  public Future<?> start() {
    RouterConfig config = RouterConfig.from(config());
    JsonObject storage = config().getJsonObject("storage", new JsonObject());
    OutFrameCodec.register(vertx.eventBus());
    ContractCodec.register(vertx.eventBus());
    DbConfig db = DbConfig.from(storage.getJsonObject("db"));
    pool = Database.pool(vertx, db);
    Dialect dialect = Dialect.of(db);
    MidGenerator mids = MidGenerator.forNode(config().getInteger("nodeId", 0));
    EventBus bus = vertx.eventBus();
    Sends sends = new Sends(vertx, pool, dialect, mids, config);
    Sync sync = new Sync(pool, config.syncPageMax());
    Receipts receipts = new Receipts(pool, dialect, bus);
    Recall recall = new Recall(pool, dialect, bus, config.recallWindowMs());
    consumers = List.<MessageConsumer<?>>of(
        bus.consumer(Addresses.ROUTER_SEND, sends::handle),
        bus.consumer(Addresses.ROUTER_SYNC, sync::handle),
        bus.consumer(Addresses.ROUTER_RECV, receipts::recv),
        bus.consumer(Addresses.ROUTER_READ, receipts::read),
        bus.consumer(Addresses.ROUTER_RECALL, recall::handle),
        bus.consumer(Addresses.ROUTER_CONVERSATIONS, new Conversations(pool)::handle));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .eventually(pool::close);
  }
}
