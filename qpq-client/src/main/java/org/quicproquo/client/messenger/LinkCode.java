package org.quicproquo.client.messenger;

import java.security.SecureRandom;

/**
 * A one-time device link code: 12 Crockford base-32 characters (60 random bits), shown as
 * {@code XXXX-XXXX-XXXX}. Parsing forgives what people do when typing one: lower case, spaces and
 * dashes anywhere, and I/L for 1 and O for 0 (Crockford's decoding rules).
 *
 * @param value the 12 canonical characters (upper case, no separators)
 */
public record LinkCode(String value) {
  /** Characters of a code. */
  public static final int LENGTH = 12;
  static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  public LinkCode {
    if (value == null || value.length() != LENGTH) {
      throw new IllegalArgumentException("a link code has " + LENGTH + " characters");
    }
    for (int i = 0; i < LENGTH; i++) {
      if (ALPHABET.indexOf(value.charAt(i)) < 0) {
        throw new IllegalArgumentException("not a Crockford base-32 character");
      }
    }
  }

  /** A fresh random code. */
  static LinkCode generate(SecureRandom random) {
    StringBuilder b = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return new LinkCode(b.toString());
  }

  /**
   * Reads a code as a person typed it.
   *
   * @throws DeviceLinkException (MALFORMED_CODE) if it is not 12 code characters
   */
  public static LinkCode parse(String typed) {
    StringBuilder b = new StringBuilder(LENGTH);
    String s = typed == null ? "" : typed;
    for (int i = 0; i < s.length() && b.length() <= LENGTH; i++) {
      char c = Character.toUpperCase(s.charAt(i));
      if (c == '-' || c == ' ') {
        continue;
      }
      c = switch (c) {
        case 'I', 'L' -> '1';
        case 'O' -> '0';
        default -> c;
      };
      if (ALPHABET.indexOf(c) < 0) {
        throw malformed();
      }
      b.append(c);
    }
    if (b.length() != LENGTH) {
      throw malformed();
    }
    return new LinkCode(b.toString());
  }

  private static DeviceLinkException malformed() {
    return new DeviceLinkException(DeviceLinkException.Reason.MALFORMED_CODE,
        "A link code is 12 letters and digits, like ABCD-EFGH-JKMN.");
  }

  /** As shown to people: {@code XXXX-XXXX-XXXX}. */
  public String display() {
    return value.substring(0, 4) + "-" + value.substring(4, 8) + "-" + value.substring(8);
  }

  @Override
  public String toString() {
    return display();
  }
}
