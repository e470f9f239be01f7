package dev.switchboard.api.contacts;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code im.api.peers} ({@link PeerCheck} → {@link PeerFacts}): what the router needs before it stores a batch of
 * sends (recipient exists, recipient blocked the sender, the two are contacts) and the group verticle before an add
 * (the same, and the user's {@code groupAdd} setting), answered from the API's own tables in one statement (one
 * {@code SELECT} per fact asked, joined with {@code UNION ALL}), so a batch costs one round trip whatever its size.
 * Reads are not cached: a block or unblock is in effect for the next ask. Runs on the consumer's event loop; failures
 * reply with their code ({@code bad_request} for a body that is not a {@link PeerCheck}).
 */
public final class PeerChecks {
  private final Pool pool;

  public PeerChecks(Pool pool) {
    this.pool = pool;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof PeerCheck check)) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST, "im.api.peers takes a PeerCheck"));
      return;
    }
    facts(check).onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  /** The facts of every pair of {@code check}, in its order. */
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
          + ContactsRoutes.CONTACTS + " AND (uid, peer) IN (", "(?, ?)", ")", new ArrayList<>(fromSender)));
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
