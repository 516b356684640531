package org.quicproquo.mls.tree;

/**
 * RFC 9420 §5.3 / §17.5 credential types. Kept as {@code uint16} codes rather than an enum because
 * capabilities lists and credentials of other types must pass through unchanged.
 */
public final class CredentialType {
  private CredentialType() {}

  public static final int BASIC = 0x0001;
  public static final int X509 = 0x0002;
}
