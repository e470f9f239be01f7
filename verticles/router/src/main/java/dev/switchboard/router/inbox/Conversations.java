package dev.switchboard.router.inbox;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.ConversationsReply;
import dev.switchboard.protocol.contract.ConversationsRequest;
import dev.switchboard.protocol.frame.JsonBytes;
import dev.switchboard.protocol.frame.ReplySnapshot;
import dev.switchboard.router.store.ConversationStore;
import dev.switchboard.router.store.ConversationStore.Conversation;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code im.router.conversations} ({@link ConversationsRequest} → {@link ConversationsReply}): a user's one-to-one
 * conversations for the HTTP API, which writes the reply's bytes out as its response body.
 * <ul>
 *   <li>{@code GET /api/v1/conversations?limit=} → {@code {conversations: [{peer, unread, readSeq, last}]}}, most
 *   recent first; {@code last} is the last message (as in {@code msg} frames), {@code unread} comes from the read
 *   cursor.</li>
 *   <li>{@code GET /api/v1/conversations/{peer}/messages?before=&limit=} → {@code {messages, more}}: newest first,
 *   {@code before} a mid (exclusive). Messages the user sent carry {@code delivered} and {@code read}.</li>
 * </ul>
 * The API names the user from the token, so only the two parties read a conversation. Replies are JSON bytes with
 * each stored body's text spliced in, unparsed; {@code bad_request} for a body that is not a request.
 */
public final class Conversations {
  private final ConversationStore store;

  public Conversations(ConversationStore store) {
    this.store = store;
  }

  public void handle(Message<Object> request) {
    if (!(request.body() instanceof ConversationsRequest r) || r.limit() < 1) {
      ImException.failReply(request, new ImException(ErrorCode.BAD_REQUEST,
          "im.router.conversations takes a ConversationsRequest with a limit"));
      return;
    }
    (r.peer() == 0 ? list(r.uid(), r.limit())
        : history(r.uid(), r.peer(), r.before() == 0 ? Long.MAX_VALUE : r.before(), r.limit()))
        .onSuccess(json -> request.reply(new ConversationsReply(json)))
        .onFailure(t -> ImException.failReply(request, t));
  }

  private Future<byte[]> list(long uid, int limit) {
    return store.list(uid, limit).map(conversations -> {
      List<byte[]> list = new ArrayList<>(conversations.size());
      for (Conversation c : conversations) {
        byte[] last = message(c.last(), uid, -1);
        list.add(new JsonBytes(64 + last.length).number("peer", c.peer()).number("unread", c.unread())
            .number("readSeq", c.readSeq()).raw("last", last).close());
      }
      return new JsonBytes(length(list)).array("conversations", list).close();
    });
  }

  private Future<byte[]> history(long uid, long peer, long before, int limit) {
    return store.history(uid, peer, before, limit).map(history -> {
      List<byte[]> messages = new ArrayList<>(history.messages().size());
      for (ConversationStore.Message m : history.messages()) {
        messages.add(message(m, uid, history.peerReadNo()));
      }
      return new JsonBytes(length(messages)).array("messages", messages).bool("more", history.more()).close();
    });
  }

  /**
   * A stored message as {@code uid} sees it, as JSON with the stored body text spliced in (never parsed);
   * {@code peerReadNo} < 0 leaves out the read flag.
   */
  private static byte[] message(ConversationStore.Message m, long uid, long peerReadNo) {
    long seq = m.sender() == uid ? m.senderSeq() : m.recipientSeq();
    String cid = m.cid();
    String type = m.type();
    byte[] body = m.body() == null ? null : m.body().getBytes(StandardCharsets.UTF_8);
    JsonBytes json = new JsonBytes(170 + cid.length() + type.length() + (body == null ? 4 : body.length)
        + (m.reactions() == null ? 0 : m.reactions().length) + (m.reply() == null ? 0 : m.reply().length() * 3))
        .string("op", "msg").string("mid", Long.toString(m.mid())).string("cid", cid)
        .number("from", m.sender()).number("to", m.recipient()).number("seq", seq).number("ts", m.ts())
        .string("type", type).raw("body", body);
    if (m.recalled()) {
      json.bool("recalled", true);
    }
    if (m.editedAt() != 0) {
      json.number("editedAt", m.editedAt());
    }
    if (m.reactions() != null) {
      json.raw("reactions", m.reactions());
    }
    if (m.reply() != null) {
      json.raw("reply", ReplySnapshot.bytes(m.reply()));
    }
    if (m.sender() == uid && m.recipient() != uid) {
      json.bool("delivered", m.delivered());
      if (peerReadNo >= 0) {
        json.bool("read", m.recvNo() <= peerReadNo);
      }
    }
    return json.close();
  }

  private static int length(List<byte[]> items) {
    int n = 64;
    for (byte[] item : items) {
      n += item.length + 1;
    }
    return n;
  }
}
