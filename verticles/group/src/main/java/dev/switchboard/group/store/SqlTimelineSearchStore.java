package dev.switchboard.group.store;

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
 * {@link TimelineSearchStore} on {@code group_messages} joined with the user's {@code group_members} rows and their
 * {@code im_groups}: the FULLTEXT index {@code ft_group_messages_body} on MySQL and MariaDB (group V5), a scan of the
 * user's groups' messages newest first on H2 ({@link Dialect#wordsMatch}).
 */
public final class SqlTimelineSearchStore implements TimelineSearchStore {
  private static final String MEMBER = "SELECT m.joined_seq FROM group_members m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0";
  private static final String SEARCH = "SELECT t.gid, t.seq, t.mid, t.sender, t.cid, t.type, t.body, t.ts "
      + "FROM group_members m JOIN im_groups g ON g.gid = m.gid JOIN group_messages t ON t.gid = m.gid "
      + "WHERE m.uid = ? AND g.dissolved = 0 AND t.seq > m.joined_seq AND t.kind = 0 AND t.recalled = 0 "
      + "AND t.mid < ? AND ";
  private static final String ONE_GROUP = " AND m.gid = ?";

  private final Pool pool;
  private final Dialect dialect;

  public SqlTimelineSearchStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<List<SyncEntry>> candidates(long uid, long gid, List<String> terms, long before, int limit) {
    if (gid == 0) {
      return search(uid, 0, terms, before, limit);
    }
    return pool.preparedQuery(MEMBER).execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Failures.notMember(gid))
            : search(uid, gid, terms, before, limit));
  }

  private Future<List<SyncEntry>> search(long uid, long gid, List<String> terms, long before, int limit) {
    Dialect.Condition match = dialect.wordsMatch("t.body", terms);
    Tuple args = Tuple.of(uid, before);
    match.params().forEach(args::addValue);
    if (gid != 0) {
      args.addLong(gid);
    }
    args.addInteger(limit);
    return pool.preparedQuery(SEARCH + match.sql() + (gid == 0 ? "" : ONE_GROUP) + " ORDER BY t.mid DESC LIMIT ?")
        .execute(args)
        .map(rows -> {
          List<SyncEntry> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            String body = r.getString("body");
            out.add(SyncEntry.groupMessage(r.getLong("mid"), r.getString("cid"), r.getLong("sender"),
                r.getLong("gid"), r.getLong("seq"), r.getLong("ts"), r.getString("type"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), false));
          }
          return out;
        });
  }
}
