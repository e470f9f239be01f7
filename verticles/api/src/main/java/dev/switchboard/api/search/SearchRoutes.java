package dev.switchboard.api.search;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.http.RateLimit;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.protocol.contract.SearchRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.frame.JsonBytes;
import dev.switchboard.shared.search.SearchText;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/v1/search?q=&limit=&before=&peer=|group=}: the messages the authenticated user can read that match
 * the query, newest first (docs/protocol.md, "Search"). The router answers for one-to-one messages
 * ({@code im.router.search}) and the group verticle for the user's current groups ({@code im.group.search}), in
 * parallel; this route merges their pages by mid ({@link #merge}). Answers
 * {@code {results: [{mid, from, to | group, seq, ts, type, body}], next?}}; {@code next} is the cursor of the
 * following page ({@code before}), absent on the last.
 *
 * <p>Bad input is {@code 400 invalid_field} naming the parameter; each search also takes a token from the user's own
 * search budget ({@code searchRateLimit}, 429 {@code rate_limited}) on top of the per-user request budget;
 * {@code 403 not_member} for a {@code group} the user is not in; {@code 503 unavailable} when a verticle does not
 * answer within the request timeout.
 */
public final class SearchRoutes {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 50;
  private static final String QUERY = "search.query";

  private final EventBus bus;
  private final DeliveryOptions options;
  private final RateLimit budget;

  /** {@code budget}: the per-user search budget, charged under its own keys ({@code s<uid>}). */
  public SearchRoutes(EventBus bus, long timeoutMs, RateLimit budget) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.budget = budget;
  }

  public void mount(Router router, Authn authn) {
    router.get("/api/v1/search").handler(authn::handle).handler(ctx -> {
      ctx.put(QUERY, request(ctx));
      budget.charge(ctx, "s" + Authn.uid(ctx));
    }).handler(this::search);
  }

  /** The request the query string describes; {@code invalid_field} naming the parameter that is wrong. */
  private static SearchRequest request(RoutingContext ctx) {
    List<String> terms = SearchText.terms(ctx.request().getParam("q"));
    int limit = (int) Authn.query(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    long before = Authn.query(ctx, "before", 0, 1, Long.MAX_VALUE);
    long peer = Authn.query(ctx, "peer", 0, 1, Long.MAX_VALUE);
    long group = Authn.query(ctx, "group", 0, 1, Long.MAX_VALUE);
    if (peer != 0 && group != 0) {
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'group' cannot be given with 'peer'");
    }
    return new SearchRequest(Authn.uid(ctx), terms, peer, group, before, limit);
  }

  private void search(RoutingContext ctx) {
    SearchRequest request = ctx.get(QUERY);
    List<Future<SearchReply>> asks = new ArrayList<>(2);
    if (request.group() == 0) {
      asks.add(ask(Addresses.ROUTER_SEARCH, request));
    }
    if (request.peer() == 0) {
      asks.add(ask(Addresses.GROUP_SEARCH, request));
    }
    Future.all(asks)
        .onSuccess(all -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(Buffer.buffer(json(merge(all.<SearchReply>list(), request.limit())))).onFailure(ctx::fail))
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }

  private Future<SearchReply> ask(String address, SearchRequest request) {
    return bus.<SearchReply>request(address, request, options).map(Message::body);
  }

  /**
   * One page from the sources' pages, each complete from its {@code next} up to the request's bound: the hits no
   * source may still be missing (mid at or above the highest {@code next}), newest first, at most {@code limit}; the
   * page's {@code next} is the last hit's mid when hits were left out, else that highest {@code next} (0: none).
   */
  static SearchReply merge(List<SearchReply> pages, int limit) {
    long bound = 0;
    for (SearchReply page : pages) {
      bound = Math.max(bound, page.next());
    }
    List<SyncEntry> hits = new ArrayList<>();
    for (SearchReply page : pages) {
      for (SyncEntry hit : page.hits()) {
        if (hit.mid() >= bound) {
          hits.add(hit);
        }
      }
    }
    hits.sort(Comparator.comparingLong(SyncEntry::mid).reversed());
    if (hits.size() > limit) {
      List<SyncEntry> kept = hits.subList(0, limit);
      return new SearchReply(kept, kept.get(limit - 1).mid());
    }
    return new SearchReply(hits, bound);
  }

  /** The response body: stored bodies spliced in as they are, never parsed. */
  private static byte[] json(SearchReply page) {
    List<byte[]> results = new ArrayList<>(page.hits().size());
    int size = 64;
    for (SyncEntry hit : page.hits()) {
      byte[] body = hit.body();
      JsonBytes json = new JsonBytes(160 + hit.msgType().length() + (body == null ? 4 : body.length))
          .string("mid", Long.toString(hit.mid())).number("from", hit.from());
      json = hit.group() != 0 ? json.number("group", hit.group()) : json.number("to", hit.to());
      byte[] result = json.number("seq", hit.seq()).number("ts", hit.ts()).string("type", hit.msgType())
          .raw("body", body).close();
      results.add(result);
      size += result.length + 1;
    }
    JsonBytes out = new JsonBytes(size + 40).array("results", results);
    if (page.next() != 0) {
      out.string("next", Long.toString(page.next()));
    }
    return out.close();
  }
}
