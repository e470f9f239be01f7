package dev.switchboard.group.store;

/** A member's role in a group, highest last: owner › admin › member ({@code group_members.role} 2, 1, 0). */
public enum Role {
  MEMBER,
  ADMIN,
  OWNER;

  private static final Role[] BY_CODE = values();

  /** The role stored as {@code code}. */
  static Role of(int code) {
    return BY_CODE[code];
  }

  /** The stored code. */
  int code() {
    return ordinal();
  }

  /** Whether this role is {@code least} or higher. */
  public boolean atLeast(Role least) {
    return compareTo(least) >= 0;
  }

  /** Its name on the wire: {@code owner}, {@code admin}, {@code member}. */
  public String wireName() {
    return this == OWNER ? "owner" : this == ADMIN ? "admin" : "member";
  }
}
