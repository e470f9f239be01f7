package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.Contract;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.JsonBytes;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.concurrent.TimeUnit;

/**
 * {@code msg.send {id, cid, to | group, type, body}} → {@code msg.ack {id, cid, mid, seq, ts[, group]}}, in the
 * session's order: {@code to} asks a router ({@code im.router.send}), {@code group} the group verticle
 * ({@code im.group.send}). The body travels as the bytes it arrived as; the ack is written as bytes from the typed
 * reply. Charged to the user's send budget (one-to-one and group sends share it).
 */
public record MsgSend(Asks asks, OpLimits limits) implements ClientOp {
  /** {@code switchboard.send}: from a session's {@code msg.send} to its ack (or failure), queueing included. */
  private static final Timer ACK_DIRECT = sendTimer("direct", "acked");
  private static final Timer ACK_GROUP = sendTimer("group", "acked");
  private static final Timer FAIL_DIRECT = sendTimer("direct", "failed");
  private static final Timer FAIL_GROUP = sendTimer("group", "failed");

  private static Timer sendTimer(String kind, String outcome) {
    return Timer.builder("switchboard.send").tag("kind", kind).tag("outcome", outcome)
        .publishPercentiles(0.5, 0.99).register(Metrics.globalRegistry);
  }

  @Override
  public String name() {
    return OpNames.MSG_SEND;
  }

  @Override
  public Future<OutFrame> handle(Caller caller, Frame frame) {
    Session session = caller.session();
    String cid = frame.requireString("cid", 64);
    boolean toGroup = frame.json().containsKey("group");
    if (toGroup == frame.json().containsKey("to")) {
      throw new ImException(ErrorCode.INVALID_FIELD, "exactly one of the fields 'to' and 'group' is required");
    }
    long target = frame.requirePositiveLong(toGroup ? "group" : "to");
    String type = frame.requireString("type", 32);
    byte[] body = frame.requireBodyJson();
    long replyTo = frame.has("replyTo") ? frame.requireMid("replyTo") : 0;
    long[] mentions = mentions(frame, toGroup);
    boolean mentionAll = flag(frame, "mentionAll");
    if (mentionAll && !toGroup) {
      throw new ImException(ErrorCode.INVALID_FIELD, "'mentionAll' is for group messages");
    }
    MediaBodies.check(type, body);
    Object requestId = frame.id();
    Contract request = toGroup
        ? new GroupSendRequest(session.uid(), session.id(), cid, target, type, body, replyTo, mentions, mentionAll)
        : new SendRequest(session.uid(), session.id(), cid, target, type, body, false, replyTo);
    limits.chargeSend(session);
    String address = toGroup ? Addresses.GROUP_SEND : Addresses.ROUTER_SEND;
    long started = System.nanoTime();
    return session.inOrder(() -> asks.<SendReply>ask(address, request))
        .andThen(ar -> (ar.succeeded() ? (toGroup ? ACK_GROUP : ACK_DIRECT) : (toGroup ? FAIL_GROUP : FAIL_DIRECT))
            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
        .map(reply -> ack(requestId, cid, reply));
  }

  /** Most members one message may mention. */
  static final int MAX_MENTIONS = 50;

  /** {@code mentions}: distinct uids of a group message (at most {@link #MAX_MENTIONS}); none when absent. */
  private static long[] mentions(Frame frame, boolean toGroup) {
    Object value = frame.json().getValue("mentions");
    if (value == null) {
      return new long[0];
    }
    if (!toGroup) {
      throw new ImException(ErrorCode.INVALID_FIELD, "'mentions' is for group messages");
    }
    if (!(value instanceof JsonArray list) || list.size() > MAX_MENTIONS) {
      throw new ImException(ErrorCode.INVALID_FIELD, "'mentions' must be an array of at most " + MAX_MENTIONS
          + " uids");
    }
    long[] uids = new long[list.size()];
    int n = 0;
    for (Object o : list) {
      long uid = o instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue()) ? num.longValue() : 0;
      if (uid <= 0) {
        throw new ImException(ErrorCode.INVALID_FIELD, "'mentions' must hold positive integer uids");
      }
      boolean seen = false;
      for (int i = 0; i < n && !seen; i++) {
        seen = uids[i] == uid;
      }
      if (!seen) {
        uids[n++] = uid;
      }
    }
    return java.util.Arrays.copyOf(uids, n);
  }

  private static boolean flag(Frame frame, String field) {
    Object value = frame.json().getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "'" + field + "' must be a boolean");
    }
    return Boolean.TRUE.equals(value);
  }

  /** {@code msg.ack {id, cid, mid, seq, ts[, group]}} as bytes. */
  static OutFrame ack(Object requestId, String cid, SendReply reply) {
    JsonBytes ack = new JsonBytes(96 + cid.length()).string("op", OpNames.MSG_ACK).id(requestId).string("cid", cid)
        .string("mid", Long.toString(reply.mid())).number("seq", reply.seq()).number("ts", reply.ts());
    if (reply.group() != 0) {
      ack.number("group", reply.group());
    }
    return OutFrame.ofJsonBytes(ack.close());
  }
}
