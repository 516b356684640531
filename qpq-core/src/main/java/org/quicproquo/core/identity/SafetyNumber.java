package org.quicproquo.core.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * A 60-digit number two users compare out of band to check they see each other's real identity
 * keys (the same idea and display as Signal's safety numbers, with qpq's own domain separation).
 *
 * <p><b>Construction.</b> For each side (name, identity key), with SHA-512 and {@code ||} for
 * concatenation:
 * <pre>
 *   h0      = SHA-512("qpq/safety-number/v1" || 0x00 || u8(len(name)) || name || key)
 *   h(i+1)  = SHA-512(h(i) || key)             for i = 0 .. 5199
 *   digits  = for each of the six 5-byte chunks c of h5200[0..30):
 *               uint40_big_endian(c) mod 100000, as 5 decimal digits with leading zeros
 * </pre>
 * That gives 30 digits per side. The safety number is the two 30-digit strings concatenated
 * with the numerically (= lexicographically) smaller one first, so both users compute the same
 * value whatever the argument order. The 5200 iterations (as in Signal) make a brute-force
 * search for a colliding key per attempt about 5200 times more expensive.
 *
 * @param digits the 60 digits without spaces
 */
public record SafetyNumber(String digits) {
  /** Number of digits. */
  public static final int LENGTH = 60;
  static final int ITERATIONS = 5200;
  private static final byte[] LABEL = "qpq/safety-number/v1".getBytes(StandardCharsets.US_ASCII);

  /** @throws IllegalArgumentException unless {@code digits} is exactly 60 ASCII digits */
  public SafetyNumber {
    if (digits == null || digits.length() != LENGTH || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("a safety number is " + LENGTH + " decimal digits");
    }
  }

  /** The safety number of a conversation between two users; symmetric in its two sides. */
  public static SafetyNumber of(UserName myName, IdentityKey myKey, UserName theirName, IdentityKey theirKey) {
    String mine = half(myName, myKey);
    String theirs = half(theirName, theirKey);
    return new SafetyNumber(mine.compareTo(theirs) <= 0 ? mine + theirs : theirs + mine);
  }

  static String half(UserName name, IdentityKey key) {
    byte[] nameBytes = name.toBytes();
    byte[] keyBytes = key.bytes();
    SHA512Digest digest = new SHA512Digest();
    byte[] h = new byte[digest.getDigestSize()];
    digest.update(LABEL, 0, LABEL.length);
    digest.update((byte) 0);
    digest.update((byte) nameBytes.length);
    digest.update(nameBytes, 0, nameBytes.length);
    digest.update(keyBytes, 0, keyBytes.length);
    digest.doFinal(h, 0);
    for (int i = 0; i < ITERATIONS; i++) {
      digest.update(h, 0, h.length);
      digest.update(keyBytes, 0, keyBytes.length);
      digest.doFinal(h, 0);
    }
    StringBuilder out = new StringBuilder(30);
    for (int chunk = 0; chunk < 6; chunk++) {
      long value = ByteBuffer.wrap(Arrays.copyOfRange(h, chunk * 5, chunk * 5 + 8)).getLong() >>> 24;
      out.append(String.format(Locale.ROOT, "%05d", value % 100_000));
    }
    return out.toString();
  }

  /** The digits in twelve groups of five separated by spaces, e.g. {@code "12345 67890 ..."}. */
  public String displayString() {
    StringBuilder out = new StringBuilder(LENGTH + 11);
    for (int i = 0; i < LENGTH; i += 5) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(digits, i, i + 5);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return displayString();
  }
}
