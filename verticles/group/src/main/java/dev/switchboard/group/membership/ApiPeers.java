package dev.switchboard.group.membership;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.List;

/**
 * Asks the API ({@code im.api.peers}) what a group command needs to know about the users it names: whether they
 * exist, whom they blocked, whose contacts they are, their {@code groupAdd} setting. The API owns those tables; one ask
 * per command, made before the command's transaction so no group row stays locked while it is answered. Fails
 * {@code unavailable} (through {@code ImException.of}) when no API answers within {@code timeoutMs}.
 */
final class ApiPeers {
  private final EventBus bus;
  private final DeliveryOptions options;

  ApiPeers(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** The {@code facts} of each pair {@code (from[i], to[i])}, in order; no ask for no pairs. */
  Future<PeerFacts> ask(List<Long> from, List<Long> to, int facts) {
    if (from.isEmpty()) {
      return Future.succeededFuture(new PeerFacts(List.of(), List.of()));
    }
    return bus.<PeerFacts>request(Addresses.API_PEERS, new PeerCheck(from, to, facts), options).map(Message::body);
  }
}
