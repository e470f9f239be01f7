package dev.switchboard.protocol.frame;

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
   * {@code now} after one user added or removed {@code emoji} (found at index {@code at} of {@code now}, -1: absent),
   * without {@code me}: a count that reaches 0 leaves, a new emoji comes last.
   */
  public static List<Count> changed(List<Count> now, int at, String emoji, boolean add) {
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
