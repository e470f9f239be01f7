package dev.switchboard.gateway.ops;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.Contract;
import dev.switchboard.protocol.contract.GroupSyncRequest;
import dev.switchboard.protocol.contract.MembershipsReply;
import dev.switchboard.protocol.contract.MembershipsRequest;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.SyncFrames;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's requests to the verticles behind it: a contract record to an address, its typed reply back, failed
 * after the gateway's {@code requestTimeoutMs}. Called on an event loop; a failure is the event bus's (a reply failed
 * with an error code, no handler, a timeout), which {@code ImException.of} maps for the client.
 */
public final class Asks {
  private final EventBus bus;
  /** Requests whose body is a contract record: its own default codec, the gateway's timeout. */
  private final DeliveryOptions options;

  public Asks(EventBus bus, long requestTimeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
  }

  /** Asks {@code address} with a contract record; completes with the reply record. */
  public <R> Future<R> ask(String address, Contract request) {
    return bus.<R>request(address, request, options).map(m -> m.body());
  }

  /** The user's groups and their latest seqs, {@code {"<gid>": seq}}. */
  public Future<JsonObject> memberships(long uid) {
    return this.<MembershipsReply>ask(Addresses.GROUP_MEMBERSHIPS, new MembershipsRequest(uid)).map(r -> {
      JsonObject groups = new JsonObject();
      r.heads().forEach((gid, seq) -> groups.put(Long.toString(gid), seq));
      return groups;
    });
  }

  /**
   * One page ({@link Sync#DEFAULT_LIMIT} entries) of a group's timeline after {@code after}, for a member; entries go
   * out with {@link SyncFrames#entry}. Stored bodies travel as their text and are spliced into frames, never parsed.
   */
  public Future<SyncPage> groupPage(long uid, long gid, long after) {
    return ask(Addresses.GROUP_SYNC, new GroupSyncRequest(uid, gid, after, Sync.DEFAULT_LIMIT));
  }
}
