package org.quicproquo.mls.message;

import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.HpkeCiphertext;
import org.quicproquo.mls.tree.KeyPackageRef;

/**
 * RFC 9420 §12.4.3.1:
 *
 * <pre>
 * struct {
 *   KeyPackageRef new_member;
 *   HPKECiphertext encrypted_group_secrets;
 * } EncryptedGroupSecrets;
 * </pre>
 *
 */
public record EncryptedGroupSecrets(KeyPackageRef newMember, HpkeCiphertext encryptedGroupSecrets)
    implements TlsEncodable {
  public EncryptedGroupSecrets {
    java.util.Objects.requireNonNull(newMember, "newMember");
    java.util.Objects.requireNonNull(encryptedGroupSecrets, "encryptedGroupSecrets");
  }

  @Override
  public void encode(TlsWriter w) {
    newMember.encode(w);
    w.opaque(encryptedGroupSecrets.kemOutput())
        .opaque(encryptedGroupSecrets.ciphertext());
  }

  /**
   * Reads one {@code EncryptedGroupSecrets} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static EncryptedGroupSecrets decode(TlsReader r) throws DecodeException {
    KeyPackageRef ref = KeyPackageRef.decode(r);
    return new EncryptedGroupSecrets(ref, new HpkeCiphertext(r.opaque(), r.opaque()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptedGroupSecrets e && e.newMember.equals(newMember)
        && e.encryptedGroupSecrets.equals(encryptedGroupSecrets);
  }

  @Override
  public int hashCode() {
    return newMember.hashCode();
  }
}
