package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CryptoException;

/**
 * RFC 9420 §8.1:
 *
 * <pre>
 * struct {
 *     ProtocolVersion version = mls10;
 *     CipherSuite cipher_suite;
 *     opaque group_id&lt;V&gt;;
 *     uint64 epoch;
 *     opaque tree_hash&lt;V&gt;;
 *     opaque confirmed_transcript_hash&lt;V&gt;;
 *     Extension extensions&lt;V&gt;;
 * } GroupContext;
 * </pre>
 */
public record GroupContext(
    CipherSuiteId cipherSuite,
    byte[] groupId,
    long epoch,
    byte[] treeHash,
    byte[] confirmedTranscriptHash,
    List<Extension> extensions) implements TlsEncodable {

  /** ProtocolVersion mls10 (§6). */
  public static final int MLS10 = 1;

  public GroupContext {
    groupId = groupId.clone();
    treeHash = treeHash.clone();
    confirmedTranscriptHash = confirmedTranscriptHash.clone();
    extensions = List.copyOf(extensions);
  }

  @Override
  public byte[] groupId() {
    return groupId.clone();
  }

  @Override
  public byte[] treeHash() {
    return treeHash.clone();
  }

  @Override
  public byte[] confirmedTranscriptHash() {
    return confirmedTranscriptHash.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.u16(MLS10).u16(cipherSuite.code()).opaque(groupId).u64(epoch).opaque(treeHash)
        .opaque(confirmedTranscriptHash).vector(extensions);
  }

  public static GroupContext decode(TlsReader r) throws DecodeException {
    int version = r.u16();
    if (version != MLS10) {
      throw new DecodeException("unsupported protocol version " + version);
    }
    CipherSuiteId suite;
    try {
      suite = CipherSuiteId.fromCode(r.u16());
    } catch (CryptoException e) {
      throw new DecodeException(e.getMessage());
    }
    return new GroupContext(suite, r.opaque(), r.u64(), r.opaque(), r.opaque(),
        Extension.decodeList(r));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupContext g && g.cipherSuite == cipherSuite
        && Arrays.equals(g.groupId, groupId) && g.epoch == epoch
        && Arrays.equals(g.treeHash, treeHash)
        && Arrays.equals(g.confirmedTranscriptHash, confirmedTranscriptHash)
        && g.extensions.equals(extensions);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(groupId) * 31 + Long.hashCode(epoch);
  }
}
