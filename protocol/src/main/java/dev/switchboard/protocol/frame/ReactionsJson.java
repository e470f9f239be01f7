package dev.switchboard.protocol.frame;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code reactions} array of {@code msg} and {@code msg.reactions} frames: {@code [{"emoji", "count", "me"?}]}, one
 * object per emoji in the order the emoji were first used on the message; {@code me: true} when the user the frame is
 * for is one of the reactors (stored frames only; live frames leave it out).
 */
public final class ReactionsJson {
  /** One emoji's reactions on a message. */
  public record Count(String emoji, long count, boolean me) {
  }

  private ReactionsJson() {
  }

  /**
   * A message's reactions after the reader ({@code me} in {@code now}) adds or removes {@code emoji}, without
   * {@code me}; null when nothing changes (added already, or not there to remove). Throws {@code too_many_reactions}
   * when the message has {@code maxEmoji} other emoji, or the reader {@code maxPerUser} reactions on it. The one rule of
   * both stores (one-to-one and group).
   */
  public static List<Count> after(List<Count> now, String emoji, boolean add, int maxEmoji, int maxPerUser) {
    int at = -1;
    int mine = 0;
    for (int i = 0; i < now.size(); i++) {
      mine += now.get(i).me() ? 1 : 0;
      if (now.get(i).emoji().equals(emoji)) {
        at = i;
      }
    }
    boolean present = at >= 0 && now.get(at).me();
    if (add == present) {
      return null;
    }
    if (add && at < 0 && now.size() >= maxEmoji) {
      throw new ImException(ErrorCode.TOO_MANY_REACTIONS, "a message takes at most " + maxEmoji + " different emoji");
    }
    if (add && mine >= maxPerUser) {
      throw new ImException(ErrorCode.TOO_MANY_REACTIONS, "at most " + maxPerUser + " reactions per message");
    }
    return changed(now, at, emoji, add);
  }

  /**
   * {@code now} after one user added or removed {@code emoji} (found at index {@code at} of {@code now}, -1: absent),
   * without {@code me}: a count that reaches 0 leaves, a new emoji comes last.
   */
  private static List<Count> changed(List<Count> now, int at, String emoji, boolean add) {
    List<Count> out = new ArrayList<>(now.size() + 1);
    for (int i = 0; i < now.size(); i++) {
      Count c = now.get(i);
      long n = c.count() + (i == at ? (add ? 1 : -1) : 0);
      if (n > 0) {
        out.add(new Count(c.emoji(), n, false));
      }
    }
    if (add && at < 0) {
      out.add(new Count(emoji, 1, false));
    }
    return out;
  }

  /** The JSON array text of {@code counts} (an empty array for none). */
  public static byte[] of(List<Count> counts) {
    StringBuilder b = new StringBuilder(16 + counts.size() * 40).append('[');
    for (Count c : counts) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append("{\"emoji\":").append(Json.encode(c.emoji())).append(",\"count\":").append(c.count());
      if (c.me()) {
        b.append(",\"me\":true");
      }
      b.append('}');
    }
    return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }
}
