package dev.switchboard.protocol.contract;

import io.vertx.core.json.JsonObject;

/**
 * Reply of {@code im.router.react} and {@code im.group.react}: the message, its group (0: one-to-one) and the seq of
 * the reaction entry (in the reactor's inbox, or the group's timeline); {@code seq} 0 when nothing changed (the
 * reaction was there already, or was not there to remove).
 */
public record ReactReply(long mid, long group, long seq) implements Contract {
  public static final ContractType<ReactReply> TYPE =
      new ContractType<>(103, "ReactReply", 1, ReactReply.class, ReactReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, mid).putLong(2, group).putLong(3, seq);
  }

  static ReactReply decode(ContractReader r) {
    long mid = 0;
    long group = 0;
    long seq = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> mid = r.readLong();
        case 2 -> group = r.readLong();
        case 3 -> seq = r.readLong();
        default -> r.skip();
      }
    }
    return new ReactReply(mid, group, seq);
  }

  /** The fields of {@code msg.react.ok}: {@code {mid, seq?, group?}}. */
  public JsonObject fields() {
    JsonObject j = new JsonObject().put("mid", Long.toString(mid));
    if (seq != 0) {
      j.put("seq", seq);
    }
    if (group != 0) {
      j.put("group", group);
    }
    return j;
  }
}
