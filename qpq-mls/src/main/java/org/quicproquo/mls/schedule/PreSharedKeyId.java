package org.quicproquo.mls.schedule;

import java.util.Arrays;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §8.4:
 *
 * <pre>
 * struct {
 *   PSKType psktype;
 *   select (PreSharedKeyID.psktype) {
 *     case external:
 *       opaque psk_id&lt;V&gt;;
 *
 *     case resumption:
 *       ResumptionPSKUsage usage;
 *       opaque psk_group_id&lt;V&gt;;
 *       uint64 psk_epoch;
 *   };
 *   opaque psk_nonce&lt;V&gt;;
 * } PreSharedKeyID;
 * </pre>
 *
 * <p>The two variants are the records {@link External} and {@link Resumption}; both copy their
 * arrays and compare by content.
 */
public sealed interface PreSharedKeyId extends TlsEncodable {
  /** The variant's PSKType. */
  PskType type();

  /** {@code psk_nonce}: a fresh random value of length KDF.Nh chosen by the proposer (§8.4). */
  byte[] pskNonce();

  /** Reads one PreSharedKeyID; rejects unknown PSK types and resumption usages. */
  static PreSharedKeyId decode(TlsReader r) throws DecodeException {
    PskType type = PskType.fromCode(r.u8());
    return switch (type) {
      case EXTERNAL -> new External(r.opaque(), r.opaque());
      case RESUMPTION -> {
        ResumptionPskUsage usage = ResumptionPskUsage.fromCode(r.u8());
        byte[] groupId = r.opaque();
        long epoch = r.u64();
        yield new Resumption(usage, groupId, epoch, r.opaque());
      }
    };
  }

  /** An external PSK, named by {@code psk_id}. */
  record External(byte[] pskId, byte[] pskNonce) implements PreSharedKeyId {
    public External {
      pskId = pskId.clone();
      pskNonce = pskNonce.clone();
    }

    @Override
    public PskType type() {
      return PskType.EXTERNAL;
    }

    @Override
    public byte[] pskId() {
      return pskId.clone();
    }

    @Override
    public byte[] pskNonce() {
      return pskNonce.clone();
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(PskType.EXTERNAL.code()).opaque(pskId).opaque(pskNonce);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof External e && Arrays.equals(pskId, e.pskId) && Arrays.equals(pskNonce, e.pskNonce);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(pskId) + Arrays.hashCode(pskNonce);
    }

    @Override
    public String toString() {
      return "External[pskId=" + java.util.HexFormat.of().formatHex(pskId) + "]";
    }
  }

  /** A resumption PSK: the {@code resumption_psk} of epoch {@code pskEpoch} of group {@code pskGroupId}. */
  record Resumption(ResumptionPskUsage usage, byte[] pskGroupId, long pskEpoch, byte[] pskNonce)
      implements PreSharedKeyId {
    public Resumption {
      java.util.Objects.requireNonNull(usage, "usage");
      pskGroupId = pskGroupId.clone();
      pskNonce = pskNonce.clone();
    }

    @Override
    public PskType type() {
      return PskType.RESUMPTION;
    }

    @Override
    public byte[] pskGroupId() {
      return pskGroupId.clone();
    }

    @Override
    public byte[] pskNonce() {
      return pskNonce.clone();
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(PskType.RESUMPTION.code()).u8(usage.code()).opaque(pskGroupId).u64(pskEpoch).opaque(pskNonce);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Resumption r && r.usage == usage && Arrays.equals(pskGroupId, r.pskGroupId)
          && r.pskEpoch == pskEpoch && Arrays.equals(pskNonce, r.pskNonce);
    }

    @Override
    public int hashCode() {
      return (31 * Arrays.hashCode(pskGroupId) + Long.hashCode(pskEpoch)) * 31 + usage.hashCode();
    }

    @Override
    public String toString() {
      return "Resumption[usage=" + usage + ", pskGroupId="
          + java.util.HexFormat.of().formatHex(pskGroupId) + ", pskEpoch=" + Long.toUnsignedString(pskEpoch) + "]";
    }
  }
}
