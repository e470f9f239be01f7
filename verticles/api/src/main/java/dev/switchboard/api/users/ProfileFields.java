package dev.switchboard.api.users;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The checks of a profile's fields in request bodies, the same for users changing their own profile, the push API's
 * bots and the server API: each throws {@code invalid_field} naming the field.
 */
public final class ProfileFields {
  private static final Pattern AVATAR = Pattern.compile("https?://[^\\s]+");

  private ProfileFields() {
  }

  /** The body's {@code nickname}: absent or null (null), else 1 to 64 characters, stripped. */
  public static String nickname(JsonObject body) {
    Object n = body.getValue("nickname");
    if (n != null && (!(n instanceof String s) || s.isBlank() || s.length() > 64)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'nickname' must be null or 1 to 64 characters");
    }
    return n == null ? null : ((String) n).strip();
  }

  /** The body's {@code avatar}: absent or null (null), else an http(s) URL of at most 512 characters. */
  public static String avatar(JsonObject body) {
    Object a = body.getValue("avatar");
    if (a != null && !avatar((a instanceof String s) ? s : null)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'avatar' must be null or an http(s) URL of at most 512 "
          + "characters");
    }
    return (String) a;
  }

  /** Whether {@code url} may be an avatar: an http(s) URL of at most 512 characters. */
  public static boolean avatar(String url) {
    return url != null && url.length() <= 512 && AVATAR.matcher(url).matches();
  }
}
