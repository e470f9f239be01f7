package dev.switchboard.api.webhooks;

import dev.switchboard.shared.config.HooksConfig;
import dev.switchboard.shared.hooks.HookHttp;
import dev.switchboard.shared.hooks.Signature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One webhook endpoint of one dispatcher: a bounded queue of events and one POST in flight at a time, so events reach
 * the endpoint in the order this dispatcher got them. A batch ({@code {"events": [...]}}, at most {@code maxBatch}
 * events from the queue's head) leaves the queue only once the endpoint answered 2xx (its body is ignored); any other
 * answer, a timeout or a
 * connection failure retries after {@link Backoff}, for as long as it takes. An event offered to a full queue pushes
 * out the oldest one, counted in {@code switchboard.webhook.dropped{endpoint}} (an event dropped while a POST carrying
 * it is in flight may still arrive). Meters, tagged {@code endpoint} (the URL without its query):
 * {@code switchboard.webhook.queue} (events held, every dispatcher of the process together),
 * {@code switchboard.webhook.delivered} (events), {@code switchboard.webhook.failures} (POSTs) and
 * {@code switchboard.webhook.latency}. Confined to the dispatcher's event loop.
 */
final class Endpoint {
  /** Events held per endpoint tag, over every dispatcher instance of this process (the queue gauge reads it). */
  private static final Map<String, AtomicLong> HELD = new ConcurrentHashMap<>();

  private final Vertx vertx;
  private final HooksConfig.Webhook config;
  private final HookHttp http;
  private final Backoff backoff;
  /** Events not yet acknowledged, oldest first, each with its sequence number in this endpoint. */
  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private final AtomicLong held;
  private final Counter dropped;
  private final Counter delivered;
  private final Counter failures;
  private final Timer latency;
  private long nextSeq;
  private boolean posting;
  private int failedInRow;
  private long timer = -1;
  private boolean closed;
  /** Who waits for the queue to empty ({@link #drained}). */
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();

  private record Held(long seq, byte[] event) {
  }

  Endpoint(Vertx vertx, HooksConfig.Webhook config) {
    this.vertx = vertx;
    this.config = config;
    this.http = new HookHttp(vertx, config.secret(), 1);
    this.backoff = new Backoff(config.backoffMs(), config.maxBackoffMs());
    String tag = tag(config.url());
    this.held = HELD.computeIfAbsent(tag, t -> {
      AtomicLong n = new AtomicLong();
      Gauge.builder("switchboard.webhook.queue", n, AtomicLong::get).tag("endpoint", t)
          .description("webhook events waiting for their endpoint").register(Metrics.globalRegistry);
      return n;
    });
    this.dropped = Counter.builder("switchboard.webhook.dropped").tag("endpoint", tag)
        .description("webhook events pushed out of a full queue").register(Metrics.globalRegistry);
    this.delivered = Counter.builder("switchboard.webhook.delivered").tag("endpoint", tag)
        .description("webhook events the endpoint acknowledged").register(Metrics.globalRegistry);
    this.failures = Counter.builder("switchboard.webhook.failures").tag("endpoint", tag)
        .description("webhook POSTs that failed (retried)").register(Metrics.globalRegistry);
    this.latency = Timer.builder("switchboard.webhook.latency").tag("endpoint", tag)
        .description("webhook POST time").register(Metrics.globalRegistry);
  }

  /** The URL without query or fragment (which may hold a token): the meters' {@code endpoint} tag. */
  static String tag(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getAuthority() + (u.getPath() == null ? "" : u.getPath());
  }

  boolean wants(String type) {
    return config.wants(type);
  }

  /** Queues {@code event} (its envelope's JSON), pushing out the oldest when the queue is full. */
  void offer(byte[] event) {
    if (closed) {
      return;
    }
    if (queue.size() >= config.queue()) {
      queue.pollFirst();
      held.decrementAndGet();
      dropped.increment();
    }
    queue.addLast(new Held(nextSeq++, event));
    held.incrementAndGet();
    if (!posting && timer == -1) {
      post();
    }
  }

  /** Events waiting (for tests and the gauge). */
  int size() {
    return queue.size();
  }

  /** Completes once no event waits: now, or when an acknowledgment empties the queue. On the endpoint's context. */
  Future<Void> drained() {
    if (queue.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    drainWaiters.add(p);
    return p.future();
  }

  private void post() {
    if (queue.isEmpty() || closed) {
      return;
    }
    posting = true;
    int n = Math.min(config.maxBatch(), queue.size());
    Buffer body = Buffer.buffer(64 + n * 256).appendString("{\"events\":[");
    Iterator<Held> it = queue.iterator();
    long last = -1;
    for (int i = 0; i < n; i++) {
      Held h = it.next();
      if (i > 0) {
        body.appendByte((byte) ',');
      }
      body.appendBytes(h.event());
      last = h.seq();
    }
    body.appendString("]}");
    long upTo = last;
    int count = n;
    long start = System.nanoTime();
    http.post(config.url(), body.getBytes(), Map.of(Signature.DELIVERY, UUID.randomUUID().toString()),
            config.timeoutMs(), 0)
        .onComplete(ar -> {
          latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          posting = false;
          if (ar.succeeded() && ar.result().status() / 100 == 2) {
            acknowledged(upTo, count);
            post();
          } else {
            failures.increment();
            failedInRow++;
            timer = vertx.setTimer(backoff.delayMs(failedInRow, ThreadLocalRandom.current().nextDouble()), t -> {
              timer = -1;
              post();
            });
          }
        });
  }

  /** Drops the events up to {@code upTo} (those a full queue pushed out meanwhile are gone already). */
  private void acknowledged(long upTo, int count) {
    failedInRow = 0;
    delivered.increment(count);
    while (!queue.isEmpty() && queue.peekFirst().seq() <= upTo) {
      queue.pollFirst();
      held.decrementAndGet();
    }
    if (queue.isEmpty() && !drainWaiters.isEmpty()) {
      List<Promise<Void>> waiting = List.copyOf(drainWaiters);
      drainWaiters.clear();
      waiting.forEach(Promise::complete);
    }
  }

  /** Stops retrying; events still queued are lost (they live in memory: docs/integration.md). */
  Future<Void> close() {
    closed = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    held.addAndGet(-queue.size());
    queue.clear();
    drainWaiters.forEach(Promise::tryComplete);
    drainWaiters.clear();
    return http.close();
  }
}
