package dev.switchboard.api.media;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring download URLs: {@code /media/{id}[/thumb]?exp=<epoch seconds>&sig=<base64url HMAC-SHA256>} over
 * {@code "<id>:<variant>:<exp>"}. The key is derived from the token secret ({@code auth.secret}), which every API
 * instance of a cluster shares already, with a label of its own (so a URL signature is never a token signature);
 * rotating the token secret invalidates outstanding URLs, which live minutes. Thread-safe.
 */
public final class MediaUrls {
  /** The variants a URL can name: the file, or its thumbnail. */
  public static final String FILE = "file";
  public static final String THUMB = "thumb";

  private final byte[] key;
  private final long ttlSeconds;

  public MediaUrls(String tokenSecret, long ttlSeconds) {
    this.key = hmac(tokenSecret.getBytes(StandardCharsets.UTF_8), "switchboard media urls v1");
    this.ttlSeconds = ttlSeconds;
  }

  /** A signed URL expiring {@code ttlSeconds} after {@code nowMs}: its path and query. */
  public String url(String id, String variant, long nowMs) {
    long exp = expiresAt(nowMs) / 1000;
    return "/media/" + id + (THUMB.equals(variant) ? "/thumb" : "") + "?exp=" + exp + "&sig=" + sign(id, variant, exp);
  }

  /** When a URL made at {@code nowMs} expires, in epoch ms (whole seconds). */
  public long expiresAt(long nowMs) {
    return (nowMs / 1000 + ttlSeconds) * 1000;
  }

  /**
   * Checks a URL's {@code exp} and {@code sig} for {@code id} and {@code variant}: {@code bad_signature} when they do
   * not match (or are missing), {@code url_expired} when they match but the time has passed.
   */
  public void check(String id, String variant, String exp, String sig, long nowMs) {
    long expires;
    try {
      expires = Long.parseLong(exp == null ? "" : exp);
    } catch (NumberFormatException e) {
      throw new ImException(ErrorCode.BAD_SIGNATURE, "the URL is not signed");
    }
    byte[] expected = sign(id, variant, expires).getBytes(StandardCharsets.US_ASCII);
    if (sig == null || !MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
      throw new ImException(ErrorCode.BAD_SIGNATURE, "the URL's signature does not match");
    }
    if (expires * 1000 <= nowMs) {
      throw new ImException(ErrorCode.URL_EXPIRED, "the URL expired: ask GET /api/v1/media/" + id + " for a new one");
    }
  }

  private String sign(String id, String variant, long exp) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, id + ":" + variant + ":" + exp));
  }

  private static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing", e);
    }
  }
}
