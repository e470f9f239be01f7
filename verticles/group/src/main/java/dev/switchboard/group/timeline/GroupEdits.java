package dev.switchboard.group.timeline;

import dev.switchboard.group.store.TimelineStore;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.EditReply;
import dev.switchboard.protocol.contract.EditRequest;
import dev.switchboard.protocol.contract.MessageVersionsRequest;
import dev.switchboard.protocol.contract.ReactReply;
import dev.switchboard.protocol.contract.ReactRequest;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.config.EditsConfig;
import dev.switchboard.shared.hooks.BeforeSendHook;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.SendLimits;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;

/**
 * Edits and reactions of group messages, entries of the timeline like recalls:
 * <ul>
 *   <li>{@code im.group.edit} ({@link EditRequest}): the sender, still a member, replaces a message's body within the
 *   edit window (shown first to a before-send hook that covers group sends, with {@code edit}: the mid); members get
 *   {@code msg.edited {mid, by, seq, body, editedAt, group}}. Reply {@link EditReply}.</li>
 *   <li>{@code im.group.react} ({@link ReactRequest}): a member adds or removes a reaction on a message it can read;
 *   members get {@code msg.reactions {mid, seq, by, emoji, added, reactions, group}}. Reply {@link ReactReply}.</li>
 *   <li>{@code im.group.versions} ({@link MessageVersionsRequest}, server API): a message's bodies.</li>
 * </ul>
 * Each frame is encoded once and published once to the group's address.
 */
public final class GroupEdits {
  private final TimelineStore timeline;
  private final EventBus bus;
  private final MidGenerator mids;
  private final SendLimits limits;
  private final EditsConfig config;
  private final BeforeSendHook hook;

  /** {@code hook}: null when none covers group sends. */
  public GroupEdits(TimelineStore timeline, EventBus bus, MidGenerator mids, SendLimits limits, EditsConfig config,
                    BeforeSendHook hook) {
    this.timeline = timeline;
    this.bus = bus;
    this.mids = mids;
    this.limits = limits;
    this.config = config;
    this.hook = hook;
  }

  public void edit(Message<EditRequest> request) {
    EditRequest r = request.body();
    Future<EditReply> reply;
    try {
      limits.checkBody(r.body());
      reply = approved(r).compose(body -> {
        String text = body == r.body() ? new String(body, StandardCharsets.UTF_8) : limits.checkBody(body);
        return timeline.edit(r.group(), r.uid(), r.mid(), text, config.editWindowMs(), config.maxEdits(), mids.next())
            .map(done -> {
              bus.publish(Addresses.group(r.group()), OutFrame.ofJsonBytes(MessageJson.editedBytes(r.mid(), r.uid(),
                  done.seq(), r.group(), body, done.editedAt())), skip(r.session()));
              return new EditReply(r.mid(), r.group(), done.seq(), done.editedAt());
            });
      });
    } catch (ImException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  private Future<byte[]> approved(EditRequest r) {
    if (hook == null) {
      return Future.succeededFuture(r.body());
    }
    // The hook is told the message's cid and type: read it first (the edit re-checks everything under a lock).
    return timeline.find(r.group(), r.mid()).compose(m -> hook.checkEdit(m, r.uid(), r.mid(), r.body()));
  }

  public void react(Message<ReactRequest> request) {
    ReactRequest r = request.body();
    timeline.react(r.group(), r.uid(), r.mid(), r.emoji(), r.add(), config.maxEmoji(), config.maxReactionsPerUser(),
            mids.next())
        .onSuccess(done -> {
          if (done != null) {
            bus.publish(Addresses.group(r.group()), OutFrame.ofJsonBytes(MessageJson.reactionsBytes(r.mid(),
                done.seq(), r.group(), r.uid(), r.emoji(), r.add(), done.reactions())), skip(r.session()));
          }
          request.reply(new ReactReply(r.mid(), r.group(), done == null ? 0 : done.seq()));
        })
        .onFailure(t -> ImException.failReply(request, t));
  }

  public void versions(Message<MessageVersionsRequest> request) {
    timeline.versions(request.body().group(), request.body().mid()).onSuccess(request::reply)
        .onFailure(t -> ImException.failReply(request, t));
  }

  private static DeliveryOptions skip(String session) {
    return new DeliveryOptions().addHeader(BusHeaders.SKIP, session);
  }
}
