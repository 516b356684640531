package org.quicproquo.kt;

/** What a {@link LogEntry} records; the code is its byte on the wire. */
public enum EntryKind {
  /** A name is bound to an identity key (account created, or re-created after deletion). */
  REGISTER(1),
  /** A device key is added to the account. */
  DEVICE_ADDED(2),
  /** A device key is removed from the account. */
  DEVICE_REVOKED(3),
  /** The account's identity key is replaced. */
  KEY_CHANGED(4),
  /** Tombstone: the account is deleted. */
  DELETED(5);

  private final int code;

  EntryKind(int code) {
    this.code = code;
  }

  /** The wire code. */
  public int code() {
    return code;
  }

  /** The kind with wire code {@code code}; unknown codes are {@code MALFORMED}. */
  public static EntryKind fromCode(int code) throws KtException {
    for (EntryKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new KtException(KtException.Reason.MALFORMED, "unknown entry kind " + code);
  }

  boolean hasIdentityKey() {
    return this == REGISTER || this == KEY_CHANGED;
  }

  boolean hasDevice() {
    return this == DEVICE_ADDED || this == DEVICE_REVOKED;
  }
}
