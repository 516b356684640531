package org.quicproquo.mls.message;

/** RFC 9420 §17.3 extension types this library understands; others pass through as opaque. */
public final class ExtensionType {
  private ExtensionType() {}

  public static final int APPLICATION_ID = 0x0001;
  public static final int RATCHET_TREE = 0x0002;
  public static final int REQUIRED_CAPABILITIES = 0x0003;
  public static final int EXTERNAL_PUB = 0x0004;
  public static final int EXTERNAL_SENDERS = 0x0005;

  /** True for the types defined by RFC 9420 itself (they need no capability advertisement). */
  public static boolean isDefault(int type) {
    return type >= APPLICATION_ID && type <= EXTERNAL_SENDERS;
  }
}
