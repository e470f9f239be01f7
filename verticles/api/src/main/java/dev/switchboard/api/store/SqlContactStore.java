package dev.switchboard.api.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ContactStore} on the relational store (MariaDB/MySQL or H2), through {@code pool}. A contact is two rows of
 * {@code contacts}, (uid, peer) being uid's view of peer, in state {@link #ASKED}, {@link #ASKED_BY} or
 * {@link #CONTACTS}.
 */
public final class SqlContactStore implements ContactStore {
  /** uid asked peer. */
  private static final int ASKED = 0;
  /** peer asked uid. */
  private static final int ASKED_BY = 1;
  /** Accepted (both rows). */
  private static final int CONTACTS = 2;

  private final Pool pool;
  private final Dialect dialect;

  public SqlContactStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Boolean> request(long uid, long peer, String message) {
    return pool.preparedQuery("SELECT u.id, (SELECT COUNT(*) FROM blocks b WHERE b.owner = u.id AND b.blocked = ?) "
            + "AS blocked FROM users u WHERE u.id = ?").execute(Tuple.of(uid, peer))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + peer));
          }
          if (rows.iterator().next().getLong("blocked") > 0) {
            return Future.failedFuture(new ImException(ErrorCode.BLOCKED, "this user does not accept your requests"));
          }
          return ask(uid, peer, message);
        });
  }

  /**
   * In one transaction: records {@code uid}'s request to {@code peer}, or accepts theirs; true when they are contacts
   * now. Both users' rows are locked first, in uid order, so two users asking each other at the same instant are
   * serialized: the second sees the first's request and makes them contacts (the pair's contact rows may not exist
   * yet, so they cannot be the lock).
   */
  private Future<Boolean> ask(long uid, long peer, String message) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT id FROM users WHERE id IN (?, ?) ORDER BY id "
        + "FOR UPDATE").execute(Tuple.of(uid, peer)).compose(locked -> state(conn, uid, peer)).compose(state -> {
      if (state != null && state == CONTACTS) {
        return Future.failedFuture(new ImException(ErrorCode.CONFLICT, "you are contacts already"));
      }
      int next = state != null && state == ASKED_BY ? CONTACTS : ASKED;
      return set(conn, uid, peer, next, message).map(v -> next == CONTACTS);
    }));
  }

  @Override
  public Future<Void> accept(long uid, long peer) {
    return answer(uid, peer, true);
  }

  @Override
  public Future<Void> reject(long uid, long peer) {
    return answer(uid, peer, false);
  }

  private Future<Void> answer(long uid, long peer, boolean accept) {
    return pool.withTransaction(conn -> state(conn, uid, peer).compose(state -> {
      if (state == null || state != ASKED_BY) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no request from user " + peer));
      }
      return accept ? set(conn, uid, peer, CONTACTS, null) : drop(conn, uid, peer);
    }));
  }

  @Override
  public Future<Boolean> remove(long uid, long peer) {
    return pool.withTransaction(conn -> state(conn, uid, peer).compose(state -> {
      if (state == null || state == ASKED_BY) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "user " + peer + " is not a contact"));
      }
      return drop(conn, uid, peer).map(v -> state == CONTACTS);
    }));
  }

  private static Future<Integer> state(SqlConnection conn, long uid, long peer) {
    return conn.preparedQuery("SELECT state FROM contacts WHERE uid = ? AND peer = ? FOR UPDATE")
        .execute(Tuple.of(uid, peer)).map(rows -> {
          for (Row r : rows) {
            return r.getInteger("state");
          }
          return null;
        });
  }

  /** Both rows of the pair: {@code uid}'s in {@code state}, {@code peer}'s in the matching one. */
  private Future<Void> set(SqlConnection conn, long uid, long peer, int state, String message) {
    long now = System.currentTimeMillis();
    return conn.preparedQuery("INSERT INTO contacts (uid, peer, state, message, updated_at) VALUES (?, ?, ?, ?, ?), "
            + "(?, ?, ?, ?, ?)"
            + dialect.onDuplicateKey(dialect.overwrite("state", "message", "updated_at")))
        .execute(Tuple.from(List.of(uid, peer, state, message == null ? "" : message, now, peer, uid,
            state == CONTACTS ? CONTACTS : ASKED_BY, message == null ? "" : message, now))).mapEmpty();
  }

  private static Future<Void> drop(SqlConnection conn, long uid, long peer) {
    return conn.preparedQuery("DELETE FROM contacts WHERE (uid = ? AND peer = ?) OR (uid = ? AND peer = ?)")
        .execute(Tuple.of(uid, peer, peer, uid)).mapEmpty();
  }

  @Override
  public Future<List<Request>> requests(long uid) {
    return pool.preparedQuery("SELECT peer, state, message, updated_at FROM contacts WHERE uid = ? AND state < 2 "
            + "ORDER BY updated_at DESC").execute(Tuple.of(uid))
        .map(rows -> {
          List<Request> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new Request(r.getLong("peer"), r.getInteger("state") != ASKED,
              r.getString("message"), r.getLong("updated_at"))));
          return out;
        });
  }

  @Override
  public Future<List<Long>> contacts(long uid) {
    return pool.preparedQuery("SELECT peer FROM contacts WHERE uid = ? AND state = 2 ORDER BY peer")
        .execute(Tuple.of(uid))
        .map(rows -> {
          List<Long> peers = new ArrayList<>(rows.size());
          rows.forEach(r -> peers.add(r.getLong("peer")));
          return peers;
        });
  }

  @Override
  public Future<Void> block(long owner, long blocked) {
    return pool.preparedQuery("SELECT id FROM users WHERE id = ?").execute(Tuple.of(blocked))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + blocked))
            : pool.preparedQuery(dialect.insertIgnore("blocks") + " (owner, blocked, created_at) VALUES (?, ?, ?)")
                .execute(Tuple.of(owner, blocked, System.currentTimeMillis())).mapEmpty());
  }

  @Override
  public Future<Void> unblock(long owner, long blocked) {
    return pool.preparedQuery("DELETE FROM blocks WHERE owner = ? AND blocked = ?")
        .execute(Tuple.of(owner, blocked)).mapEmpty();
  }

  @Override
  public Future<List<Long>> blocked(long owner) {
    return pool.preparedQuery("SELECT blocked FROM blocks WHERE owner = ? ORDER BY blocked").execute(Tuple.of(owner))
        .map(rows -> {
          List<Long> uids = new ArrayList<>(rows.size());
          rows.forEach(r -> uids.add(r.getLong("blocked")));
          return uids;
        });
  }

  /**
   * One {@code SELECT} per fact asked, joined with {@code UNION ALL} ({@link SqlChunks#selectAll}) on one connection:
   * one statement for a batch of up to {@link SqlChunks#MAX_CHUNK} distinct keys per fact.
   */
  @Override
  public Future<PeerFacts> facts(PeerCheck check) {
    int n = check.size();
    if (n == 0) {
      return Future.succeededFuture(new PeerFacts(List.of(), List.of()));
    }
    Set<Long> recipients = new LinkedHashSet<>(check.to());
    Set<List<Object>> towardSender = new LinkedHashSet<>();
    Set<List<Object>> fromSender = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      towardSender.add(List.of(check.to().get(i), check.from().get(i)));
      fromSender.add(List.of(check.from().get(i), check.to().get(i)));
    }
    List<List<Object>> uids = recipients.stream().map(uid -> List.<Object>of(uid)).toList();
    int asked = check.facts();
    // Every part selects (fact, a, b, setting); rows are read by position, whichever part comes first.
    List<SqlChunks.Part> parts = new ArrayList<>(4);
    if ((asked & PeerCheck.EXISTS) != 0) {
      parts.add(new SqlChunks.Part("SELECT " + PeerCheck.EXISTS + " AS k, id AS a, 0 AS b, 0 AS g FROM users "
          + "WHERE id IN (", "?", ")", uids));
    }
    if ((asked & PeerCheck.BLOCKED) != 0) {
      parts.add(new SqlChunks.Part("SELECT " + PeerCheck.BLOCKED + ", owner, blocked, 0 FROM blocks "
          + "WHERE (owner, blocked) IN (", "(?, ?)", ")", new ArrayList<>(towardSender)));
    }
    if ((asked & PeerCheck.CONTACT) != 0) {
      parts.add(new SqlChunks.Part("SELECT " + PeerCheck.CONTACT + ", uid, peer, 0 FROM contacts WHERE state = "
          + CONTACTS + " AND (uid, peer) IN (", "(?, ?)", ")", new ArrayList<>(fromSender)));
    }
    if ((asked & PeerCheck.GROUP_ADD) != 0) {
      parts.add(new SqlChunks.Part("SELECT " + PeerCheck.GROUP_ADD + ", uid, 0, group_add FROM user_privacy "
          + "WHERE uid IN (", "?", ")", uids));
    }
    return pool.withConnection(conn -> SqlChunks.selectAll(conn, parts)).map(rows -> answer(check, rows));
  }

  private static PeerFacts answer(PeerCheck check, List<Row> rows) {
    Set<Long> found = new HashSet<>();
    Set<List<Long>> blocked = new HashSet<>();
    Set<List<Long>> contacts = new HashSet<>();
    Map<Long, Integer> settings = new HashMap<>();
    for (Row r : rows) {
      int kind = ((Number) r.getValue(0)).intValue();
      long a = r.getLong(1);
      switch (kind) {
        case PeerCheck.EXISTS -> found.add(a);
        case PeerCheck.BLOCKED -> blocked.add(List.of(a, r.getLong(2)));
        case PeerCheck.CONTACT -> contacts.add(List.of(a, r.getLong(2)));
        default -> settings.put(a, ((Number) r.getValue(3)).intValue());
      }
    }
    boolean withSettings = (check.facts() & PeerCheck.GROUP_ADD) != 0;
    List<Integer> flags = new ArrayList<>(check.size());
    List<Integer> groupAdd = new ArrayList<>(withSettings ? check.size() : 0);
    for (int i = 0; i < check.size(); i++) {
      long from = check.from().get(i);
      long to = check.to().get(i);
      flags.add((found.contains(to) ? PeerCheck.EXISTS : 0)
          | (blocked.contains(List.of(to, from)) ? PeerCheck.BLOCKED : 0)
          | (contacts.contains(List.of(from, to)) ? PeerCheck.CONTACT : 0));
      if (withSettings) {
        groupAdd.add(settings.getOrDefault(to, GroupAdd.EVERYONE.code()));
      }
    }
    return new PeerFacts(flags, groupAdd);
  }
}
