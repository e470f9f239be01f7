package dev.switchboard.api.identities;

import dev.switchboard.api.store.IdentityStore;
import dev.switchboard.api.users.ProfileFields;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.IdentityReply;
import dev.switchboard.protocol.contract.IdentityRequest;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.api.identities} ({@link IdentityRequest} → {@link IdentityReply}): the uid of a user of the app's identity
 * provider, made on first use with the token's name and avatar (an avatar that is not an http(s) URL is left out).
 * Asked by whoever verifies an app token the first time it sees that user (the result is kept in shared state).
 */
public final class Identities {
  private final IdentityStore store;

  public Identities(IdentityStore store) {
    this.store = store;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof IdentityRequest r) || r.issuer() == null || r.externalId() == null) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.api.identities takes an IdentityRequest with issuer and externalId"));
      return;
    }
    String avatar = ProfileFields.avatar(r.avatar()) ? r.avatar() : null;
    store.resolve(r.issuer(), r.externalId(), r.name(), avatar)
        .onSuccess(done -> request.reply(new IdentityReply(done.uid(), done.created())))
        .onFailure(t -> ImException.failReply(request, t));
  }
}
