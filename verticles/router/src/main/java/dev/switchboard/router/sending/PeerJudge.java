package dev.switchboard.router.sending;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.router.store.SendStore;
import dev.switchboard.router.store.SendStore.Judge;
import dev.switchboard.router.store.SendStore.Send;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may message whom, for a batch of one-to-one sends. That is the API's data (accounts, blocks, contacts): one
 * {@link PeerCheck} ask per batch, never per message, sent before the batch's transaction starts so that it runs while
 * the {@link SendStore} takes its connection and looks up duplicates. When the API does not answer (none deployed, or
 * not within {@code askTimeoutMs}) the batch's new sends fail {@code unavailable} (nothing stored; the client retries
 * with the same {@code cid}); duplicates are still answered from the router's own tables.
 */
final class PeerJudge {
  /** A (sender, recipient) pair of the batch, asked about once however many sends it has. */
  private record Pair(long from, long to) {
  }

  private final EventBus bus;
  private final DeliveryOptions askOptions;
  private final int facts;

  PeerJudge(EventBus bus, boolean contactsOnly, long askTimeoutMs) {
    this.bus = bus;
    this.askOptions = new DeliveryOptions().setSendTimeout(askTimeoutMs);
    this.facts = PeerCheck.EXISTS | PeerCheck.BLOCKED | (contactsOnly ? PeerCheck.CONTACT : 0);
  }

  /** Sends the batch's ask now; completes (never fails) with the verdict on its sends once the API has answered. */
  Future<Judge> ask(List<Send> items) {
    Map<Pair, Integer> pairs = new LinkedHashMap<>();
    for (Send it : items) {
      pairs.putIfAbsent(new Pair(it.request().from(), it.request().to()), pairs.size());
    }
    List<Long> from = new ArrayList<>(pairs.size());
    List<Long> to = new ArrayList<>(pairs.size());
    for (Pair p : pairs.keySet()) {
      from.add(p.from());
      to.add(p.to());
    }
    return bus.<PeerFacts>request(Addresses.API_PEERS, new PeerCheck(from, to, facts), askOptions)
        .transform(ar -> Future.succeededFuture(ar.failed() ? unavailable()
            : judge(items, pairs, ar.result().body())));
  }

  /** The verdict when the API did not answer: every send fails {@code unavailable}. */
  private static Judge unavailable() {
    ImException unavailable = new ImException(ErrorCode.UNAVAILABLE,
        "not stored: the API did not say who may message whom; retry with the same cid");
    return i -> unavailable;
  }

  /** Refuses an unknown recipient, a recipient who blocked the sender, and (contacts-only) a non-contact. */
  private Judge judge(List<Send> items, Map<Pair, Integer> pairs, PeerFacts f) {
    return i -> {
      SendRequest r = items.get(i).request();
      int pair = pairs.get(new Pair(r.from(), r.to()));
      if (!f.has(pair, PeerCheck.EXISTS)) {
        return new ImException(ErrorCode.NOT_FOUND, "no user " + r.to());
      } else if (f.has(pair, PeerCheck.BLOCKED)) {
        return new ImException(ErrorCode.BLOCKED, "the recipient does not accept your messages");
      } else if ((facts & PeerCheck.CONTACT) != 0 && !r.toSelf() && !f.has(pair, PeerCheck.CONTACT)) {
        // Persisted pushes and bots' sends too: every path that stores a message from a user to a user.
        return new ImException(ErrorCode.NOT_CONTACT, "only contacts may message each other here");
      }
      return null;
    };
  }
}
