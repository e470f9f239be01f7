package dev.switchboard.api.users;

import dev.switchboard.api.store.UserStore;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.protocol.contract.UserLookup;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.api.users} ({@link UserLookup} → {@link UserInfo}): an account by username for another verticle (the
 * bridge finds its bots' uids here). Fails {@code not_found} when there is no such user, {@code bad_request} for a
 * body that is not a {@link UserLookup}.
 */
public final class UserLookups {
  private final UserStore users;

  public UserLookups(UserStore users) {
    this.users = users;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof UserLookup lookup) || lookup.username() == null) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST, "im.api.users takes a UserLookup"));
      return;
    }
    users.info(lookup.username())
        .compose(u -> u == null ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND,
            "no user named '" + lookup.username() + "'")) : Future.succeededFuture(u))
        .onSuccess(request::reply)
        .onFailure(t -> ImException.failReply(request, t));
  }
}
