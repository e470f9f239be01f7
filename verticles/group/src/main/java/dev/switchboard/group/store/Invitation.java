package dev.switchboard.group.store;

/** A pending invitation to group {@code gid} ({@code name}, {@code members} now), by {@code inviter} at {@code at}. */
public record Invitation(long gid, String name, long inviter, long at, long members) {
}
