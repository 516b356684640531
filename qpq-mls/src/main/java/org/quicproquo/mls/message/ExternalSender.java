package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.tree.Credential;

/**
 * RFC 9420 §12.1.8.1, one entry of the {@code external_senders} GroupContext extension:
 *
 * <pre>
 * struct {
 *   SignaturePublicKey signature_key;
 *   Credential credential;
 * } ExternalSender;
 *
 * ExternalSender external_senders&lt;V&gt;;
 * </pre>
 */
public record ExternalSender(byte[] signatureKey, Credential credential) implements TlsEncodable {
  public ExternalSender {
    signatureKey = signatureKey.clone();
    Objects.requireNonNull(credential, "credential");
  }

  @Override
  public byte[] signatureKey() {
    return signatureKey.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(signatureKey);
    credential.encode(w);
  }

  /**
   * Reads one {@code ExternalSender} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static ExternalSender decode(TlsReader r) throws DecodeException {
    return new ExternalSender(r.opaque(), Credential.decode(r));
  }

  /** Parses the data of an {@code external_senders} extension (all of it). */
  public static List<ExternalSender> listFromExtension(Extension e) throws DecodeException {
    ExternalPub.requireType(e, ExtensionType.EXTERNAL_SENDERS);
    return List.copyOf(TlsReader.decodeAll(e.extensionData(), r -> r.vector(ExternalSender::decode)));
  }

  /** {@code senders} as an {@code external_senders} extension. */
  public static Extension toExtension(List<ExternalSender> senders) {
    TlsWriter w = new TlsWriter();
    w.vector(senders);
    return new Extension(ExtensionType.EXTERNAL_SENDERS, w.toByteArray());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExternalSender s && Arrays.equals(s.signatureKey, signatureKey)
        && s.credential.equals(credential);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signatureKey);
  }
}
