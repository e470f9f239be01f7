package dev.switchboard.protocol;

import java.util.regex.Pattern;

/**
 * Room names: 1 to 64 of {@code A-Z a-z 0-9 _ . : -}. The alphabet needs no escaping in JSON, URLs or event-bus
 * addresses, so a name is written into frames and addresses as it is.
 */
public final class RoomName {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private RoomName() {
  }

  public static boolean valid(String room) {
    return room != null && NAME.matcher(room).matches();
  }

  /** {@code room} when valid; fails {@code invalid_field} naming {@code field} otherwise. */
  public static String require(String room, String field) {
    if (!valid(room)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field '" + field + "' must match [A-Za-z0-9_.:-]{1,64}");
    }
    return room;
  }
}
