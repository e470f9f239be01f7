package dev.switchboard.router.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * A user's one-to-one conversations: one per peer, with its last message, the messages received in it and the user's
 * read cursor, and the messages of both directions. The send batch keeps the conversations current ({@link SendStore});
 * this store reads them and moves the read cursor. Every future completes on the caller's context; a database failure
 * fails it with the driver's exception.
 */
public interface ConversationStore {

  /**
   * A stored message: {@code body} is its JSON text as stored (null once recalled), {@code recvNo} its number among
   * the messages its recipient received from its sender (0 for a note to oneself), {@code delivered} whether a device
   * of the recipient confirmed it.
   */
  record Message(long mid, String cid, long sender, long recipient, long ts, String type, String body,
                 boolean recalled, long senderSeq, long recipientSeq, long recvNo, boolean delivered, long editedAt,
                 byte[] reactions, String reply) {
  }

  /**
   * A conversation as its user sees it: the messages received and not read, the read cursor's inbox seq, the last
   * message.
   */
  record Conversation(long peer, long unread, long readSeq, Message last) {
  }

  /**
   * Messages of a conversation, newest first; {@code more} when older ones follow; {@code peerReadNo} the peer's read
   * cursor on it (the {@link Message#recvNo()} of the last of the user's messages the peer read, 0 for none).
   */
  record History(List<Message> messages, boolean more, long peerReadNo) {
  }

  /** The user's read cursor moved: the peer's own inbox seq of the last message read (0 for none), and unread left. */
  record ReadMark(long peerSeq, long unread) {
  }

  /** Up to {@code limit} of {@code uid}'s conversations, the most recent last message first (empty: none). */
  Future<List<Conversation>> list(long uid, int limit);

  /**
   * Up to {@code limit} messages between {@code uid} and {@code peer} (both directions; a note-to-self conversation
   * when they are equal) with mid below {@code before}, newest first.
   */
  Future<History> history(long uid, long peer, long before, int limit);

  /**
   * {@code uid} has read its conversation with {@code peer} up to its inbox seq {@code upTo}: raises the read cursor
   * (never lowers it; a conversation that does not exist stays so, with 0 unread) to {@code upTo} and to the last
   * message from {@code peer} at or below that seq.
   */
  Future<ReadMark> read(long uid, long peer, long upTo);

  /**
   * The messages {@code uid} received from {@code peer} and has not read (0 when they have no conversation): one row
   * read, for the unread count of an offline notification.
   */
  Future<Long> unread(long uid, long peer);
}
