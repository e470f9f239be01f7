package dev.switchboard.group.store;

/**
 * A group as one of its members sees it: the group's settings and head ({@code seq}), its size, and the member's role,
 * mute and read cursor ({@code readSeq}).
 */
public record GroupView(long gid, String name, long owner, long seq, boolean muted, int maxMembers, long members,
                        Role role, boolean mutedMe, long readSeq, long unreadMentions, int notifyLevel) {
}
