package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code im.group.send} request: a message from {@code from} to group {@code group}, from the gateway or a bot
 * through the bridge. Reply: {@link SendReply} with the group's seq and {@code group} set.
 *
 * @param msgType the message type the client chose ({@code type} of {@code msg.send})
 * @param session the sending session, which does not get its own message back
 * @param body    the body's JSON as the client sent it (see {@link SendRequest#body()}); never modified
 * @param replyTo the mid of the group's message this one quotes (0: none; v2)
 * @param mentions the members mentioned (v2; distinct uids, at most 50, checked by the gateway)
 * @param mentionAll {@code @all} (v2)
 */
public record GroupSendRequest(long from, String session, String cid, long group, String msgType, byte[] body,
                               long replyTo, long[] mentions, boolean mentionAll) implements Contract {
  public static final ContractType<GroupSendRequest> TYPE =
      new ContractType<>(4, "GroupSendRequest", 2, GroupSendRequest.class, GroupSendRequest::decode);
  private static final long[] NONE = {};

  public GroupSendRequest {
    mentions = mentions == null ? NONE : mentions;
  }

  /** A send that quotes no message and mentions no one. */
  public GroupSendRequest(long from, String session, String cid, long group, String msgType, byte[] body) {
    this(from, session, cid, group, msgType, body, 0, NONE, false);
  }

  /** This send with another body (a before-send hook's replacement). */
  public GroupSendRequest withBody(byte[] newBody) {
    return new GroupSendRequest(from, session, cid, group, msgType, newBody, replyTo, mentions, mentionAll);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, from).putString(2, session).putString(3, cid).putLong(4, group).putString(5, msgType)
        .putBytes(6, body).putLong(7, replyTo).putLongs(8, mentions).putBool(9, mentionAll);
  }

  static GroupSendRequest decode(ContractReader r) {
    long from = 0;
    String session = null;
    String cid = null;
    long group = 0;
    String type = null;
    byte[] body = null;
    long replyTo = 0;
    long[] mentions = NONE;
    int mentioned = 0;
    boolean mentionAll = false;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> from = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> cid = r.readString();
        case 4 -> group = r.readLong();
        case 5 -> type = r.readString();
        case 6 -> body = r.readBytes();
        case 7 -> replyTo = r.readLong();
        case 8 -> {
          if (mentioned == mentions.length) {
            mentions = Arrays.copyOf(mentions, Math.max(4, mentioned * 2));
          }
          mentions[mentioned++] = r.readLong();
        }
        case 9 -> mentionAll = r.readBool();
        default -> r.skip();
      }
    }
    return new GroupSendRequest(from, session, cid, group, type, body, replyTo,
        mentioned == mentions.length ? mentions : Arrays.copyOf(mentions, mentioned), mentionAll);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupSendRequest s && from == s.from && group == s.group && replyTo == s.replyTo
        && mentionAll == s.mentionAll && Arrays.equals(mentions, s.mentions)
        && Objects.equals(session, s.session) && Objects.equals(cid, s.cid) && Objects.equals(msgType, s.msgType)
        && Arrays.equals(body, s.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, session, cid, group, msgType, Arrays.hashCode(body), replyTo, Arrays.hashCode(mentions),
        mentionAll);
  }

  @Override
  public String toString() {
    return "GroupSendRequest[from=" + from + ", session=" + session + ", cid=" + cid + ", group=" + group + ", type="
        + msgType + ", body=" + (body == null ? null : new String(body, StandardCharsets.UTF_8)) + ", replyTo="
        + replyTo + ", mentions=" + Arrays.toString(mentions) + ", mentionAll=" + mentionAll + "]";
  }
}
