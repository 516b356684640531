package org.quicproquo.mls.tree;

import java.time.Instant;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §7.2:
 *
 * <pre>
 * struct {
 *     uint64 not_before;
 *     uint64 not_after;
 * } Lifetime;
 * </pre>
 *
 * Seconds since the Unix epoch, as unsigned 64-bit values (stored in Java longs; compared unsigned).
 */
public record Lifetime(long notBefore, long notAfter) implements TlsEncodable {
  @Override
  public void encode(TlsWriter w) {
    w.u64(notBefore).u64(notAfter);
  }

  /** Reads a Lifetime. */
  public static Lifetime decode(TlsReader r) throws DecodeException {
    return new Lifetime(r.u64(), r.u64());
  }

  /** True if {@code now} lies within [not_before, not_after]. */
  public boolean contains(Instant now) {
    long t = now.getEpochSecond();
    if (t < 0) {
      return false;
    }
    return Long.compareUnsigned(notBefore, t) <= 0 && Long.compareUnsigned(t, notAfter) <= 0;
  }
}
