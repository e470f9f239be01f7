package dev.switchboard.shared.privacy;

import java.util.Locale;

/**
 * A user's {@code groupAdd} privacy setting: who may add them to a group directly; anyone else's add becomes an
 * invitation. Stored by the API in {@code user_privacy.group_add} as {@link #code()}, and sent as that code to the
 * group verticle when it asks ({@code PeerFacts.groupAdd}); a user with no row has {@link #EVERYONE}.
 */
public enum GroupAdd {
  EVERYONE, CONTACTS, NOBODY;

  /** The stored value. */
  public int code() {
    return ordinal();
  }

  /** The setting stored as {@code code}; unknown values read as the default. */
  public static GroupAdd of(int code) {
    return code >= 0 && code < values().length ? values()[code] : EVERYONE;
  }

  /** The name on the wire: {@code everyone}, {@code contacts} or {@code nobody}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The setting named {@code wire}, or null when it names none. */
  public static GroupAdd fromWire(Object wire) {
    for (GroupAdd g : values()) {
      if (g.wire().equals(wire)) {
        return g;
      }
    }
    return null;
  }
}
