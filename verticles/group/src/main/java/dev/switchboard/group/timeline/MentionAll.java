package dev.switchboard.group.timeline;

import dev.switchboard.group.store.Role;

/**
 * Who may mention everyone ({@code mentionAll: true}) in a group: {@code verticles.group.mentionAll}, one of
 * {@code admins} (the owner and admins; the default), {@code everyone} (any member who may post), {@code nobody}.
 */
public enum MentionAll {
  ADMINS, EVERYONE, NOBODY;

  public static MentionAll from(String setting) {
    String s = setting == null ? "admins" : setting;
    return switch (s) {
      case "admins" -> ADMINS;
      case "everyone" -> EVERYONE;
      case "nobody" -> NOBODY;
      default -> throw new IllegalArgumentException("verticles.group.mentionAll must be admins, everyone or nobody");
    };
  }

  /** Whether a member of {@code role} may mention everyone. */
  public boolean allows(Role role) {
    return this == EVERYONE || (this == ADMINS && role.atLeast(Role.ADMIN));
  }
}
