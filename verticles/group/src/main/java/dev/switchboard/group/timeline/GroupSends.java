package dev.switchboard.group.timeline;

import dev.switchboard.group.GroupConfig;
import dev.switchboard.group.store.Role;
import dev.switchboard.group.store.TimelineStore;
import dev.switchboard.group.store.TimelineStore.Send;
import dev.switchboard.group.store.TimelineStore.Stored;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.BusHeaders;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupSendRequest;
import dev.switchboard.protocol.contract.SendReply;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.ReplySnapshot;
import dev.switchboard.shared.hooks.BeforeSendHook;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.BatchWriter;
import dev.switchboard.shared.store.SendLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group sends ({@code im.group.send}, {@link GroupSendRequest} → {@link SendReply}): size check and the sender's
 * rate limit, then a batched transaction ({@link TimelineStore#send}) that checks membership and mutes, assigns the
 * group's seq and stores the message once in the group's timeline; after the commit, one publish to
 * {@code im.group.g.<gid>} (one event-bus message, whatever the number of members, written as bytes with the body
 * spliced in as it arrived) and the reply.
 */
public final class GroupSends {
  private final EventBus bus;
  private final SendLimits limits;
  private final MidGenerator mids;
  private final BatchWriter<Send, Stored> writer;
  private final AtomicLong published;
  private final BeforeSendHook hook;
  private final GroupMessageEvents events;

  /**
   * {@code hook} (null: none) sees each send before it is written; {@code events} (null: no hook event configured)
   * emits the webhook events of each send after the commit.
   */
  public GroupSends(Vertx vertx, TimelineStore timeline, MidGenerator mids, GroupConfig config,
                    AtomicLong published, BeforeSendHook hook, GroupMessageEvents events, MentionAll mentionAll) {
    this.hook = hook;
    this.events = events;
    this.bus = vertx.eventBus();
    this.limits = new SendLimits(config.maxBodyBytes());
    this.mids = mids;
    this.published = published;
    TimelineStore.PostingRule rule = (gid, role, muted, groupMuted, all) -> refusal(gid, role, muted, groupMuted, all,
        mentionAll);
    this.writer = new BatchWriter<>(vertx, "group", sends -> timeline.send(sends, rule),
        config.maxBatch(), config.flushDelayMs(), config.maxPending());
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof GroupSendRequest r)) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST, "im.group.send takes a GroupSendRequest"));
      return;
    }
    String bodyJson;
    try {
      bodyJson = limits.checkBody(r.body());
    } catch (ImException e) {
      ImException.failReply(request, e);
      return;
    }
    // The send rate was limited by the sender's gateway (or the bridge, for a bot) before the request. The hook runs
    // before the write, where duplicates are found: a retry of a rewritten send is asked again, and stored once.
    Future<GroupSendRequest> allowed = hook == null ? Future.succeededFuture(r)
        : hook.check("group", new JsonObject().put("from", r.from()).put("group", r.group()).put("cid", r.cid())
            .put("type", r.msgType()), r.body())
            .map(verdict -> verdict.body() == null ? r : r.withBody(verdict.body()));
    allowed.compose(send -> {
      String text = send == r ? bodyJson : limits.checkBody(send.body());
      long from = send.from();
      long gid = send.group();
      long mid = mids.next();
      return writer.submit(new Send(from, send.cid(), gid, send.msgType(), text, mid, MidGenerator.timestampOf(mid),
              send.replyTo(), send.mentions(), send.mentionAll()))
          .map(stored -> {
            if (!stored.duplicate()) {
              published.incrementAndGet();
              bus.publish(Addresses.group(gid), MessageJson.messageFrame(stored.mid(), send.cid(), from, 0, gid,
                  stored.seq(), stored.ts(), send.msgType(), send.body(), ReplySnapshot.bytes(stored.reply()),
                  ReplySnapshot.bytes(stored.mentions()), send.mentionAll()),
                  new DeliveryOptions().addHeader(BusHeaders.SKIP, send.session()));
              if (events != null) {
                events.sent(send, send.body(), stored);
              }
            }
            return new SendReply(stored.mid(), stored.seq(), stored.ts(), gid, stored.duplicate());
          });
    }).onSuccess(request::reply).onFailure(t -> ImException.failReply(request, t));
  }

  /**
   * Who may post: a member unless muted, or unless the group is muted and they are a plain member; with {@code @all}
   * only those {@code policy} allows.
   */
  private static ImException refusal(long gid, Role role, boolean muted, boolean groupMuted, boolean all,
                                     MentionAll policy) {
    if (muted || (groupMuted && role == Role.MEMBER)) {
      return new ImException(ErrorCode.MUTED, "you are muted in group " + gid);
    }
    return all && !policy.allows(role)
        ? new ImException(ErrorCode.FORBIDDEN, "you may not mention everyone in group " + gid) : null;
  }
}
