package org.quicproquo.mls.schedule;

/**
 * Every KDF label of the key schedule (§8), PSKs (§8.4), the secret tree (§9), sender data (§6.3.2)
 * and Welcome encryption (§12.4.3.1). The "MLS 1.0 " prefix is added by ExpandWithLabel.
 */
final class ScheduleLabels {
  private ScheduleLabels() {}

  static final String JOINER = "joiner";
  static final String WELCOME = "welcome";
  static final String EPOCH = "epoch";
  static final String SENDER_DATA = "sender data";
  static final String ENCRYPTION = "encryption";
  static final String EXPORTER = "exporter";
  static final String EXTERNAL = "external";
  static final String CONFIRM = "confirm";
  static final String MEMBERSHIP = "membership";
  static final String RESUMPTION = "resumption";
  static final String AUTHENTICATION = "authentication";
  static final String INIT = "init";

  /** MLS-Exporter (§8.5): second step. */
  static final String EXPORTED = "exported";

  /** HPKE exporter context for the external init secret (§8.3), used verbatim, not prefixed. */
  static final String EXTERNAL_INIT_SECRET = "MLS 1.0 external init secret";

  static final String DERIVED_PSK = "derived psk";

  static final String TREE = "tree";
  static final String LEFT = "left";
  static final String RIGHT = "right";
  static final String HANDSHAKE = "handshake";
  static final String APPLICATION = "application";
  static final String KEY = "key";
  static final String NONCE = "nonce";
  static final String SECRET = "secret";
}
