package dev.switchboard.shared.search;

import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.protocol.contract.SyncEntry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a search over one verticle's messages: reads candidates newest first in batches (the database's index
 * narrows them, {@link SearchText#matches} decides), until the page is full, the messages run out, or
 * {@link #MAX_BATCHES} batches were read — then the reply's {@code next} says where the scan stopped, so a page may
 * hold fewer hits than asked while more follow. Bounds the work of one request whatever the data.
 */
public final class SearchScan {
  /** Most candidate batches one request reads. */
  public static final int MAX_BATCHES = 4;
  /** Largest candidate batch. */
  public static final int MAX_BATCH = 100;

  /** Candidates: up to {@code n} messages with mid below {@code before}, newest first (bodies as stored). */
  @FunctionalInterface
  public interface Candidates {
    Future<List<SyncEntry>> before(long before, int n);
  }

  private SearchScan() {
  }

  /**
   * Up to {@code limit} hits for {@code terms} with mid below {@code before} (0: no bound). Completes on the
   * context {@code candidates} completes on; fails as {@code candidates} fails.
   */
  public static Future<SearchReply> run(Candidates candidates, List<String> terms, long before, int limit) {
    int batch = Math.min(MAX_BATCH, Math.max(20, limit * 2));
    return scan(candidates, terms, before <= 0 ? Long.MAX_VALUE : before, limit, batch, 1, new ArrayList<>());
  }

  private static Future<SearchReply> scan(Candidates candidates, List<String> terms, long before, int limit,
                                          int batch, int round, List<SyncEntry> hits) {
    return candidates.before(before, batch).compose(rows -> {
      for (int i = 0; i < rows.size(); i++) {
        SyncEntry row = rows.get(i);
        if (SearchText.matches(row.body() == null ? null
            : new String(row.body(), java.nio.charset.StandardCharsets.UTF_8), terms)) {
          hits.add(row);
          if (hits.size() == limit) {
            boolean exhausted = i == rows.size() - 1 && rows.size() < batch;
            return Future.succeededFuture(new SearchReply(hits, exhausted ? 0 : row.mid()));
          }
        }
      }
      if (rows.size() < batch) {
        return Future.succeededFuture(new SearchReply(hits, 0));
      }
      long last = rows.get(rows.size() - 1).mid();
      if (round == MAX_BATCHES) {
        return Future.succeededFuture(new SearchReply(hits, last));
      }
      return scan(candidates, terms, last, limit, batch, round + 1, hits);
    });
  }
}
