package dev.switchboard.api.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@link MediaStore} on the relational store, through {@code pool}. */
public final class SqlMediaStore implements MediaStore {
  private static final String COLUMNS = "id, owner, peer, gid, sha256, size, mime, name, width, height, thumbnail, "
      + "created_at";

  private final Pool pool;

  public SqlMediaStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> insert(Media m) {
    return pool.preparedQuery("INSERT INTO media (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.tuple().addString(m.id()).addLong(m.owner()).addLong(m.peer()).addLong(m.gid())
            .addString(m.sha256()).addLong(m.size()).addString(m.mime()).addString(m.name())
            .addInteger(m.width()).addInteger(m.height()).addInteger(m.thumbnail() ? 1 : 0).addLong(m.createdAt()))
        .mapEmpty();
  }

  @Override
  public Future<Media> find(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM media WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> {
          for (Row r : rows) {
            return new Media(r.getString("id"), r.getLong("owner"), r.getLong("peer"), r.getLong("gid"),
                r.getString("sha256"), r.getLong("size"), r.getString("mime"), r.getString("name"),
                r.getInteger("width"), r.getInteger("height"), r.getInteger("thumbnail") != 0,
                r.getLong("created_at"));
          }
          return null;
        });
  }

  @Override
  public Future<String> delete(String id) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT sha256 FROM media WHERE id = ? FOR UPDATE")
        .execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          String hash = rows.iterator().next().getString("sha256");
          return conn.preparedQuery("DELETE FROM media WHERE id = ?").execute(Tuple.of(id)).map(hash);
        }));
  }

  @Override
  public Future<List<String>> deleteOwner(long owner) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT id, sha256 FROM media WHERE owner = ? FOR UPDATE")
        .execute(Tuple.of(owner)).compose(rows -> deleteRows(conn, rows)));
  }

  @Override
  public Future<List<String>> deleteOlderThan(long before, int limit) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT id, sha256 FROM media WHERE created_at < ? "
            + "ORDER BY created_at LIMIT ? FOR UPDATE").execute(Tuple.of(before, limit))
        .compose(rows -> deleteRows(conn, rows)));
  }

  /** Deletes the selected rows (by id, in batches) and answers their hashes. */
  private static Future<List<String>> deleteRows(SqlConnection conn, RowSet<Row> rows) {
    List<String> ids = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (Row r : rows) {
      ids.add(r.getString("id"));
      hashes.add(r.getString("sha256"));
    }
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < ids.size(); i += 500) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + 500));
      String marks = String.join(", ", Collections.nCopies(batch.size(), "?"));
      chain = chain.compose(v -> conn.preparedQuery("DELETE FROM media WHERE id IN (" + marks + ")")
          .execute(Tuple.wrap(new ArrayList<Object>(batch))).mapEmpty());
    }
    return chain.map(hashes);
  }

  @Override
  public Future<Boolean> referenced(String sha256) {
    return pool.preparedQuery("SELECT 1 AS one FROM media WHERE sha256 = ? LIMIT 1").execute(Tuple.of(sha256))
        .map(rows -> rows.size() > 0);
  }
}
