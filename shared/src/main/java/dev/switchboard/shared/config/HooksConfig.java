package dev.switchboard.shared.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The node's {@code hooks} section (docs/integration.md), handed to every verticle beside {@code auth}: the webhook
 * endpoints, whether events are also published on the event bus, and the before-send hook. Validated when parsed:
 * a bad value fails the node's start with a message naming the key.
 *
 * @param webhooks            the endpoints events are POSTed to (none: no webhook)
 * @param busEvents           also publish every event on {@code im.events.<type>} (default false)
 * @param beforeSend          the before-send hook, or null when there is none
 * @param offlineMaxGroupSize the largest group whose messages produce {@code message.offline} events (default 1,000)
 */
public record HooksConfig(List<Webhook> webhooks, boolean busEvents, BeforeSend beforeSend, int offlineMaxGroupSize) {
  /** Minimum length of a hook secret. */
  public static final int MIN_SECRET = 16;
  /** The event types the server emits, apart from the {@code group.<kind>} events of group changes. */
  public static final Set<String> MESSAGE_TYPES = Set.of("message.sent", "group.message.sent", "message.offline",
      "user.online", "user.offline");
  /** The sends a before-send hook may see. */
  public static final Set<String> KINDS = Set.of("direct", "group", "room");

  public static final HooksConfig NONE = new HooksConfig(List.of(), false, null, 1000);

  /**
   * One webhook endpoint.
   *
   * @param events       the event types it gets: exact types, prefixes ending in {@code *} ({@code group.*}), or
   *                     {@code *} for all
   * @param queue        events waiting per endpoint per dispatcher; when full the oldest is dropped (counted)
   * @param maxBatch     events per POST
   * @param timeoutMs    a POST that has no answer within it failed
   * @param backoffMs    the first retry's delay; it doubles per failure up to {@code maxBackoffMs} (with jitter)
   */
  public record Webhook(String url, String secret, List<String> events, int queue, int maxBatch, long timeoutMs,
                        long backoffMs, long maxBackoffMs) {
    /** Whether this endpoint wants events of {@code type}. */
    public boolean wants(String type) {
      for (String e : events) {
        if (e.equals(type) || e.equals("*") || (e.endsWith("*") && type.startsWith(e.substring(0, e.length() - 1)))) {
          return true;
        }
      }
      return false;
    }

    static Webhook from(JsonObject j, String at) {
      String url = checkUrl(j.getString("url"), at + ".url");
      String secret = checkSecret(j.getString("secret"), at + ".secret");
      JsonArray events = j.getJsonArray("events", new JsonArray().add("*"));
      List<String> list = new ArrayList<>();
      for (Object e : events) {
        if (!(e instanceof String s) || !(s.equals("*") || s.endsWith(".*") || MESSAGE_TYPES.contains(s)
            || s.matches("group\\.[a-z_]+"))) {
          throw new IllegalArgumentException(at + ".events: unknown event type " + e + "; known: " + MESSAGE_TYPES
              + ", group.<kind>, a prefix ending in .* or *");
        }
        list.add(s);
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException(at + ".events must name at least one event type");
      }
      int queue = positive(j.getInteger("queue", 10_000), at + ".queue");
      int maxBatch = positive(j.getInteger("maxBatch", 100), at + ".maxBatch");
      long timeout = positive(j.getLong("timeoutMs", 5_000L), at + ".timeoutMs");
      long backoff = positive(j.getLong("backoffMs", 500L), at + ".backoffMs");
      long maxBackoff = positive(j.getLong("maxBackoffMs", 60_000L), at + ".maxBackoffMs");
      if (maxBackoff < backoff) {
        throw new IllegalArgumentException(at + ".maxBackoffMs must be at least backoffMs");
      }
      return new Webhook(url, secret, List.copyOf(list), queue, maxBatch, timeout, backoff, maxBackoff);
    }
  }

