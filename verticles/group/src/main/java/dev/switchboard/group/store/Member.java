package dev.switchboard.group.store;

/** A user's membership of a group: their role and whether an owner or admin muted them. */
public record Member(long uid, Role role, boolean muted) {
}
