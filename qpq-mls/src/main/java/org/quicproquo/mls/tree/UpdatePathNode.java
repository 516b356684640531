package org.quicproquo.mls.tree;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.HpkeCiphertext;

/**
 * RFC 9420 §7.6:
 *
 * <pre>
 * struct {
 *     HPKEPublicKey encryption_key;
 *     HPKECiphertext encrypted_path_secret&lt;V&gt;;
 * } UpdatePathNode;
 * </pre>
 */
public record UpdatePathNode(byte[] encryptionKey, List<HpkeCiphertext> encryptedPathSecret)
    implements TlsEncodable {

  public UpdatePathNode {
    encryptionKey = encryptionKey.clone();
    encryptedPathSecret = List.copyOf(encryptedPathSecret);
  }

  @Override
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(encryptionKey);
    w.vector(encryptedPathSecret, (ww, c) -> c.encode(ww));
  }

  /** Reads an UpdatePathNode. */
  public static UpdatePathNode decode(TlsReader r) throws DecodeException {
    return new UpdatePathNode(r.opaque(),
        r.vector(rr -> new HpkeCiphertext(rr.opaque(), rr.opaque())));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdatePathNode n && Arrays.equals(encryptionKey, n.encryptionKey)
        && encryptedPathSecret.equals(n.encryptedPathSecret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encryptionKey);
  }
}
