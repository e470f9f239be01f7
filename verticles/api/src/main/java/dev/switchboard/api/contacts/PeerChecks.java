package dev.switchboard.api.contacts;

import dev.switchboard.api.store.ContactStore;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import io.vertx.core.eventbus.Message;

/**
 * {@code im.api.peers} ({@link PeerCheck} → {@link PeerFacts}): what the router needs before it stores a batch of
 * sends (recipient exists, recipient blocked the sender, the two are contacts) and the group verticle before an add
 * (the same, and the user's {@code groupAdd} setting), answered from the API's own tables by
 * {@link ContactStore#facts}, so a batch costs one round trip whatever its size. Reads are not cached: a block or
 * unblock is in effect for the next ask. Runs on the consumer's event loop; failures reply with their code
 * ({@code bad_request} for a body that is not a {@link PeerCheck}).
 */
public final class PeerChecks {
  private final ContactStore contacts;

  public PeerChecks(ContactStore contacts) {
    this.contacts = contacts;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof PeerCheck check)) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST, "im.api.peers takes a PeerCheck"));
      return;
    }
    contacts.facts(check).onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }
}
