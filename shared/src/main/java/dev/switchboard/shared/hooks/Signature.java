package dev.switchboard.shared.hooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook POST and a before-send call, header {@code X-Switchboard-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>} (docs/integration.md). Stateless; any thread.
 */
public final class Signature {
  /** The signature header. */
  public static final String HEADER = "X-Switchboard-Signature";
  /** The header naming a webhook batch (unique per batch, the same on every retry of it). */
  public static final String DELIVERY = "X-Switchboard-Delivery";

  private Signature() {
  }

  /** The header value signing {@code body} with {@code secret} at {@code unixSeconds}. */
  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
  }

  /**
   * Whether {@code header} is a valid signature of {@code body} by {@code secret}, made no more than
   * {@code toleranceSeconds} away from {@code nowSeconds}: what a receiver checks.
   */
  public static boolean verify(String secret, String header, byte[] body, long nowSeconds, long toleranceSeconds) {
    if (header == null) {
      return false;
    }
    long t = -1;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        try {
          t = Long.parseLong(part.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t < 0 || v1 == null || Math.abs(nowSeconds - t) > toleranceSeconds) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(v1);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(secret, t, body), given);
  }

  private static byte[] mac(String secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
