package dev.switchboard.api.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Signed URLs, the {@code Range} forms served, and the media settings' allow-list. */
class MediaUrlsTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";
  private static final Pattern URL = Pattern.compile("/media/([0-9a-f]{32})(/thumb)?\\?exp=(\\d+)&sig=([A-Za-z0-9_-]+)");

  @Test
  void aUrlChecksForItsIdVariantAndTimeOnly() {
    MediaUrls urls = new MediaUrls("secret-0123456789abcdef0123456789abcdef", 300);
    long now = 1_800_000_000_000L;
    Matcher m = URL.matcher(urls.url(ID, MediaUrls.FILE, now));
    assertTrue(m.matches());
    assertNull(m.group(2));
    assertEquals(now / 1000 + 300, Long.parseLong(m.group(3)));
    assertEquals((now / 1000 + 300) * 1000, urls.expiresAt(now));
    urls.check(ID, MediaUrls.FILE, m.group(3), m.group(4), now + 299_000);
    assertEquals(ErrorCode.URL_EXPIRED, code(() -> urls.check(ID, MediaUrls.FILE, m.group(3), m.group(4),
        now + 300_000)));
    assertEquals(ErrorCode.BAD_SIGNATURE, code(() -> urls.check(ID, MediaUrls.THUMB, m.group(3), m.group(4), now)),
        "a file's signature is not a thumbnail's");
    assertEquals(ErrorCode.BAD_SIGNATURE, code(() -> urls.check(ID.replace('0', '1'), MediaUrls.FILE, m.group(3),
        m.group(4), now)), "nor another file's");
    assertEquals(ErrorCode.BAD_SIGNATURE, code(() -> urls.check(ID, MediaUrls.FILE,
        Long.toString(Long.parseLong(m.group(3)) + 3600), m.group(4), now)), "the expiry is signed");
    assertEquals(ErrorCode.BAD_SIGNATURE, code(() -> urls.check(ID, MediaUrls.FILE, null, null, now)));
    assertEquals(ErrorCode.BAD_SIGNATURE, code(() -> urls.check(ID, MediaUrls.FILE, "soon", m.group(4), now)));
    MediaUrls otherKey = new MediaUrls("secret-0123456789abcdef0123456789abcdeX", 300);
    assertEquals(ErrorCode.BAD_SIGNATURE, code(() -> otherKey.check(ID, MediaUrls.FILE, m.group(3), m.group(4), now)));
    assertTrue(urls.url(ID, MediaUrls.THUMB, now).startsWith("/media/" + ID + "/thumb?exp="));
  }

  @Test
  void rangesServeOneSpanOrTheWholeFile() {
    assertArrayEquals(new long[] {0, 9}, MediaRoutes.range("bytes=0-9", 100));
    assertArrayEquals(new long[] {90, 99}, MediaRoutes.range("bytes=90-", 100));
    assertArrayEquals(new long[] {90, 99}, MediaRoutes.range("bytes=90-500", 100));
    assertArrayEquals(new long[] {80, 99}, MediaRoutes.range("bytes=-20", 100));
    assertArrayEquals(new long[] {0, 99}, MediaRoutes.range("bytes=-500", 100));
    assertNull(MediaRoutes.range(null, 100));
    assertNull(MediaRoutes.range("bytes=0-1,5-6", 100), "several ranges: the whole file");
    assertNull(MediaRoutes.range("bytes=9-3", 100));
    assertNull(MediaRoutes.range("items=0-3", 100));
    assertNull(MediaRoutes.range("bytes=x-3", 100));
    assertEquals(ErrorCode.RANGE_NOT_SATISFIABLE, code(() -> MediaRoutes.range("bytes=100-", 100)));
  }

  @Test
  void theAllowListTakesExactTypesAndPrefixes() {
    MediaConfig defaults = MediaConfig.from(null);
    assertTrue(defaults.allows("image/png"));
    assertTrue(defaults.allows("audio/ogg"));
    assertTrue(defaults.allows("application/pdf"));
    assertFalse(defaults.allows("text/html"), "nothing a browser would run");
    assertFalse(defaults.allows("image/svg+xml"), "nor an image with scripts");
    assertEquals(64L << 20, defaults.maxBytes());
    MediaConfig own = MediaConfig.from(new JsonObject().put("types", new JsonArray().add("Image/*")));
    assertTrue(own.allows("image/gif"));
    assertFalse(own.allows("imagex/gif"));
    assertThrows(IllegalArgumentException.class, () -> MediaConfig.from(new JsonObject().put("maxBytes", 0)));
    assertThrows(IllegalArgumentException.class, () -> MediaConfig.from(new JsonObject().put("types",
        new JsonArray())));
  }

  private static ErrorCode code(Runnable r) {
    return assertThrows(ImException.class, r::run).code();
  }
}
