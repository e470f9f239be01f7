package dev.switchboard.bridge;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.protocol.contract.UserLookup;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bot accounts by username: users of kind {@code bot} (created with {@code POST /api/v1/bots}), asked of the API
 * (which owns accounts) over {@code im.api.users}, and cached once found: a bot's uid never changes.
 */
final class Bots {
  private final EventBus bus;
  private final DeliveryOptions options;
  private final Map<String, Long> uids = new ConcurrentHashMap<>();

  Bots(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /**
   * The uid of bot {@code username}; fails {@code not_found} if there is no user of kind bot by that name,
   * {@code unavailable} when no API answers in time.
   */
  Future<Long> uid(String username) {
    Long known = uids.get(username);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return bus.<UserInfo>request(Addresses.API_USERS, new UserLookup(username), options).transform(ar -> {
      UserInfo u = ar.succeeded() ? ar.result().body() : null;
      if (u != null && "bot".equals(u.kind())) {
        uids.put(username, u.uid());
        return Future.succeededFuture(u.uid());
      }
      ImException e = ar.failed() ? ImException.of(ar.cause()) : null;
      return Future.failedFuture(e != null && e.code() != ErrorCode.NOT_FOUND ? e
          : new ImException(ErrorCode.NOT_FOUND, "no bot named '" + username + "': create it with POST /api/v1/bots"));
    });
  }
}
