package dev.switchboard.gateway.ops;

import dev.switchboard.shared.Addresses;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.contract.Contract;
import dev.switchboard.shared.contract.GroupSyncRequest;
import dev.switchboard.shared.contract.SyncPage;
import dev.switchboard.shared.contract.SyncRequest;
import dev.switchboard.shared.frame.Frame;
import dev.switchboard.shared.frame.OutFrame;
import dev.switchboard.shared.frame.SyncFrames;
import dev.switchboard.shared.frame.Frames;
import dev.switchboard.shared.config.OpLimitsConfig;
import dev.switchboard.shared.contract.ApiCallReply;
import dev.switchboard.shared.contract.ApiCallRequest;
import dev.switchboard.shared.contract.Contract;
import dev.switchboard.shared.contract.GroupReadRequest;
import dev.switchboard.shared.contract.GroupRecallRequest;
import dev.switchboard.shared.contract.MembershipsReply;
import dev.switchboard.shared.contract.MembershipsRequest;
import dev.switchboard.shared.contract.ReadReply;
import dev.switchboard.shared.contract.ReadRequest;
import dev.switchboard.shared.contract.RecallReply;
import dev.switchboard.shared.contract.RecallRequest;
import dev.switchboard.shared.contract.RecvRequest;
import dev.switchboard.shared.frame.OpNames;
import dev.switchboard.shared.frame.JsonNumbers;
import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import dev.switchboard.shared.contract.GroupSendRequest;
import dev.switchboard.shared.contract.SendReply;
import dev.switchboard.shared.contract.SendRequest;
import dev.switchboard.shared.frame.JsonBytes;
import dev.switchboard.shared.frame.OutFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ops an authenticated session may send (everything but {@code auth} and {@code ping}, which the connection
 * handles itself). Each op validates its frame, asks the verticle that owns it over the event bus, and turns the
 * answer into the reply frame (null: nothing to send). Called on the connection's event loop; the returned future
 * fails with an {@link ImException} (or an event-bus failure that {@link ImException#of} maps) for the connection to
 * report.
 */
public final class Ops {
  /** Default and largest {@code sync} page. */
  static final int SYNC_DEFAULT = 100;
  static final int SYNC_MAX = 500;

  /** An op's reply: a {@link JsonObject} frame, an already-encoded {@link OutFrame}, or null (nothing to send). */
  private interface Op {
    Future<?> handle(Session session, Frame frame);
  }

  /** {@code switchboard.send}: from a session's {@code msg.send} to its ack (or failure), queueing included. */
  private static final Timer ACK_DIRECT = sendTimer("direct", "acked");
  private static final Timer ACK_GROUP = sendTimer("group", "acked");
  private static final Timer FAIL_DIRECT = sendTimer("direct", "failed");
  private static final Timer FAIL_GROUP = sendTimer("group", "failed");

  private static Timer sendTimer(String kind, String outcome) {
    return Timer.builder("switchboard.send").tag("kind", kind).tag("outcome", outcome)
        .publishPercentiles(0.5, 0.99).register(Metrics.globalRegistry);
  }

  private final EventBus bus;
  /** Requests whose body is a contract record: its own default codec, the same timeout. */
  private final DeliveryOptions contractOptions;
  private final Map<String, Op> ops;
  private final RateLimiter limiter;
  private final OpLimitsConfig limits;
  private final SendRateConfig sendRate;

  /** {@code limiter}: this gateway instance's, for the op limits and the per-user send budget {@code sendRate}. */
  public Ops(EventBus bus, long requestTimeoutMs, RateLimiter limiter, OpLimitsConfig limits, SendRateConfig sendRate) {
    this.bus = bus;
    this.limiter = limiter;
    this.limits = limits;
    this.sendRate = sendRate;
    this.contractOptions = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
    this.ops = Map.of(
        OpNames.MSG_SEND, this::send,
        OpNames.SYNC, this::sync,
        OpNames.MSG_RECV, this::recv,
        OpNames.MSG_READ, this::read,
        OpNames.MSG_RECALL, this::recall,
        OpNames.API, this::api);
  }

  public OpLimitsConfig limits() {
    return limits;
  }

  private static final Map<String, Counter> LIMITED = Map.of("sync", limitedCounter("sync"),
      "read", limitedCounter("read"), "recv", limitedCounter("recv"), "recall", limitedCounter("recall"),
      "send", limitedCounter("send"));

  private static Counter limitedCounter(String kind) {
    return Counter.builder("switchboard.ops.rate.limited").tag("op", kind)
        .description("ops refused with rate_limited").register(Metrics.globalRegistry);
  }

  /**
   * Takes {@code count} tokens of the user's {@code kind} bucket (a constant: sync, read, recv, recall) from this
   * instance's limiter (no shared-state round trip); fails {@code rate_limited} with {@code retryAfterMs} when the
   * bucket has too few.
   */
  private Future<Void> charge(Session session, String kind, OpLimitsConfig.Rate rate, int count) {
    long waitMs = limiter.take(StateKeys.opRate(kind, session.uid()), rate.perSecond(), rate.burst(), count);
    if (waitMs == 0) {
      return Future.succeededFuture();
    }
    LIMITED.get(kind).increment();
    return Future.failedFuture(new ImException(ErrorCode.RATE_LIMITED, "too many " + kind + " requests",
        new JsonObject().put("retryAfterMs", waitMs)));
  }

  /**
   * One send from the user's budget (one-to-one and group sends share it); throws {@code rate_limited} with
   * {@code retryAfterMs} when it is spent.
   */
  private void chargeSend(Session session) {
    long waitMs = limiter.take(StateKeys.sendRate(session.uid()), sendRate.perSecond(), sendRate.burst(), 1);
    if (waitMs > 0) {
      LIMITED.get("send").increment();
      throw new ImException(ErrorCode.RATE_LIMITED, "sending too fast", new JsonObject().put("retryAfterMs", waitMs));
    }
  }

  public boolean knows(String op) {
    return ops.containsKey(op);
  }

  /** The reply frame: a {@link JsonObject}, an encoded {@link OutFrame} (sync pages), or null for none. */
  public Future<?> handle(Session session, Frame frame) {
    Op op = ops.get(frame.op());
    if (op == null) {
      return Future.failedFuture(new ImException(ErrorCode.UNKNOWN_OP, "unknown op '" + frame.op() + "'"));
    }
    return op.handle(session, frame);
  }

  /** Asks {@code address} with a contract record; completes with the reply record. */
  private <R> Future<R> ask(String address, Contract request) {
    return bus.<R>request(address, request, contractOptions).map(m -> m.body());
  }

  /**
   * {@code msg.send {id, cid, to | group, type, body}} → {@code msg.ack {id, cid, mid, seq, ts[, group]}}, in the
   * session's order. {@code to} sends one-to-one, {@code group} to a group. The body travels as the bytes it arrived
   * as; the ack is written as bytes from the typed reply.
   */
  private Future<OutFrame> send(Session session, Frame frame) {
    String cid = frame.requireString("cid", 64);
    boolean toGroup = frame.json().containsKey("group");
    if (toGroup == frame.json().containsKey("to")) {
      throw new ImException(ErrorCode.INVALID_FIELD, "exactly one of the fields 'to' and 'group' is required");
    }
    long target = frame.requirePositiveLong(toGroup ? "group" : "to");
    String type = frame.requireString("type", 32);
    byte[] body = frame.requireBodyJson();
    Object requestId = frame.id();
    Object request = toGroup ? new GroupSendRequest(session.uid(), session.id(), cid, target, type, body)
        : new SendRequest(session.uid(), session.id(), cid, target, type, body, false);
    chargeSend(session);
    String address = toGroup ? Addresses.GROUP_SEND : Addresses.ROUTER_SEND;
    long started = System.nanoTime();
    return session.inOrder(() -> bus.<SendReply>request(address, request, contractOptions).map(Message::body))
        .andThen(ar -> (ar.succeeded() ? (toGroup ? ACK_GROUP : ACK_DIRECT) : (toGroup ? FAIL_GROUP : FAIL_DIRECT))
            .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS))
        .map(reply -> ack(requestId, cid, reply));
  }

  /** {@code msg.ack {id, cid, mid, seq, ts[, group]}} as bytes. */
  static OutFrame ack(Object requestId, String cid, SendReply reply) {
    JsonBytes ack = new JsonBytes(96 + cid.length()).string("op", "msg.ack").id(requestId).string("cid", cid)
        .string("mid", Long.toString(reply.mid())).number("seq", reply.seq()).number("ts", reply.ts());
    if (reply.group() != 0) {
      ack.number("group", reply.group());
    }
    return OutFrame.ofJsonBytes(ack.close());
  }

  /** The user's groups and their latest seqs, {@code {"<gid>": seq}}. */
  public Future<JsonObject> memberships(long uid) {
    return this.<MembershipsReply>ask(Addresses.GROUP_MEMBERSHIPS, new MembershipsRequest(uid)).map(r -> {
      JsonObject groups = new JsonObject();
      r.heads().forEach((gid, seq) -> groups.put(Long.toString(gid), seq));
      return groups;
    });
  }

  /** One page of a group's timeline after {@code after}, for a member; entries go out with {@link SyncFrames#entry}. */
  public Future<SyncPage> groupPage(long uid, long gid, long after) {
    return askPage(Addresses.GROUP_SYNC, new GroupSyncRequest(uid, gid, after, SYNC_DEFAULT));
  }

  /** A sync request's page; stored bodies travel as their text and are spliced into the frame, never parsed. */
  private Future<SyncPage> askPage(String address, Contract request) {
    return this.<SyncPage>ask(address, request);
  }

  /**
   * {@code sync {id, after, limit}} → {@code sync.batch {id, msgs, more, head}} (the user's inbox);
   * {@code sync {id, group, after, limit}} → the same for one group plus {@code group};
   * {@code sync {id, groups: {"<gid>": after}, limit}} → {@code sync.batch {id, groups: [page per group]}}.
   * The reply is an encoded frame ({@link SyncFrames}): no tree is built for the entries.
   */
  private Future<OutFrame> sync(Session session, Frame frame) {
    long limit = frame.optNonNegativeLong("limit", SYNC_DEFAULT);
    if (limit < 1 || limit > SYNC_MAX) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'limit' must be 1 to " + SYNC_MAX);
    }
    long after = frame.optNonNegativeLong("after", 0);
    if (frame.json().containsKey("groups")) {
      if (!(frame.json().getValue("groups") instanceof JsonObject groups) || groups.isEmpty()
          || groups.size() > OpLimitsConfig.MAX_SYNC_GROUPS) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field 'groups' must map 1 to "
            + OpLimitsConfig.MAX_SYNC_GROUPS + " group ids to seqs");
      }
      List<GroupSyncRequest> requests = new ArrayList<>();
      for (String gid : groups.fieldNames()) {
        long id = parseGid(gid);
        Long n = JsonNumbers.exactLong(groups.getValue(gid));
        if (n == null || n < 0) {
          throw new ImException(ErrorCode.INVALID_FIELD, "field 'groups' must map group ids to seqs >= 0");
        }
        requests.add(new GroupSyncRequest(session.uid(), id, n, (int) limit));
      }
      // One token per group: the frame costs as many queries as it names groups.
      return charge(session, "sync", limits.sync(), requests.size()).compose(charged -> syncGroups(frame,
          requests));
    }
    if (frame.json().containsKey("group")) {
      GroupSyncRequest request = new GroupSyncRequest(session.uid(), frame.requirePositiveLong("group"), after,
          (int) limit);
      return charge(session, "sync", limits.sync(), 1).compose(v -> askPage(Addresses.GROUP_SYNC, request))
          .map(page -> SyncFrames.batch(frame.id(), page));
    }
    SyncRequest request = new SyncRequest(session.uid(), after, (int) limit);
    return charge(session, "sync", limits.sync(), 1).compose(v -> askPage(Addresses.ROUTER_SYNC, request))
        .map(page -> SyncFrames.batch(frame.id(), page));
  }

  private Future<OutFrame> syncGroups(Frame frame, List<GroupSyncRequest> requests) {
    List<Future<SyncPage>> pages = new ArrayList<>();
    for (GroupSyncRequest request : requests) {
      pages.add(askPage(Addresses.GROUP_SYNC, request));
    }
    return Future.join(pages).recover(t -> Future.succeededFuture()).map(v -> {
      List<SyncFrames.GroupResult> out = new ArrayList<>(pages.size());
      for (int i = 0; i < pages.size(); i++) {
        Future<SyncPage> p = pages.get(i);
        long gid = requests.get(i).group();
        if (p.succeeded()) {
          out.add(SyncFrames.GroupResult.of(gid, p.result()));
        } else {
          ImException e = ImException.of(p.cause());
          out.add(SyncFrames.GroupResult.failed(gid, e.code().wire(), e.getMessage()));
        }
      }
      return SyncFrames.batchGroups(frame.id(), out);
    });
  }

  private static long parseGid(String gid) {
    try {
      long id = Long.parseLong(gid);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImException(ErrorCode.INVALID_FIELD, "field 'groups' has a key that is not a group id: " + gid);
  }

  /** {@code msg.recv {id?, upTo}}: this device has every inbox message up to {@code upTo}. */
  private Future<JsonObject> recv(Session session, Frame frame) {
    RecvRequest request = new RecvRequest(session.uid(), session.device(), frame.requirePositiveLong("upTo"));
    return charge(session, "recv", limits.recv(), 1).compose(v -> ask(Addresses.ROUTER_RECV, request))
        .map(v -> ok(frame));
  }

  /** {@code msg.read {id?, peer | group, upTo}} → {@code ok {id, unread}}. */
  private Future<JsonObject> read(Session session, Frame frame) {
    boolean group = frame.json().containsKey("group");
    long target = frame.requirePositiveLong(group ? "group" : "peer");
    long upTo = frame.requirePositiveLong("upTo");
    Contract request = group ? new GroupReadRequest(session.uid(), target, upTo)
        : new ReadRequest(session.uid(), session.id(), target, upTo);
    return charge(session, "read", limits.read(), 1)
        .compose(v -> this.<ReadReply>ask(group ? Addresses.GROUP_READ : Addresses.ROUTER_READ, request))
        .map(reply -> {
          JsonObject ok = ok(frame);
          return ok == null ? null : ok.put("unread", reply.unread());
        });
  }

  /** {@code msg.recall {id, mid[, group]}} → {@code msg.recall.ok {id, mid, seq[, group]}}. */
  private Future<JsonObject> recall(Session session, Frame frame) {
    long mid = frame.requireMid("mid");
    boolean group = frame.json().containsKey("group");
    Contract request = group ? new GroupRecallRequest(session.uid(), session.id(), frame.requirePositiveLong("group"),
        mid) : new RecallRequest(session.uid(), session.id(), mid);
    return charge(session, "recall", limits.recall(), 1)
        .compose(v -> this.<RecallReply>ask(group ? Addresses.GROUP_RECALL : Addresses.ROUTER_RECALL, request))
        .map(reply -> Frames.reply(OpNames.MSG_RECALL_OK, frame.id()).mergeIn(reply.fields()));
  }

  private static final java.util.Set<String> METHODS = java.util.Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /**
   * {@code api {id, method, path, body?}} → {@code api.result {id, status, body}}: the HTTP API, called as this
   * session's user through the same routes as over HTTP (the API verticle replays it to itself). {@code path} starts
   * with {@code /api/v1/} and may carry a query string.
   */
  private Future<JsonObject> api(Session session, Frame frame) {
    String method = frame.requireString("method", 8).toUpperCase(java.util.Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'method' must be one of " + METHODS);
    }
    String path = frame.requireString("path", 2048);
    if (!path.startsWith("/api/v1/") || path.contains("..") || path.contains("#") || !path.matches("\\S+")) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'path' must be an /api/v1/ path");
    }
    // Handed on as the bytes it arrived as: the API route parses and validates it like an HTTP body.
    byte[] body = frame.bodyBytes();
    ApiCallRequest request = new ApiCallRequest(session.uid(), session.tokenHash(), session.tokenIssuedAt(),
        session.tokenExpiresAt(), session.address(), method, path, body);
    return this.<ApiCallReply>ask(Addresses.API_CALL, request).map(reply -> Frames.reply(OpNames.API_RESULT,
        frame.id()).put("status", reply.status()).put("body", responseBody(reply.body())));
  }

  /** The HTTP response body as JSON, or as a string when it is not JSON; null when empty. */
  private static Object responseBody(byte[] body) {
    if (body == null) {
      return null;
    }
    Buffer b = Buffer.buffer(body);
    try {
      return Json.decodeValue(b);
    } catch (RuntimeException e) {
      return b.toString();
    }
  }

  /** {@code ok {id}} when the request had an id; nothing otherwise (fire-and-forget receipts). */
  private static JsonObject ok(Frame frame) {
    return frame.id() == null ? null : Frames.reply(OpNames.OK, frame.id());
  }
}
