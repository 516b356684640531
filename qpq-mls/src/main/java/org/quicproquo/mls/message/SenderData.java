package org.quicproquo.mls.message;

import java.util.Arrays;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * RFC 9420 §6.3.2:
 *
 * <pre>
 * struct {
 *     uint32 leaf_index;
 *     uint32 generation;
 *     opaque reuse_guard[4];
 * } SenderData;
 * </pre>
 */
public record SenderData(LeafIndex leafIndex, long generation, byte[] reuseGuard)
    implements TlsEncodable {
  /** Length of {@code reuse_guard}. */
  public static final int REUSE_GUARD_LENGTH = 4;

  public SenderData {
    java.util.Objects.requireNonNull(leafIndex, "leafIndex");
    if (generation < 0 || generation > 0xffff_ffffL) {
      throw new IllegalArgumentException("generation out of uint32 range: " + generation);
    }
    if (reuseGuard.length != REUSE_GUARD_LENGTH) {
      throw new IllegalArgumentException("reuse_guard must be 4 bytes");
    }
    reuseGuard = reuseGuard.clone();
  }

  @Override
  public byte[] reuseGuard() {
    return reuseGuard.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.u32(leafIndex.value()).u32(generation).raw(reuseGuard);
  }

  /**
   * Reads one {@code SenderData} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static SenderData decode(TlsReader r) throws DecodeException {
    return new SenderData(LeafIndex.decode(r), r.u32(), r.raw(REUSE_GUARD_LENGTH));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SenderData s && s.leafIndex.equals(leafIndex) && s.generation == generation
        && Arrays.equals(s.reuseGuard, reuseGuard);
  }

  @Override
  public int hashCode() {
    return leafIndex.hashCode() * 31 + Long.hashCode(generation);
  }
}
