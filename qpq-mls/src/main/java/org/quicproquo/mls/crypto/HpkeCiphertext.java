package org.quicproquo.mls.crypto;

import java.util.Arrays;

/** RFC 9420 §5.1.3 HPKECiphertext {opaque kem_output<V>; opaque ciphertext<V>;}. */
public record HpkeCiphertext(byte[] kemOutput, byte[] ciphertext) {
  public HpkeCiphertext {
    kemOutput = kemOutput.clone();
    ciphertext = ciphertext.clone();
  }

  /**
   * Writes {@code opaque kem_output<V>; opaque ciphertext<V>;} (the HPKECiphertext struct of RFC
   * 9420 §7.6) without the defensive copies of the accessors: an UpdatePath of a large group
   * holds one ciphertext per member.
   */
  public void encode(org.quicproquo.mls.codec.TlsWriter w) {
    w.opaque(kemOutput).opaque(ciphertext);
  }

  @Override
  public byte[] kemOutput() {
    return kemOutput.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeCiphertext c && Arrays.equals(kemOutput, c.kemOutput)
        && Arrays.equals(ciphertext, c.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(kemOutput) + Arrays.hashCode(ciphertext);
  }
}
