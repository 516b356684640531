package org.quicproquo.mls.schedule;

import java.util.List;
import java.util.Objects;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;

/**
 * The {@code psk_secret} of RFC 9420 §8.4, chained over the PSKs of a commit in order:
 *
 * <pre>
 * psk_extracted_[i] = KDF.Extract(0, psk_[i])
 * psk_input_[i] = ExpandWithLabel(psk_extracted_[i], "derived psk", PSKLabel, KDF.Nh)
 * psk_secret_[0] = 0
 * psk_secret_[i] = KDF.Extract(psk_input_[i-1], psk_secret_[i-1])
 * psk_secret     = psk_secret_[n]
 *
 * struct {
 *     PreSharedKeyID id;
 *     uint16 index;
 *     uint16 count;
 * } PSKLabel;
 * </pre>
 */
public final class PskSecret {
  private PskSecret() {}

  /** Largest number of PSKs in one commit: {@code index} and {@code count} are uint16. */
  public static final int MAX_PSKS = 0xffff;

  /** A PSK id together with the secret it names, as resolved by the caller. */
  public record ResolvedPsk(PreSharedKeyId id, byte[] psk) {
    public ResolvedPsk {
      Objects.requireNonNull(id, "id");
      psk = psk.clone();
    }

    @Override
    public byte[] psk() {
      return psk.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ResolvedPsk r && r.id.equals(id) && java.util.Arrays.equals(r.psk, psk);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public String toString() {
      return "ResolvedPsk[id=" + id + ", psk=<redacted>]";
    }
  }

  /**
   * {@code psk_secret} for {@code psks} in proposal order; KDF.Nh zero bytes when there are none.
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_PSKS}
   */
  public static byte[] compute(CipherSuite suite, List<ResolvedPsk> psks) {
    if (psks.size() > MAX_PSKS) {
      throw new IllegalArgumentException("too many PSKs: " + psks.size());
    }
    byte[] zero = new byte[suite.hashLength()];
    byte[] secret = zero;
    int count = psks.size();
    for (int i = 0; i < count; i++) {
      ResolvedPsk p = psks.get(i);
      byte[] extracted = suite.extract(zero, p.psk);
      TlsWriter label = new TlsWriter();
      p.id.encode(label);
      label.u16(i).u16(count);
      byte[] input = suite.expandWithLabel(extracted, ScheduleLabels.DERIVED_PSK, label.toByteArray(),
          suite.hashLength());
      secret = suite.extract(input, secret);
    }
    return secret;
  }
}
