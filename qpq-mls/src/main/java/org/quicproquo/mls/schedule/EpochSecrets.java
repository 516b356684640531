package org.quicproquo.mls.schedule;

import java.util.Arrays;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * The secrets of one epoch (RFC 9420 §8, table in §8 "Secret / Label / Purpose"), derived by
 * {@link KeySchedule}. The epoch secret itself is not kept: everything an epoch needs is derived
 * from it at once. {@code joinerSecret} and {@code welcomeSecret} matter only to the committer
 * building a Welcome (§12.4.3.1); drop them with {@link #withoutWelcomeSecrets()} once it is sent.
 *
 * <p>Arrays are copied in and out; {@link #toString()} redacts everything.
 */
public record EpochSecrets(
    byte[] joinerSecret,
    byte[] welcomeSecret,
    byte[] senderDataSecret,
    byte[] encryptionSecret,
    byte[] exporterSecret,
    byte[] externalSecret,
    byte[] confirmationKey,
    byte[] membershipKey,
    byte[] resumptionPsk,
    byte[] epochAuthenticator,
    byte[] initSecret) implements TlsEncodable {

  public EpochSecrets {
    joinerSecret = joinerSecret.clone();
    welcomeSecret = welcomeSecret.clone();
    senderDataSecret = senderDataSecret.clone();
    encryptionSecret = encryptionSecret.clone();
    exporterSecret = exporterSecret.clone();
    externalSecret = externalSecret.clone();
    confirmationKey = confirmationKey.clone();
    membershipKey = membershipKey.clone();
    resumptionPsk = resumptionPsk.clone();
    epochAuthenticator = epochAuthenticator.clone();
    initSecret = initSecret.clone();
  }

  /** The same secrets with {@code joinerSecret} and {@code welcomeSecret} emptied. */
  public EpochSecrets withoutWelcomeSecrets() {
    return new EpochSecrets(new byte[0], new byte[0], senderDataSecret, encryptionSecret,
        exporterSecret, externalSecret, confirmationKey, membershipKey, resumptionPsk,
        epochAuthenticator, initSecret);
  }

  @Override
  public byte[] joinerSecret() {
    return joinerSecret.clone();
  }

  @Override
  public byte[] welcomeSecret() {
    return welcomeSecret.clone();
  }

  @Override
  public byte[] senderDataSecret() {
    return senderDataSecret.clone();
  }

  @Override
  public byte[] encryptionSecret() {
    return encryptionSecret.clone();
  }

  @Override
  public byte[] exporterSecret() {
    return exporterSecret.clone();
  }

  @Override
  public byte[] externalSecret() {
    return externalSecret.clone();
  }

  @Override
  public byte[] confirmationKey() {
    return confirmationKey.clone();
  }

  @Override
  public byte[] membershipKey() {
    return membershipKey.clone();
  }

  @Override
  public byte[] resumptionPsk() {
    return resumptionPsk.clone();
  }

  @Override
  public byte[] epochAuthenticator() {
    return epochAuthenticator.clone();
  }

  @Override
  public byte[] initSecret() {
    return initSecret.clone();
  }

  private byte[][] all() {
    return new byte[][] {joinerSecret, welcomeSecret, senderDataSecret, encryptionSecret,
        exporterSecret, externalSecret, confirmationKey, membershipKey, resumptionPsk,
        epochAuthenticator, initSecret};
  }

  /** Encoding for group-state persistence: eleven {@code opaque<V>} fields in declaration order. */
  @Override
  public void encode(TlsWriter w) {
    for (byte[] b : all()) {
      w.opaque(b);
    }
  }

  /** Inverse of {@link #encode}. */
  public static EpochSecrets decode(TlsReader r) throws DecodeException {
    return new EpochSecrets(r.opaque(), r.opaque(), r.opaque(), r.opaque(), r.opaque(), r.opaque(),
        r.opaque(), r.opaque(), r.opaque(), r.opaque(), r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EpochSecrets e && Arrays.deepEquals(all(), e.all());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(epochAuthenticator);
  }

  @Override
  public String toString() {
    return "EpochSecrets[<redacted>]";
  }
}
