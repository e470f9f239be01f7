package dev.switchboard.bridge;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Bot accounts by username: users of kind {@code bot} (created with {@code POST /api/v1/bots}), cached once found. */
final class Bots {
  private final Pool pool;
  private final Map<String, Long> uids = new ConcurrentHashMap<>();

  Bots(Pool pool) {
    this.pool = pool;
  }

  /** The uid of bot {@code username}; fails {@code not_found} if there is no user of kind bot by that name. */
  Future<Long> uid(String username) {
    Long known = uids.get(username);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return pool.preparedQuery("SELECT id, kind FROM users WHERE username = ?").execute(Tuple.of(username))
        .compose(rows -> {
          Row r = rows.iterator().hasNext() ? rows.iterator().next() : null;
          if (r == null || !"bot".equals(r.getString("kind"))) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no bot named '" + username
                + "': create it with POST /api/v1/bots"));
          }
          uids.put(username, r.getLong("id"));
          return Future.succeededFuture(r.getLong("id"));
        });
  }
}
