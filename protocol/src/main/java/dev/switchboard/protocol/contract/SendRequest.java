package dev.switchboard.protocol.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code im.router.send} request: a one-to-one message from {@code from} to {@code to}, from the gateway (a session's
 * {@code msg.send}), the push API ({@code push}: persisted, not rate limited) or a bot through the bridge. Reply:
 * {@link SendReply} (the sender's seq); failures carry their error code.
 *
 * @param msgType the message type the client chose ({@code type} of {@code msg.send})
 * @param session the sending session, which does not get its own message back
 * @param body    the body's JSON as the client sent it (validated and depth-checked by whoever parsed it; the router
 *                checks its size); never modified
 * @param replyTo the mid of the message of the same conversation this one quotes (0: none; v2)
 */
public record SendRequest(long from, String session, String cid, long to, String msgType, byte[] body, boolean push,
                          long replyTo) implements Contract {
  public static final ContractType<SendRequest> TYPE =
      new ContractType<>(3, "SendRequest", 2, SendRequest.class, SendRequest::decode);

  /** A send that quotes no message. */
  public SendRequest(long from, String session, String cid, long to, String msgType, byte[] body, boolean push) {
    this(from, session, cid, to, msgType, body, push, 0);
  }

  /** This send with another body (a before-send hook's replacement). */
  public SendRequest withBody(byte[] newBody) {
    return new SendRequest(from, session, cid, to, msgType, newBody, push, replyTo);
  }

  public boolean toSelf() {
    return from == to;
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, from).putString(2, session).putString(3, cid).putLong(4, to).putString(5, msgType).putBytes(6, body)
        .putBool(7, push).putLong(8, replyTo);
  }

  static SendRequest decode(ContractReader r) {
    long from = 0;
    String session = null;
    String cid = null;
    long to = 0;
    String type = null;
    byte[] body = null;
    boolean push = false;
    long replyTo = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> from = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> cid = r.readString();
        case 4 -> to = r.readLong();
        case 5 -> type = r.readString();
        case 6 -> body = r.readBytes();
        case 7 -> push = r.readBool();
        case 8 -> replyTo = r.readLong();
        default -> r.skip();
      }
    }
    return new SendRequest(from, session, cid, to, type, body, push, replyTo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendRequest s && from == s.from && to == s.to && push == s.push && replyTo == s.replyTo
        && Objects.equals(session, s.session) && Objects.equals(cid, s.cid) && Objects.equals(msgType, s.msgType)
        && Arrays.equals(body, s.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, session, cid, to, msgType, Arrays.hashCode(body), push, replyTo);
  }

  @Override
  public String toString() {
    return "SendRequest[from=" + from + ", session=" + session + ", cid=" + cid + ", to=" + to + ", type=" + msgType
        + ", body=" + (body == null ? null : new String(body, StandardCharsets.UTF_8)) + ", push=" + push
        + ", replyTo=" + replyTo + "]";
  }
}
