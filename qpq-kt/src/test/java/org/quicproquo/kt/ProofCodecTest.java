package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ProofCodecTest {
  private static final MerkleLog LOG = new MerkleLog();

  static {
    for (int i = 0; i < 100; i++) {
      LOG.append(NaiveTree.indexData(i));
    }
  }

  @Test
  void inclusionProofRoundTripsAndDecodeIsStrict() throws KtException {
    InclusionProof p = LOG.inclusionProof(37, 100);
    byte[] encoded = p.encode();
    assertThat(encoded).hasSize(8 + 8 + 1 + 32 * p.path().size());
    assertThat(InclusionProof.decode(encoded)).isEqualTo(p);
    assertMalformed(() -> InclusionProof.decode(Arrays.copyOf(encoded, encoded.length + 1)));
    for (int len = 0; len < encoded.length; len++) {
      byte[] cut = Arrays.copyOf(encoded, len);
      assertMalformed(() -> InclusionProof.decode(cut));
    }
    byte[] indexAtSize = new Wire.Writer().u64(5).u64(5).u8(0).toByteArray();
    assertMalformed(() -> InclusionProof.decode(indexAtSize));
  }

  @Test
  void consistencyProofRoundTripsAndDecodeIsStrict() throws KtException {
    ConsistencyProof p = LOG.consistencyProof(37, 100);
    byte[] encoded = p.encode();
    assertThat(ConsistencyProof.decode(encoded)).isEqualTo(p);
    assertMalformed(() -> ConsistencyProof.decode(Arrays.copyOf(encoded, encoded.length + 1)));
    byte[] backwards = new Wire.Writer().u64(6).u64(5).u8(0).toByteArray();
    assertMalformed(() -> ConsistencyProof.decode(backwards));
  }

  @Test
  void pathLengthIsBoundedBeforeReading() {
    // Count 65 with no hashes behind it: rejected on the count, not by running out of bytes.
    byte[] tooLong = new Wire.Writer().u64(0).u64(1).u8(65).toByteArray();
    assertThatThrownBy(() -> InclusionProof.decode(tooLong)).isInstanceOf(KtException.class)
        .hasMessageContaining("exceeds 64");
    List<byte[]> path = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      path.add(new byte[32]);
    }
    assertThatThrownBy(() -> new ConsistencyProof(1, 2, path))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InclusionProof(0, 2, List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void proofsCopyTheirHashes() {
    byte[] h = new byte[32];
    InclusionProof p = new InclusionProof(0, 2, List.of(h));
    h[0] = 1;
    p.path().get(0)[1] = 1;
    assertThat(p.path().get(0)).isEqualTo(new byte[32]);
    assertThat(p).isEqualTo(new InclusionProof(0, 2, List.of(new byte[32])));
  }

  private static void assertMalformed(Executable decode) {
    try {
      decode.execute();
    } catch (KtException e) {
      assertThat(e.reason()).isEqualTo(KtException.Reason.MALFORMED);
      return;
    } catch (Throwable t) {
      throw new AssertionError("expected MALFORMED, got " + t, t);
    }
    throw new AssertionError("expected MALFORMED, decoded fine");
  }
}
