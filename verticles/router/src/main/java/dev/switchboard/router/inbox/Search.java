package dev.switchboard.router.inbox;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SearchRequest;
import dev.switchboard.router.store.MessageSearchStore;
import dev.switchboard.shared.search.SearchScan;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.router.search} ({@link SearchRequest} → {@code SearchReply}): a page of the one-to-one messages the user
 * can read (sent or received, not recalled) that match the terms, newest first, for {@code GET /api/v1/search}.
 * {@code bad_request} for a request without a user, terms or a limit of 1 to 50.
 */
public final class Search {
  /** Largest page. */
  public static final int MAX_LIMIT = 50;
  private final MessageSearchStore store;

  public Search(MessageSearchStore store) {
    this.store = store;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof SearchRequest r) || r.uid() <= 0 || r.terms().isEmpty() || r.limit() < 1
        || r.limit() > MAX_LIMIT) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.router.search takes a SearchRequest with a uid, terms and a limit of 1 to " + MAX_LIMIT));
      return;
    }
    SearchScan.run((before, n) -> store.candidates(r.uid(), r.peer(), r.terms(), before, n), r.terms(), r.before(),
            r.limit())
        .onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }
}
