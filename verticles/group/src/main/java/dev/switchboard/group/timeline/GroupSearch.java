package dev.switchboard.group.timeline;

import dev.switchboard.group.store.TimelineSearchStore;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SearchRequest;
import dev.switchboard.shared.search.SearchScan;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.group.search} ({@link SearchRequest} → {@code SearchReply}): a page of the messages of the user's current
 * groups, after the user joined each (what group sync gives the user), that match the terms, newest first, for
 * {@code GET /api/v1/search}. {@code not_member} for a {@code group} the user is not in; {@code bad_request} for a
 * request without a user, terms or a limit of 1 to 50.
 */
public final class GroupSearch {
  /** Largest page. */
  public static final int MAX_LIMIT = 50;
  private final TimelineSearchStore store;

  public GroupSearch(TimelineSearchStore store) {
    this.store = store;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof SearchRequest r) || r.uid() <= 0 || r.terms().isEmpty() || r.limit() < 1
        || r.limit() > MAX_LIMIT) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.group.search takes a SearchRequest with a uid, terms and a limit of 1 to " + MAX_LIMIT));
      return;
    }
    SearchScan.run((before, n) -> store.candidates(r.uid(), r.group(), r.terms(), before, n), r.terms(), r.before(),
            r.limit())
        .onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }
}
