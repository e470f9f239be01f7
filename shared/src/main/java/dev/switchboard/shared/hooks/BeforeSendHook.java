package dev.switchboard.shared.hooks;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.shared.config.HooksConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The application's before-send hook (docs/integration.md, "Before-send hook"): one signed POST per send of a kind it
 * covers, before the send is stored or published, with a deadline. Its answer allows the send, allows it with a new
 * body, or rejects it ({@code rejected} with the application's reason). A timeout, a failure, an answer that is not
 * one of those, or a send beyond {@code maxPending} calls in flight gets the configured {@code onFailure}: allowed
 * unchanged, or rejected with reason {@code hook_unavailable}. Each outcome is counted in
 * {@code switchboard.hook.beforesend{kind, outcome}}, the call's time in {@code switchboard.hook.beforesend.latency}.
 * One per verticle instance; completes on the caller's context.
 */
public final class BeforeSendHook {
  /** The reason of a rejection made because the hook did not answer (with {@code onFailure: reject}). */
  public static final String UNAVAILABLE = "hook_unavailable";
  private static final Pattern CODE = Pattern.compile("[a-z0-9_.-]{1,64}");
  private static final int MAX_MESSAGE = 256;

  /**
   * What the hook decided.
   *
   * @param body the replacement body (JSON bytes), or null to keep the send's own
   */
  public record Verdict(byte[] body) {
    static final Verdict UNCHANGED = new Verdict(null);
  }

  private final HooksConfig.BeforeSend config;
  private final HookHttp http;
  private final int maxAnswerBytes;
  private final AtomicInteger pending = new AtomicInteger();
  private final Timer latency;

  /** A hook client of {@code config}; answers longer than twice {@code maxBodyBytes} plus 4 KiB are refused. */
  public BeforeSendHook(Vertx vertx, HooksConfig.BeforeSend config, int maxBodyBytes) {
    this.config = config;
    this.http = new HookHttp(vertx, config.secret(), Math.min(config.maxPending(), 64));
    this.maxAnswerBytes = 2 * maxBodyBytes + 4096;
    this.latency = Timer.builder("switchboard.hook.beforesend.latency").description("before-send hook call time")
        .register(Metrics.globalRegistry);
  }

  /** Whether the hook sees sends of {@code kind}. */
  public boolean covers(String kind) {
    return config.covers(kind);
  }

  /**
   * Asks the hook about a send of {@code kind}: {@code fields} are the call's fields apart from {@code kind} and
   * {@code body} ({@code from}, {@code to} | {@code group} | {@code room}, {@code cid}, {@code type}); {@code body} is
   * the send's body JSON. Fails with {@code rejected} (reason: the application's code, or {@link #UNAVAILABLE}).
   */
  /**
   * Asks about {@code uid}'s edit of message {@code m} (as its owner found it; null: none) to {@code body}, as a send of
   * the message's conversation with {@code edit}: the mid. Completes with the body to store (the hook's replacement or
   * {@code body}); fails {@code not_found} (no such message, or a one-to-one message not of {@code uid}'s),
   * {@code forbidden} ({@code uid} did not send it) or {@code rejected}. The edit itself re-checks under its lock.
   */
  public Future<byte[]> checkEdit(SyncEntry m, long uid, long mid, byte[] body) {
    if (m == null || (m.group() == 0 && m.from() != uid && m.to() != uid)) {
      return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid));
    }
    if (m.from() != uid) {
      return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "only the sender may edit a message"));
    }
    JsonObject fields = new JsonObject().put("from", uid);
    if (m.group() != 0) {
      fields.put("group", m.group());
    } else {
      fields.put("to", m.to());
    }
    fields.put("cid", m.cid()).put("type", m.msgType()).put("edit", Long.toString(mid));
    return check(m.group() != 0 ? "group" : "direct", fields, body).map(v -> v.body() == null ? body : v.body());
  }

  public Future<Verdict> check(String kind, JsonObject fields, byte[] body) {
    if (pending.get() >= config.maxPending()) {
      return failed(kind, "overloaded");
    }
    byte[] head = fields.copy().put("kind", kind).toBuffer().getBytes();
    Buffer call = Buffer.buffer(head.length + body.length + 10).appendBytes(head, 0, head.length - 1);
    call.appendString(head.length > 2 ? ",\"body\":" : "\"body\":").appendBytes(body).appendString("}");
    pending.incrementAndGet();
    long start = System.nanoTime();
    return http.post(config.url(), call.getBytes(), Map.of(), config.timeoutMs(), maxAnswerBytes)
        .transform(ar -> {
          pending.decrementAndGet();
          latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          if (ar.failed()) {
            return failed(kind, ar.cause() instanceof java.util.concurrent.TimeoutException ? "timeout" : "error");
          }
          return answer(kind, ar.result());
        });
  }

  private Future<Verdict> answer(String kind, HookHttp.Answer a) {
    if (a.status() < 200 || a.status() > 299) {
      return failed(kind, "status");
    }
    JsonObject json;
    try {
      json = new JsonObject(a.body());
    } catch (RuntimeException notJson) {
      return failed(kind, "invalid");
    }
    String action = json.getValue("action") instanceof String s ? s : "";
    if (action.equals("allow")) {
      if (!json.containsKey("body")) {
        count(kind, "allowed");
        return Future.succeededFuture(Verdict.UNCHANGED);
      }
      count(kind, "rewritten");
      return Future.succeededFuture(new Verdict(Json.encode(json.getValue("body")).getBytes(StandardCharsets.UTF_8)));
    }
    if (action.equals("reject") && json.getValue("code") instanceof String code && CODE.matcher(code).matches()
        && (json.getValue("message") == null || json.getValue("message") instanceof String)) {
      count(kind, "rejected");
      String message = json.getString("message", "rejected by the application");
      return Future.failedFuture(rejected(code, message.length() > MAX_MESSAGE
          ? message.substring(0, MAX_MESSAGE) : message));
    }
    return failed(kind, "invalid");
  }

  /** The hook did not give a usable answer ({@code why}): the configured policy decides. */
  private Future<Verdict> failed(String kind, String why) {
    Counter.builder("switchboard.hook.beforesend.failures").tag("kind", kind).tag("why", why)
        .register(Metrics.globalRegistry).increment();
    if (config.rejectOnFailure()) {
      count(kind, "failed_rejected");
      return Future.failedFuture(rejected(UNAVAILABLE, "the before-send hook did not answer (" + why + ")"));
    }
    count(kind, "failed_allowed");
    return Future.succeededFuture(Verdict.UNCHANGED);
  }

  private static ImException rejected(String reason, String message) {
    return new ImException(ErrorCode.REJECTED, message, new JsonObject().put("reason", reason));
  }

  private static void count(String kind, String outcome) {
    Counter.builder("switchboard.hook.beforesend").tag("kind", kind).tag("outcome", outcome)
        .register(Metrics.globalRegistry).increment();
  }

  public Future<Void> close() {
    return http.close();
  }
}
