package dev.switchboard.launch;

import dev.switchboard.protocol.frame.OutFrameCodec;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * What the launcher builds once per process and hands to every verticle it deploys (each instance of each verticle
 * gets the same one): the SQL pool, the shared-state store, the token service and the id generator, with the event-bus
 * codecs registered. Only the services some deployed verticle declares ({@link VerticleKind#needs()}) are built;
 * asking for another is a bug in that verticle's declaration and fails at once, naming the missing {@link Need}.
 *
 * <p>One {@link Pool} serves every instance on every event loop: a Vert.x SQL pool may be shared by several verticles
 * and instances as long as it is created outside them (Vert.x 5 SQL client, "Pool sharing"); the launcher makes it,
 * so undeploying a verticle does not close it, and {@link Node#stop()} closes it after the verticles are gone.
 */
public final class Services {
  /** A service a verticle can ask the launcher for. */
  public enum Need {
    /** The SQL pool on {@code storage.db}; every verticle that owns tables has it. */
    POOL,
    /** The shared-state store on {@code storage.state} (local or Redis). */
    STATE,
    /** The token service on {@code auth} (issuing and verifying); implies {@link #STATE} (revocations live there). */
    TOKENS,
    /**
     * The node id the launcher leased for this process and the message-id generator on it; implies {@link #STATE}
     * (node ids are leased there).
     */
    IDS
  }

  private final Pool pool;
  private final Dialect dialect;
  private final StateStore state;
  private final Tokens tokens;
  private final Integer nodeId;
  private final MidGenerator ids;

  /**
   * Services made elsewhere (the launcher, or a module test that builds what its verticle needs); null for a service
   * not built ({@code pool} and {@code dialect} together: the dialect is the pool's database's). Registers the
   * event-bus codecs on {@code vertx}.
   */
  public Services(Vertx vertx, Pool pool, Dialect dialect, StateStore state, Tokens tokens, Integer nodeId) {
    this.pool = pool;
    this.dialect = dialect;
    this.state = state;
    this.tokens = tokens;
    this.nodeId = nodeId;
    this.ids = nodeId == null ? null : MidGenerator.forNode(nodeId);
    OutFrameCodec.register(vertx.eventBus());
  }

  public Pool pool() {
    return need(pool, Need.POOL);
  }

  /** The SQL dialect of {@link #pool()}'s database. */
  public Dialect dialect() {
    return need(dialect, Need.POOL);
  }

  public StateStore state() {
    return need(state, Need.STATE);
  }

  public Tokens tokens() {
    return need(tokens, Need.TOKENS);
  }

  public MidGenerator ids() {
    return need(ids, Need.IDS);
  }

  /** The node id this process leased (presence and stats name a gateway's node by it). */
  public int nodeId() {
    return need(nodeId, Need.IDS);
  }

  /** Whether {@code need} was built (the launcher's tests and the monitor ask). */
  public boolean has(Need need) {
    return switch (need) {
      case POOL -> pool != null;
      case STATE -> state != null;
      case TOKENS -> tokens != null;
      case IDS -> ids != null;
    };
  }

  private static <T> T need(T service, Need need) {
    if (service == null) {
      throw new IllegalStateException("no " + need + " service: the verticle's kind does not declare Need." + need);
    }
    return service;
  }
}
