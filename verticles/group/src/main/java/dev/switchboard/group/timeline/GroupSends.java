package dev.switchboard.group.timeline;

import dev.switchboard.group.GroupConfig;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.BatchWriter;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SendLimits;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group sends ({@code im.group.send}, {@link GroupSendRequest} → {@link SendReply}): size check and the sender's
 * rate limit, then a batched transaction that checks membership and mutes, assigns the group's seq and stores the
 * message once in the group's timeline; after the commit, one publish to {@code im.group.g.<gid>} (one event-bus
 * message, whatever the number of members, written as bytes with the body spliced in as it arrived) and the reply.
 */
public final class GroupSends {
  record Send(long from, String session, String cid, long gid, String type, String bodyJson, long mid, long ts) {
  }

  /** Stored: the group seq; {@code duplicate} when the (group, sender, cid) was already stored. */
  record Stored(long mid, long seq, long ts, boolean duplicate) {
  }

  private final EventBus bus;
  private final Pool pool;
  private final Dialect dialect;
  private final SendLimits limits;
  private final MidGenerator mids;
  private final BatchWriter<Send, Stored> writer;
  private final AtomicLong published;

  public GroupSends(Vertx vertx, Pool pool, Dialect dialect, MidGenerator mids, GroupConfig config,
                    AtomicLong published) {
    this.bus = vertx.eventBus();
    this.pool = pool;
    this.dialect = dialect;
    this.limits = new SendLimits(config.maxBodyBytes());
    this.mids = mids;
    this.published = published;
    this.writer = new BatchWriter<>(vertx, "group", this::write, config.maxBatch(), config.flushDelayMs(),
        config.maxPending());
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof GroupSendRequest r)) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST, "im.group.send takes a GroupSendRequest"));
      return;
    }
    String bodyJson;
    try {
      bodyJson = limits.checkBody(r.body());
    } catch (ImException e) {
      ImException.failReply(request, e);
      return;
    }
    long from = r.from();
    long gid = r.group();
    // The send rate was limited by the sender's gateway (or the bridge, for a bot) before the request.
    Future.<Void>succeededFuture()
        .compose(v -> {
          long mid = mids.next();
          return writer.submit(new Send(from, r.session(), r.cid(), gid, r.msgType(), bodyJson, mid,
              MidGenerator.timestampOf(mid)));
        })
        .onSuccess(stored -> {
          if (!stored.duplicate()) {
            published.incrementAndGet();
            bus.publish(Addresses.group(gid), MessageJson.groupMessageFrame(stored.mid(),
                r.cid(), from, gid, stored.seq(), stored.ts(), r.msgType(), r.body(), false),
                new DeliveryOptions().addHeader(BusHeaders.SKIP, r.session()));
          }
          request.reply(new SendReply(stored.mid(), stored.seq(), stored.ts(), gid, stored.duplicate()));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  private Future<List<Object>> write(List<Send> sends) {
    return pool.withTransaction(conn -> write(conn, sends));
  }

  private Future<List<Object>> write(SqlConnection conn, List<Send> sends) {
    Object[] outcome = new Object[sends.size()];
    List<List<Object>> keys = new ArrayList<>();
    List<List<Object>> members = new ArrayList<>();
    for (Send s : sends) {
      keys.add(List.of(s.gid(), s.from(), s.cid()));
      members.add(List.of(s.gid(), s.from()));
    }
    Future<List<Row>> existing = SqlChunks.select(conn, "SELECT gid, sender, cid, mid, seq, ts FROM group_messages "
        + "WHERE (gid, sender, cid) IN (", "(?, ?, ?)", ")", keys);
    return existing.compose(dups -> SqlChunks.select(conn, "SELECT m.gid, m.uid, m.role, m.muted, g.muted AS gmuted, "
            + "g.dissolved FROM group_members m JOIN im_groups g ON g.gid = m.gid WHERE (m.gid, m.uid) IN (", "(?, ?)",
            ")", members)
        .compose(memberRows -> {
          Map<String, Stored> stored = new HashMap<>();
          for (Row r : dups) {
            stored.put(r.getLong("gid") + ":" + r.getLong("sender") + ":" + r.getString("cid"),
                new Stored(r.getLong("mid"), r.getLong("seq"), r.getLong("ts"), true));
          }
          Map<String, Row> membership = new HashMap<>();
          memberRows.forEach(r -> membership.put(r.getLong("gid") + ":" + r.getLong("uid"), r));
          Map<Long, Integer> counts = new HashMap<>();
          Map<String, Integer> firstInBatch = new HashMap<>();
          List<Integer> accepted = new ArrayList<>();
          for (int i = 0; i < sends.size(); i++) {
            Send s = sends.get(i);
            String key = s.gid() + ":" + s.from() + ":" + s.cid();
            Row m = membership.get(s.gid() + ":" + s.from());
            Integer first = firstInBatch.putIfAbsent(key, i);
            if (stored.containsKey(key)) {
              outcome[i] = stored.get(key);
            } else if (first != null) {
              outcome[i] = first;
            } else if (m == null || m.getInteger("dissolved") != 0) {
              outcome[i] = new ImException(ErrorCode.NOT_MEMBER, "you are not a member of group " + s.gid());
            } else if (m.getInteger("muted") != 0 || (m.getInteger("gmuted") != 0 && m.getInteger("role") == 0)) {
              outcome[i] = new ImException(ErrorCode.MUTED, "you are muted in group " + s.gid());
            } else {
              accepted.add(i);
              counts.merge(s.gid(), 1, Integer::sum);
            }
          }
          if (accepted.isEmpty()) {
            return Future.succeededFuture(resolve(outcome));
          }
          return Timeline.reserve(dialect, conn, counts).compose(firstSeq -> {
            List<List<Object>> rows = new ArrayList<>();
            for (int i : accepted) {
              Send s = sends.get(i);
              long seq = firstSeq.merge(s.gid(), 1L, Long::sum) - 1;
              rows.add(Timeline.row(s.gid(), seq, Timeline.MESSAGE, s.mid(), s.from(), s.cid(), s.type(),
                  s.bodyJson(), s.ts()));
              outcome[i] = new Stored(s.mid(), seq, s.ts(), false);
            }
            return Timeline.insert(conn, rows).map(v -> resolve(outcome));
          });
        }));
  }

  /** Repeats within a batch (an Integer: the index of the first) get the first's outcome, as duplicates. */
  private static List<Object> resolve(Object[] outcome) {
    for (int i = 0; i < outcome.length; i++) {
      if (outcome[i] instanceof Integer first) {
        Object o = outcome[first];
        outcome[i] = o instanceof Stored s ? new Stored(s.mid(), s.seq(), s.ts(), true) : o;
      }
    }
    return List.of(outcome);
  }
}
