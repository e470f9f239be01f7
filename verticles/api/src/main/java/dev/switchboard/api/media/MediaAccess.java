package dev.switchboard.api.media;

import dev.switchboard.api.store.ContactStore;
import dev.switchboard.api.store.MediaStore.Media;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.MembershipsReply;
import dev.switchboard.protocol.contract.MembershipsRequest;
import dev.switchboard.protocol.contract.PeerCheck;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Who may upload media for a conversation and who may read it, decided at the moment of asking (nothing cached, so a
 * block or a removal from a group is in effect for the next request):
 * <ul>
 *   <li>upload for user {@code to}: the user exists ({@code not_found}) and has not blocked the uploader
 *   ({@code blocked}), as for a send; upload for group {@code gid}: the uploader is a current member
 *   ({@code not_member});</li>
 *   <li>read: the uploader, the other user of its one-to-one conversation, or a current member of its group
 *   ({@code forbidden} otherwise).</li>
 * </ul>
 * Group membership is the group verticle's ({@code im.group.memberships}); the social graph is this verticle's own.
 */
public final class MediaAccess {
  private final ContactStore contacts;
  private final EventBus bus;
  private final DeliveryOptions options;

  public MediaAccess(ContactStore contacts, EventBus bus, long timeoutMs) {
    this.contacts = contacts;
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** Succeeds when {@code uid} may upload for user {@code to} (when positive) or group {@code gid}. */
  public Future<Void> mayUpload(long uid, long to, long gid) {
    if (gid > 0) {
      return member(uid, gid).compose(m -> m ? Future.succeededFuture()
          : Future.failedFuture(new ImException(ErrorCode.NOT_MEMBER, "you are not a member of group " + gid)));
    }
    if (to == uid) {
      return Future.succeededFuture();
    }
    return contacts.facts(new PeerCheck(List.of(uid), List.of(to), PeerCheck.EXISTS | PeerCheck.BLOCKED))
        .compose(f -> !f.has(0, PeerCheck.EXISTS)
            ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + to))
            : f.has(0, PeerCheck.BLOCKED) ? Future.failedFuture(new ImException(ErrorCode.BLOCKED, "user " + to
                + " blocked you")) : Future.succeededFuture());
  }

  /** Succeeds when {@code uid} may read {@code media}; {@code forbidden} otherwise. */
  public Future<Void> mayRead(long uid, Media media) {
    if (media.owner() == uid || (media.gid() == 0 && media.peer() == uid)) {
      return Future.succeededFuture();
    }
    Future<Boolean> allowed = media.gid() == 0 ? Future.succeededFuture(false) : member(uid, media.gid());
    return allowed.compose(ok -> ok ? Future.succeededFuture()
        : Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "media " + media.id() + " belongs to a "
            + "conversation you cannot read")));
  }

  private Future<Boolean> member(long uid, long gid) {
    return bus.<Object>request(Addresses.GROUP_MEMBERSHIPS, new MembershipsRequest(uid), options)
        .map(reply -> ((MembershipsReply) reply.body()).heads().containsKey(gid))
        .recover(t -> Future.failedFuture(ImException.of(t)));
  }
}
