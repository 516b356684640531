package org.quicproquo.server.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A user name in canonical form: {@code local} (a user of this server) or {@code local@domain}.
 *
 * <p>Rules (rule ids are used in tests):
 *
 * <ul>
 *   <li>UN-1: at most {@value #MAX_LENGTH} characters in total, checked before anything else.
 *   <li>UN-2: the local part has 1..{@value #MAX_LOCAL_LENGTH} characters from {@code a-z 0-9 . _ -}
 *       and starts and ends with a letter or digit.
 *   <li>UN-3: the optional domain is a lower-case DNS name: dot-separated labels of 1..63
 *       characters from {@code a-z 0-9 -}, not starting or ending with {@code -}, at most
 *       {@value #MAX_DOMAIN_LENGTH} characters in total.
 *   <li>UN-4: only the canonical spelling is accepted (no upper case, no spaces, no Unicode), so
 *       {@code alice} and {@code Alice} cannot be two accounts and Unicode look-alikes (Cyrillic
 *       {@code а} for Latin {@code a}) cannot be registered. Clients lower-case what users type
 *       before sending it.
 * </ul>
 *
 * <p>The store compares names as strings: {@code alice} and {@code alice@example.org} are
 * different keys. The service decides whether its own domain is stripped or added before storing.
 *
 * @param value the canonical name
 */
public record UserName(String value) {
  /** UN-1: longest accepted name. */
  public static final int MAX_LENGTH = 320;
  /** UN-2: longest local part. */
  public static final int MAX_LOCAL_LENGTH = 64;
  /** UN-3: longest domain. */
  public static final int MAX_DOMAIN_LENGTH = 253;

  /** @throws InvalidValueException if {@code value} breaks a rule above */
  public UserName {
    if (value == null) {
      throw new InvalidValueException("user name is missing");
    }
    if (value.length() > MAX_LENGTH) {
      throw new InvalidValueException("UN-1: user name longer than " + MAX_LENGTH + " characters");
    }
    int at = value.indexOf('@');
    String local = at < 0 ? value : value.substring(0, at);
    if (!validLocal(local)) {
      throw new InvalidValueException("UN-2: invalid local part in user name " + quote(value));
    }
    if (at >= 0 && !validDomain(value.substring(at + 1))) {
      throw new InvalidValueException("UN-3: invalid domain in user name " + quote(value));
    }
  }

  /** Same as the constructor; reads better at call sites. */
  public static UserName of(String value) {
    return new UserName(value);
  }

  /** The part before {@code @}, or the whole name. */
  public String local() {
    int at = value.indexOf('@');
    return at < 0 ? value : value.substring(0, at);
  }

  /** The part after {@code @}, absent for a local name. */
  public Optional<String> domain() {
    int at = value.indexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(value.substring(at + 1));
  }

  @Override
  public String toString() {
    return value;
  }

  private static boolean validLocal(String s) {
    if (s.isEmpty() || s.length() > MAX_LOCAL_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean edge = i == 0 || i == s.length() - 1;
      if (!(isLowerAlnum(c) || (!edge && (c == '.' || c == '_' || c == '-')))) {
        return false;
      }
    }
    return true;
  }

  private static boolean validDomain(String s) {
    if (s.isEmpty() || s.length() > MAX_DOMAIN_LENGTH) {
      return false;
    }
    // split with limit -1 keeps empty labels ("a..b", "a.") so they are rejected
    for (String label : s.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63
          || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!(isLowerAlnum(c) || c == '-')) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static String quote(String s) {
    // the rejected input is untrusted: show a bounded, printable form only
    StringBuilder b = new StringBuilder("\"");
    s.codePoints().limit(40).forEach(cp ->
        b.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : String.format("\\u%04x", cp)));
    return b.append(s.length() > 40 ? "...\"" : "\"").toString();
  }

  static UserName fromDatabase(String value) {
    return new UserName(Objects.requireNonNull(value));
  }
}
