package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §6.3:
 *
 * <pre>
 * struct {
 *     opaque group_id&lt;V&gt;;
 *     uint64 epoch;
 *     ContentType content_type;
 *     opaque authenticated_data&lt;V&gt;;
 *     opaque encrypted_sender_data&lt;V&gt;;
 *     opaque ciphertext&lt;V&gt;;
 * } PrivateMessage;
 * </pre>
 */
public record PrivateMessage(byte[] groupId, long epoch, ContentType contentType,
    byte[] authenticatedData, byte[] encryptedSenderData, byte[] ciphertext)
    implements TlsEncodable {
  public PrivateMessage {
    groupId = groupId.clone();
    Objects.requireNonNull(contentType, "contentType");
    authenticatedData = authenticatedData.clone();
    encryptedSenderData = encryptedSenderData.clone();
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] groupId() {
    return groupId.clone();
  }

  @Override
  public byte[] authenticatedData() {
    return authenticatedData.clone();
  }

  @Override
  public byte[] encryptedSenderData() {
    return encryptedSenderData.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(groupId).u64(epoch).u8(contentType.code()).opaque(authenticatedData)
        .opaque(encryptedSenderData).opaque(ciphertext);
  }

  /**
   * Reads one {@code PrivateMessage} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static PrivateMessage decode(TlsReader r) throws DecodeException {
    return new PrivateMessage(r.opaque(), r.u64(), ContentType.fromCode(r.u8()), r.opaque(),
        r.opaque(), r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrivateMessage p && Arrays.equals(p.groupId, groupId) && p.epoch == epoch
        && p.contentType == contentType && Arrays.equals(p.authenticatedData, authenticatedData)
        && Arrays.equals(p.encryptedSenderData, encryptedSenderData)
        && Arrays.equals(p.ciphertext, ciphertext);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ciphertext);
  }
}
