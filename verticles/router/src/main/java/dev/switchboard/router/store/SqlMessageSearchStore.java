package dev.switchboard.router.store;

import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MessageSearchStore} on {@code messages}: the FULLTEXT index {@code ft_messages_body} on MySQL and MariaDB
 * (router V4), a scan of the user's messages newest first on H2 ({@link Dialect#wordsMatch}).
 */
public final class SqlMessageSearchStore implements MessageSearchStore {
  private static final String COLUMNS = "SELECT mid, cid, sender, recipient, ts, type, body, sender_seq, "
      + "recipient_seq FROM messages WHERE ";
  private static final String ANY_PEER = "(sender = ? OR recipient = ?)";
  private static final String ONE_PEER = "((sender = ? AND recipient = ?) OR (sender = ? AND recipient = ?))";
  private static final String TAIL = " AND recalled = 0 AND mid < ? AND ";

  private final Pool pool;
  private final Dialect dialect;

  public SqlMessageSearchStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<List<SyncEntry>> candidates(long uid, long peer, List<String> terms, long before, int limit) {
    Dialect.Condition match = dialect.wordsMatch("body", terms);
    Tuple args = peer == 0 ? Tuple.of(uid, uid) : Tuple.of(uid, peer, peer, uid);
    args.addLong(before);
    match.params().forEach(args::addValue);
    args.addInteger(limit);
    return pool.preparedQuery(COLUMNS + (peer == 0 ? ANY_PEER : ONE_PEER) + TAIL + match.sql()
            + " ORDER BY mid DESC LIMIT ?")
        .execute(args)
        .map(rows -> {
          List<SyncEntry> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            long sender = r.getLong("sender");
            String body = r.getString("body");
            out.add(SyncEntry.message(r.getLong("mid"), r.getString("cid"), sender, r.getLong("recipient"),
                sender == uid ? r.getLong("sender_seq") : r.getLong("recipient_seq"), r.getLong("ts"),
                r.getString("type"), body == null ? null : body.getBytes(StandardCharsets.UTF_8), false));
          }
          return out;
        });
  }
}
