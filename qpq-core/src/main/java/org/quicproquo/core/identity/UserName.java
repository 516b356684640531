package org.quicproquo.core.identity;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A qpq user name, {@code local} (a user of the server one talks to) or {@code local@domain}, in
 * canonical (lower-case ASCII) form. The server applies the same rules
 * ({@code org.quicproquo.server.store.UserName}).
 *
 * <p>Rules (deliberately small; the same rules are applied by client and server):
 * <ul>
 *   <li>UN-1: ASCII only, at most one {@code @}, at most {@value #MAX_LENGTH} characters in all.
 *   <li>UN-2: the local part is 1 to {@value #MAX_LOCAL_LENGTH} characters of {@code [a-z0-9._-]},
 *       starts and ends with a letter or digit, and does not contain {@code ..}.
 *   <li>UN-3: the optional domain is one or more dot-separated labels, each 1 to 63 characters of
 *       {@code [a-z0-9-]} not starting or ending with {@code -}.
 *   <li>UN-4: the canonical form is lower case; {@link #parse} lower-cases ASCII letters first,
 *       the constructor accepts only the canonical form (so two equal names have equal bytes,
 *       which matters because names are signed in certificates and hashed in safety numbers).
 * </ul>
 * Internationalised names are out of scope for now (no homograph rules to get wrong).
 */
public record UserName(String value) {
  /** Longest name accepted (UN-1), in characters (= bytes, ASCII only). */
  public static final int MAX_LENGTH = 254;
  /** Longest local part accepted (UN-2). */
  public static final int MAX_LOCAL_LENGTH = 64;
  private static final int MAX_LABEL_LENGTH = 63;

  /**
   * Checks the canonical form.
   *
   * @throws IllegalArgumentException if {@code value} breaks a rule (use {@link #parse} for input)
   */
  public UserName {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses user input: lower-cases ASCII letters, then applies the rules.
   *
   * @throws InvalidIdentityException naming the broken rule
   */
  public static UserName parse(String input) throws InvalidIdentityException {
    if (input == null) {
      throw new InvalidIdentityException("UN-1: user name is missing");
    }
    String lower = input.toLowerCase(Locale.ROOT);
    // toLowerCase(ROOT) can map non-ASCII to ASCII (e.g. KELVIN SIGN to 'k'): check the input too.
    for (int i = 0; i < input.length(); i++) {
      if (input.charAt(i) > 0x7f) {
        throw new InvalidIdentityException("UN-1: user name must be ASCII");
      }
    }
    String problem = problem(lower);
    if (problem != null) {
      throw new InvalidIdentityException(problem);
    }
    return new UserName(lower);
  }

  /** The local part (before any {@code @}). */
  public String local() {
    int at = value.indexOf('@');
    return at < 0 ? value : value.substring(0, at);
  }

  /** The domain (after {@code @}), or empty for a name without one. */
  public String domain() {
    int at = value.indexOf('@');
    return at < 0 ? "" : value.substring(at + 1);
  }

  /** The name's bytes as signed and hashed (ASCII). */
  public byte[] toBytes() {
    return value.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return value;
  }

  private static String problem(String value) {
    if (value == null) {
      return "UN-1: user name is missing";
    }
    if (value.length() > MAX_LENGTH) {
      return "UN-1: user name longer than " + MAX_LENGTH + " characters";
    }
    int at = value.indexOf('@');
    if (at >= 0 && value.indexOf('@', at + 1) >= 0) {
      return "UN-1: user name must contain at most one '@'";
    }
    String local = at < 0 ? value : value.substring(0, at);
    if (local.isEmpty() || local.length() > MAX_LOCAL_LENGTH) {
      return "UN-2: local part must be 1 to " + MAX_LOCAL_LENGTH + " characters";
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (!(isLowerAlnum(c) || c == '.' || c == '_' || c == '-')) {
        return "UN-2: local part may only contain a-z 0-9 . _ -";
      }
    }
    if (!isLowerAlnum(local.charAt(0)) || !isLowerAlnum(local.charAt(local.length() - 1))
        || local.contains("..")) {
      return "UN-2: local part must start and end with a letter or digit and not contain '..'";
    }
    if (at < 0) {
      return null;
    }
    String domain = value.substring(at + 1);
    if (domain.isEmpty()) {
      return "UN-3: domain is empty";
    }
    for (String label : domain.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
        return "UN-3: domain labels must be 1 to " + MAX_LABEL_LENGTH + " characters";
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!(isLowerAlnum(c) || c == '-')) {
          return "UN-3: domain may only contain a-z 0-9 - and dots";
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return "UN-3: domain labels must not start or end with '-'";
      }
    }
    return null;
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
