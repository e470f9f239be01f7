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
 */
public record GroupSendRequest(long from, String session, String cid, long group, String msgType, byte[] body)
    implements Contract {
  public static final ContractType<GroupSendRequest> TYPE =
      new ContractType<>(4, "GroupSendRequest", 1, GroupSendRequest.class, GroupSendRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, from).putString(2, session).putString(3, cid).putLong(4, group).putString(5, msgType)
        .putBytes(6, body);
  }

  static GroupSendRequest decode(ContractReader r) {
    long from = 0;
    String session = null;
    String cid = null;
    long group = 0;
    String type = null;
    byte[] body = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> from = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> cid = r.readString();
        case 4 -> group = r.readLong();
        case 5 -> type = r.readString();
        case 6 -> body = r.readBytes();
        default -> r.skip();
      }
    }
    return new GroupSendRequest(from, session, cid, group, type, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupSendRequest s && from == s.from && group == s.group
        && Objects.equals(session, s.session) && Objects.equals(cid, s.cid) && Objects.equals(msgType, s.msgType)
        && Arrays.equals(body, s.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, session, cid, group, msgType, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "GroupSendRequest[from=" + from + ", session=" + session + ", cid=" + cid + ", group=" + group + ", type="
        + msgType + ", body=" + (body == null ? null : new String(body, StandardCharsets.UTF_8)) + "]";
  }
}
