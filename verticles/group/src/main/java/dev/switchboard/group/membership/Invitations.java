package dev.switchboard.group.membership;

import dev.switchboard.group.store.Invitation;
import dev.switchboard.group.store.InvitationStore;
import dev.switchboard.protocol.contract.PeerCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;

/**
 * A user's pending group invitations ({@link InvitationStore}), as listed to them: invitations from a user the invitee
 * has blocked since are left out (blocks are the API's: one ask per listing).
 */
final class Invitations {
  private final InvitationStore store;
  private final ApiPeers peers;

  Invitations(InvitationStore store, ApiPeers peers) {
    this.store = store;
    this.peers = peers;
  }

  /** {@code {invitations: [{gid, name, by, at, members}]}}: {@code uid}'s pending invitations, newest first. */
  Future<JsonObject> list(long uid) {
    return store.pending(uid).compose(all -> {
      List<Long> inviters = all.stream().map(Invitation::inviter).toList();
      return peers.ask(inviters, Collections.nCopies(all.size(), uid), PeerCheck.BLOCKED).map(facts -> {
        JsonArray list = new JsonArray();
        for (int i = 0; i < all.size(); i++) {
          Invitation invitation = all.get(i);
          if (!facts.has(i, PeerCheck.BLOCKED)) {
            list.add(new JsonObject().put("gid", invitation.gid()).put("name", invitation.name())
                .put("by", invitation.inviter()).put("at", invitation.at()).put("members", invitation.members()));
          }
        }
        return new JsonObject().put("invitations", list);
      });
    });
  }
}
