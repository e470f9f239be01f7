package dev.switchboard.protocol.frame;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Exact reading of JSON numbers. The JSON decoder turns a literal too large for a double ({@code 1e400}) into
 * infinity and an integer too large for a long into a {@link BigInteger}; {@link Number#longValue()} would clamp or
 * truncate those, so every integer field of the protocol and the API is read through here instead.
 */
public final class JsonNumbers {
  private static final double TWO_TO_63 = 0x1p63;

  private JsonNumbers() {
  }

  /**
   * The value as a long when it is a number with an integral value inside the long range ({@code 5} and {@code 5.0}
   * alike), else null (not a number, a fraction, out of range, infinite or NaN).
   */
  public static Long exactLong(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? b.longValue() : null;
    }
    if (v instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return d >= -TWO_TO_63 && d < TWO_TO_63 && d == Math.rint(d) ? (long) d : null;
    }
    return null;
  }

  /** True when {@code v} is a number that encodes back to the same JSON number (finite: not infinity or NaN). */
  public static boolean finite(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d);
    }
    if (v instanceof Float f) {
      return Float.isFinite(f);
    }
    return v instanceof Number;
  }
}
