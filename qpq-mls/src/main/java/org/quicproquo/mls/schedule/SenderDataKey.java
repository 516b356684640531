package org.quicproquo.mls.schedule;

import java.util.Arrays;
import org.quicproquo.mls.crypto.CipherSuite;

/**
 * The key and nonce that protect a PrivateMessage's sender data (§6.3.2):
 *
 * <pre>
 * ciphertext_sample = ciphertext[0..KDF.Nh-1]
 * sender_data_key = ExpandWithLabel(sender_data_secret, "key", ciphertext_sample, AEAD.Nk)
 * sender_data_nonce = ExpandWithLabel(sender_data_secret, "nonce", ciphertext_sample, AEAD.Nn)
 * </pre>
 *
 * A ciphertext shorter than KDF.Nh is used whole.
 */
public record SenderDataKey(byte[] key, byte[] nonce) {
  public SenderDataKey {
    key = key.clone();
    nonce = nonce.clone();
  }

  /** Derives the pair from the epoch's {@code sender_data_secret} and the content ciphertext. */
  public static SenderDataKey derive(CipherSuite suite, byte[] senderDataSecret, byte[] ciphertext) {
    byte[] sample = ciphertext.length <= suite.hashLength()
        ? ciphertext
        : Arrays.copyOf(ciphertext, suite.hashLength());
    return new SenderDataKey(
        suite.expandWithLabel(senderDataSecret, ScheduleLabels.KEY, sample, suite.aeadKeyLength()),
        suite.expandWithLabel(senderDataSecret, ScheduleLabels.NONCE, sample, suite.aeadNonceLength()));
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SenderDataKey k && Arrays.equals(k.key, key) && Arrays.equals(k.nonce, nonce);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(nonce);
  }

  @Override
  public String toString() {
    return "SenderDataKey[<redacted>]";
  }
}
