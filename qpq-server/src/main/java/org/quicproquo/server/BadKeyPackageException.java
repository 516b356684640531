package org.quicproquo.server;

/**
 * An uploaded KeyPackage breaks a {@link KeyPackageRule}; maps to {@code BAD_KEY_PACKAGE}. The
 * message names the KeyPackage ({@code oneTime[i]} or {@code lastResort}), the rule id and why.
 */
final class BadKeyPackageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String where;
  private final KeyPackageRule rule;

  BadKeyPackageException(String where, KeyPackageRule rule, String detail) {
    super(where + ": " + rule.id() + " " + detail);
    this.where = where;
    this.rule = rule;
  }

  /** Which KeyPackage of the upload: {@code oneTime[i]} or {@code lastResort}. */
  String where() {
    return where;
  }

  /** The rule that failed. */
  KeyPackageRule rule() {
    return rule;
  }
}
