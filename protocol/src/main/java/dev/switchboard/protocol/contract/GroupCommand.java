package dev.switchboard.protocol.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code im.group.manage} request: one group-management command by user {@code uid}. {@code kind} names it (one of
 * the constants below; the group verticle answers {@code unknown_op} to a kind it does not know, so a newer API can
 * run beside an older group verticle); the other fields are the command's arguments, unused ones at their defaults.
 * Build one with the factories. Reply: {@link GroupCommandReply}; failures as event-bus failures with a code.
 *
 * <ul>
 *   <li>reads: {@link #info}, {@link #mine}, {@link #members} ({@code after}, {@code limit}), {@link #history}
 *   ({@code before}, {@code limit}), {@link #invitations}; {@link #EXISTS} (for the push API, {@code uid} 0: the group
 *   exists and is not dissolved; reply {@code {gid}}, else {@code not_found});</li>
 *   <li>changes: {@link #create} ({@code name}, {@code members}), {@link #rename}, {@link #add} ({@code members}),
 *   {@link #remove} ({@code member}; yourself: leave), {@link #admin} ({@code member}, {@code admin}),
 *   {@link #mute} ({@code member}, {@code muted}), {@link #muteAll} ({@code muted}), {@link #dissolve},
 *   {@link #accept}, {@link #decline}, {@link #notify} ({@code name}: the level).</li>
 * </ul>
 */
public record GroupCommand(String kind, long uid, long gid, String name, List<Long> members, long member,
                           boolean admin, boolean muted, long after, long before, int limit) implements Contract {
  public static final ContractType<GroupCommand> TYPE =
      new ContractType<>(26, "GroupCommand", 1, GroupCommand.class, GroupCommand::decode);

  public static final String INFO = "info";
  public static final String MINE = "mine";
  public static final String MEMBERS = "members";
  public static final String HISTORY = "history";
  public static final String INVITATIONS = "invitations";
  public static final String EXISTS = "exists";
  public static final String CREATE = "create";
  public static final String RENAME = "rename";
  public static final String ADD = "add";
  public static final String REMOVE = "remove";
  public static final String LEAVE = "leave";
  public static final String ADMIN = "admin";
  public static final String MUTE = "mute";
  public static final String MUTE_ALL = "muteAll";
  /** The member's own notification level for the group, in {@code name}: all, mentions or none. */
  public static final String NOTIFY = "notify";
  public static final String DISSOLVE = "dissolve";
  public static final String ACCEPT = "accept";
  public static final String DECLINE = "decline";

  public GroupCommand {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** A command with no argument beyond the user and (0: none) the group. */
  public static GroupCommand of(String kind, long uid, long gid) {
    return new GroupCommand(kind, uid, gid, null, List.of(), 0, false, false, 0, 0, 0);
  }

  public static GroupCommand create(long uid, String name, List<Long> members) {
    return new GroupCommand(CREATE, uid, 0, name, members, 0, false, false, 0, 0, 0);
  }

  public static GroupCommand rename(long uid, long gid, String name) {
    return new GroupCommand(RENAME, uid, gid, name, List.of(), 0, false, false, 0, 0, 0);
  }

  public static GroupCommand add(long uid, long gid, List<Long> members) {
    return new GroupCommand(ADD, uid, gid, null, members, 0, false, false, 0, 0, 0);
  }

  public static GroupCommand remove(long uid, long gid, long member) {
    return new GroupCommand(REMOVE, uid, gid, null, List.of(), member, false, false, 0, 0, 0);
  }

  public static GroupCommand admin(long uid, long gid, long member, boolean admin) {
    return new GroupCommand(ADMIN, uid, gid, null, List.of(), member, admin, false, 0, 0, 0);
  }

  public static GroupCommand mute(long uid, long gid, long member, boolean muted) {
    return new GroupCommand(MUTE, uid, gid, null, List.of(), member, false, muted, 0, 0, 0);
  }

  /** Member {@code uid} sets its notification level for group {@code gid}: {@code all}, {@code mentions}, {@code none}. */
  public static GroupCommand notify(long uid, long gid, String level) {
    return new GroupCommand(NOTIFY, uid, gid, level, List.of(), 0, false, false, 0, 0, 0);
  }

  public static GroupCommand muteAll(long uid, long gid, boolean muted) {
    return new GroupCommand(MUTE_ALL, uid, gid, null, List.of(), 0, false, muted, 0, 0, 0);
  }

  /** Members with uids above {@code after}, at most {@code limit}. */
  public static GroupCommand members(long uid, long gid, long after, int limit) {
    return new GroupCommand(MEMBERS, uid, gid, null, List.of(), 0, false, false, after, 0, limit);
  }

  /** Timeline entries with seqs below {@code before}, newest first, at most {@code limit}. */
  public static GroupCommand history(long uid, long gid, long before, int limit) {
    return new GroupCommand(HISTORY, uid, gid, null, List.of(), 0, false, false, 0, before, limit);
  }

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    long[] m = new long[members.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = members.get(i);
    }
    w.putString(1, kind).putLong(2, uid).putLong(3, gid).putString(4, name).putLongs(5, m).putLong(6, member)
        .putBool(7, admin).putBool(8, muted).putLong(9, after).putLong(10, before).putInt(11, limit);
  }

  static GroupCommand decode(ContractReader r) {
    String kind = null;
    long uid = 0;
    long gid = 0;
    String name = null;
    List<Long> members = new ArrayList<>();
    long member = 0;
    boolean admin = false;
    boolean muted = false;
    long after = 0;
    long before = 0;
    int limit = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> kind = r.readString();
        case 2 -> uid = r.readLong();
        case 3 -> gid = r.readLong();
        case 4 -> name = r.readString();
        case 5 -> members.add(r.readLong());
        case 6 -> member = r.readLong();
        case 7 -> admin = r.readBool();
        case 8 -> muted = r.readBool();
        case 9 -> after = r.readLong();
        case 10 -> before = r.readLong();
        case 11 -> limit = r.readInt();
        default -> r.skip();
      }
    }
    return new GroupCommand(kind, uid, gid, name, members, member, admin, muted, after, before, limit);
  }
}
