package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuiteId;

/**
 * RFC 9420 §12.4.3.1:
 *
 * <pre>
 * struct {
 *   CipherSuite cipher_suite;
 *   EncryptedGroupSecrets secrets&lt;V&gt;;
 *   opaque encrypted_group_info&lt;V&gt;;
 * } Welcome;
 * </pre>
 */
public record Welcome(CipherSuiteId cipherSuite, List<EncryptedGroupSecrets> secrets,
    byte[] encryptedGroupInfo) implements TlsEncodable {
  public Welcome {
    java.util.Objects.requireNonNull(cipherSuite, "cipherSuite");
    secrets = List.copyOf(secrets);
    encryptedGroupInfo = encryptedGroupInfo.clone();
  }

  @Override
  public byte[] encryptedGroupInfo() {
    return encryptedGroupInfo.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.u16(cipherSuite.code()).vector(secrets).opaque(encryptedGroupInfo);
  }

  /**
   * Reads one {@code Welcome} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static Welcome decode(TlsReader r) throws DecodeException {
    CipherSuiteId suite = Codecs.cipherSuite(r);
    return new Welcome(suite, r.vector(EncryptedGroupSecrets::decode), r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Welcome x && x.cipherSuite == cipherSuite && x.secrets.equals(secrets)
        && Arrays.equals(x.encryptedGroupInfo, encryptedGroupInfo);
  }

  @Override
  public int hashCode() {
    return secrets.hashCode() * 31 + Arrays.hashCode(encryptedGroupInfo);
  }
}
