package dev.switchboard.api.presence;

import java.util.Locale;

/**
 * A user's {@code lastSeen} privacy setting: who sees when they were last online. Their contacts always see whether
 * they are online ({@code presence} frames, {@code GET /api/v1/contacts}); the setting says who also gets
 * {@code lastSeen}, and who outside their contacts sees either on {@code GET /api/v1/users/{uid}}. Stored in
 * {@code user_privacy.last_seen} as {@link #code()}; a user with no row has {@link #EVERYONE}.
 */
public enum LastSeen {
  EVERYONE, CONTACTS, NOBODY;

  public int code() {
    return ordinal();
  }

  /** The setting stored as {@code code}; unknown values read as the default. */
  public static LastSeen of(int code) {
    return code >= 0 && code < values().length ? values()[code] : EVERYONE;
  }

  /** {@code everyone}, {@code contacts} or {@code nobody}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The setting named {@code wire}, or null when it names none. */
  public static LastSeen fromWire(Object wire) {
    for (LastSeen s : values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    return null;
  }

  /** Whether a viewer sees the user's last-seen time: {@code contact} when the viewer is one of their contacts. */
  public boolean shows(boolean contact) {
    return this == EVERYONE || (this == CONTACTS && contact);
  }
}