  /**
   * The before-send hook.
   *
   * @param onFailure  {@code allow} or {@code reject}: what a send does when the hook times out, fails or answers
   *                   something unreadable
   * @param kinds      the sends it sees ({@code direct}, {@code group}, {@code room})
   * @param maxPending hook calls in flight per verticle instance; beyond it a send gets {@code onFailure} at once
   */
  public record BeforeSend(String url, String secret, long timeoutMs, boolean rejectOnFailure, Set<String> kinds,
                           int maxPending) {
    public boolean covers(String kind) {
      return kinds.contains(kind);
    }

    static BeforeSend from(JsonObject j) {
      String at = "hooks.beforeSend";
      String url = checkUrl(j.getString("url"), at + ".url");
      String secret = checkSecret(j.getString("secret"), at + ".secret");
      long timeout = positive(j.getLong("timeoutMs", 500L), at + ".timeoutMs");
      String onFailure = j.getString("onFailure", "allow");
      if (!onFailure.equals("allow") && !onFailure.equals("reject")) {
        throw new IllegalArgumentException(at + ".onFailure must be \"allow\" or \"reject\", not " + onFailure);
      }
      Set<String> kinds = new java.util.HashSet<>();
      for (Object k : j.getJsonArray("kinds", new JsonArray().add("direct").add("group").add("room"))) {
        if (!(k instanceof String s) || !KINDS.contains(s)) {
          throw new IllegalArgumentException(at + ".kinds: unknown kind " + k + "; known: " + KINDS);
        }
        kinds.add(s);
      }
      int maxPending = positive(j.getInteger("maxPending", 1_000), at + ".maxPending");
      return new BeforeSend(url, secret, timeout, onFailure.equals("reject"), Set.copyOf(kinds), maxPending);
    }
  }

  /** Whether anything (an endpoint or the event bus) wants events of {@code type}. */
  public boolean wants(String type) {
    if (busEvents) {
      return true;
    }
    for (Webhook w : webhooks) {
      if (w.wants(type)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any event is emitted at all. */
  public boolean anyEvents() {
    return busEvents || !webhooks.isEmpty();
  }

  /** The before-send hook if it covers {@code kind}, else null. */
  public BeforeSend beforeSend(String kind) {
    return beforeSend != null && beforeSend.covers(kind) ? beforeSend : null;
  }

  /** Parses and checks the {@code hooks} section; null or empty: no hooks. */
  public static HooksConfig from(JsonObject json) {
    if (json == null || json.isEmpty()) {
      return NONE;
    }
    List<Webhook> webhooks = new ArrayList<>();
    JsonArray list = json.getJsonArray("webhooks", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject w)) {
        throw new IllegalArgumentException("hooks.webhooks[" + i + "] must be an object");
      }
      webhooks.add(Webhook.from(w, "hooks.webhooks[" + i + "]"));
    }
    JsonObject before = json.getJsonObject("beforeSend");
    int maxGroup = json.getInteger("offlineMaxGroupSize", 1_000);
    if (maxGroup < 0) {
      throw new IllegalArgumentException("hooks.offlineMaxGroupSize must be 0 or more");
    }
    return new HooksConfig(List.copyOf(webhooks), json.getBoolean("busEvents", false),
        before == null ? null : BeforeSend.from(before), maxGroup);
  }

  private static String checkUrl(String url, String at) {
    if (url == null) {
      throw new IllegalArgumentException(at + " must be set");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(at + " must be an http:// or https:// URL with a host, not " + url);
      }
      return url;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(at + " is not a URL: " + url);
    }
  }

  private static String checkSecret(String secret, String at) {
    if (secret == null || secret.strip().length() < MIN_SECRET) {
      throw new IllegalArgumentException(at + " must be set, " + MIN_SECRET + "+ characters");
    }
    return Secrets.requireNotShipped(at, secret.strip());
  }

  private static int positive(int v, String at) {
    if (v < 1) {
      throw new IllegalArgumentException(at + " must be at least 1");
    }
    return v;
  }

  private static long positive(long v, String at) {
    if (v < 1) {
      throw new IllegalArgumentException(at + " must be at least 1");
    }
    return v;
  }
}
