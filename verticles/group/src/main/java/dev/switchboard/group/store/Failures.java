package dev.switchboard.group.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;

/** The failures the stores raise themselves. */
final class Failures {
  private Failures() {
  }

  static ImException notMember(long gid) {
    return new ImException(ErrorCode.NOT_MEMBER, "you are not a member of group " + gid);
  }
}
