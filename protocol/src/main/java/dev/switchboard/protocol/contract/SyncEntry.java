package dev.switchboard.protocol.contract;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a {@link SyncPage}, as stored: a message ({@link #MESSAGE}: mid, cid, from, to or group, seq, ts, msgType (its type),
 * body, recalled, editedAt when edited, reactions when it has some), the recall of a message ({@link #RECALLED}: mid,
 * by, seq, group for a group's timeline), a group event ({@link #EVENT}: group, seq, ts, event), the edit of a message
 * ({@link #EDITED}: mid, by, seq, group, body (the message's body now, null once recalled), editedAt) or a change of a
 * message's reactions ({@link #REACTIONS}: mid, seq, group, reactions). {@code reactions} is the JSON array text
 * {@code [{"emoji", "count", "me"?}]} of the message's reactions when the page was read ({@code me}: the reader's own),
 * written by the store. A message may also carry {@code reply} (the server-made snapshot of the message it quotes, JSON
 * object text) and, in a group, {@code mentions} (JSON array text of uids) and {@code mentionAll} (v3). {@code body} is the body's JSON text as stored (UTF-8), null on a
 * recalled message; {@code event} is the event's details as the JSON object text stored in the timeline. Neither is
 * parsed on the way to the client: {@link dev.switchboard.protocol.frame.SyncFrames} splices them into frames.
 *
 * <p>A gateway that meets a {@code kind} it does not know (a newer router's) leaves the entry out of the frame.
 */
public record SyncEntry(int kind, long mid, String cid, long from, long to, long group, long seq, long ts,
                        String msgType, byte[] body, boolean recalled, long by, byte[] event, long editedAt,
                        byte[] reactions, byte[] reply, byte[] mentions, boolean mentionAll) implements Contract {
  public static final ContractType<SyncEntry> TYPE =
      new ContractType<>(82, "SyncEntry", 3, SyncEntry.class, SyncEntry::decode);

  public static final int MESSAGE = 1;
  public static final int RECALLED = 2;
  public static final int EVENT = 3;
  public static final int EDITED = 4;
  public static final int REACTIONS = 5;

  /** An entry with no edit time and no reactions (version 1's fields). */
  public SyncEntry(int kind, long mid, String cid, long from, long to, long group, long seq, long ts, String msgType,
                   byte[] body, boolean recalled, long by, byte[] event) {
    this(kind, mid, cid, from, to, group, seq, ts, msgType, body, recalled, by, event, 0, null, null, null, false);
  }

  /** This entry with its edit time ({@code 0}: never edited) and reactions ({@code null}: none). */
  public SyncEntry with(long editedAt, byte[] reactions) {
    return new SyncEntry(kind, mid, cid, from, to, group, seq, ts, msgType, body, recalled, by, event, editedAt,
        reactions, reply, mentions, mentionAll);
  }

  /**
   * This entry with the snapshot of the message it quotes ({@code reply}, JSON object text; null: none), the members
   * it mentions ({@code mentions}, JSON array text; null: none) and {@code mentionAll}.
   */
  public SyncEntry withReply(byte[] reply, byte[] mentions, boolean mentionAll) {
    return new SyncEntry(kind, mid, cid, from, to, group, seq, ts, msgType, body, recalled, by, event, editedAt,
        reactions, reply, mentions, mentionAll);
  }

  /** The edit of message {@code mid} by {@code by} at {@code seq}: its body now (null: recalled since). */
  public static SyncEntry edited(long mid, long by, long seq, long group, byte[] body, long editedAt) {
    return new SyncEntry(EDITED, mid, null, 0, 0, group, seq, 0, null, body, body == null, by, null, editedAt, null,
        null, null, false);
  }

  /** A change of message {@code mid}'s reactions at {@code seq}; {@code reactions} as they are now. */
  public static SyncEntry reactions(long mid, long seq, long group, byte[] reactions) {
    return new SyncEntry(REACTIONS, mid, null, 0, 0, group, seq, 0, null, null, false, 0, null, 0, reactions, null,
        null, false);
  }

  /** A one-to-one message in {@code to}'s or {@code from}'s inbox at {@code seq}. */
  public static SyncEntry message(long mid, String cid, long from, long to, long seq, long ts, String type,
                                  byte[] body, boolean recalled) {
    return new SyncEntry(MESSAGE, mid, cid, from, to, 0, seq, ts, type, body, recalled, 0, null);
  }

  /** A message of group {@code group} at {@code seq} of its timeline. */
  public static SyncEntry groupMessage(long mid, String cid, long from, long group, long seq, long ts, String type,
                                       byte[] body, boolean recalled) {
    return new SyncEntry(MESSAGE, mid, cid, from, 0, group, seq, ts, type, body, recalled, 0, null);
  }

  /** The recall of message {@code mid} by {@code by}, at {@code seq} (of a group's timeline when {@code group} != 0). */
  public static SyncEntry recall(long mid, long by, long seq, long group) {
    return new SyncEntry(RECALLED, mid, null, 0, 0, group, seq, 0, null, null, false, by, null);
  }

  /** A group event at {@code seq}; {@code event} is the stored JSON object of its details ({@code kind, by, ...}). */
  public static SyncEntry event(long group, long seq, long ts, byte[] event) {
    return new SyncEntry(EVENT, 0, null, 0, 0, group, seq, ts, null, null, false, 0, event);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putInt(1, kind).putLong(2, mid).putString(3, cid).putLong(4, from).putLong(5, to).putLong(6, group)
        .putLong(7, seq).putLong(8, ts).putString(9, msgType).putBytes(10, body).putBool(11, recalled).putLong(12, by)
        .putBytes(13, event).putLong(14, editedAt).putBytes(15, reactions).putBytes(16, reply).putBytes(17, mentions)
        .putBool(18, mentionAll);
  }

  static SyncEntry decode(ContractReader r) {
    int kind = 0;
    long mid = 0;
    String cid = null;
    long from = 0;
    long to = 0;
    long group = 0;
    long seq = 0;
    long ts = 0;
    String type = null;
    byte[] body = null;
    boolean recalled = false;
    long by = 0;
    byte[] event = null;
    long editedAt = 0;
    byte[] reactions = null;
    byte[] reply = null;
    byte[] mentions = null;
    boolean mentionAll = false;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> kind = r.readInt();
        case 2 -> mid = r.readLong();
        case 3 -> cid = r.readString();
        case 4 -> from = r.readLong();
        case 5 -> to = r.readLong();
        case 6 -> group = r.readLong();
        case 7 -> seq = r.readLong();
        case 8 -> ts = r.readLong();
        case 9 -> type = r.readString();
        case 10 -> body = r.readBytes();
        case 11 -> recalled = r.readBool();
        case 12 -> by = r.readLong();
        case 13 -> event = r.readBytes();
        case 14 -> editedAt = r.readLong();
        case 15 -> reactions = r.readBytes();
        case 16 -> reply = r.readBytes();
        case 17 -> mentions = r.readBytes();
        case 18 -> mentionAll = r.readBool();
        default -> r.skip();
      }
    }
    return new SyncEntry(kind, mid, cid, from, to, group, seq, ts, type, body, recalled, by, event, editedAt,
        reactions, reply, mentions, mentionAll);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncEntry e && kind == e.kind && mid == e.mid && Objects.equals(cid, e.cid)
        && from == e.from && to == e.to && group == e.group && seq == e.seq && ts == e.ts
        && Objects.equals(msgType, e.msgType) && Arrays.equals(body, e.body) && recalled == e.recalled && by == e.by
        && Arrays.equals(event, e.event) && editedAt == e.editedAt && Arrays.equals(reactions, e.reactions)
        && Arrays.equals(reply, e.reply) && Arrays.equals(mentions, e.mentions) && mentionAll == e.mentionAll;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, mid, cid, from, to, group, seq, ts, msgType, Arrays.hashCode(body), recalled, by,
        Arrays.hashCode(event), editedAt, Arrays.hashCode(reactions), Arrays.hashCode(reply), Arrays.hashCode(mentions),
        mentionAll);
  }

  @Override
  public String toString() {
    return "SyncEntry[kind=" + kind + ", mid=" + mid + ", cid=" + cid + ", from=" + from + ", to=" + to
        + ", group=" + group + ", seq=" + seq + ", ts=" + ts + ", msgType=" + msgType + ", body="
        + (body == null ? null : new String(body, java.nio.charset.StandardCharsets.UTF_8)) + ", recalled="
        + recalled + ", by=" + by + ", event="
        + (event == null ? null : new String(event, java.nio.charset.StandardCharsets.UTF_8)) + ", editedAt="
        + editedAt + ", reactions="
        + (reactions == null ? null : new String(reactions, java.nio.charset.StandardCharsets.UTF_8)) + ", reply="
        + (reply == null ? null : new String(reply, java.nio.charset.StandardCharsets.UTF_8)) + ", mentions="
        + (mentions == null ? null : new String(mentions, java.nio.charset.StandardCharsets.UTF_8)) + ", mentionAll="
        + mentionAll + "]";
  }
}
