package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.message.Extension;

class LeafNodeCodecTest {
  static final Capabilities CAPS =
      new Capabilities(List.of(1), List.of(1, 3), List.of(0x0a0a), List.of(), List.of(1, 2));

  static LeafNode leaf(LeafNodeSource src) {
    return new LeafNode(new byte[] {1, 2, 3}, new byte[] {4, 5}, Credential.basic(new byte[] {9}),
        CAPS, src, src == LeafNodeSource.KEY_PACKAGE ? new Lifetime(1, -1L) : null,
        src == LeafNodeSource.COMMIT ? new byte[] {7, 7} : null,
        List.of(new Extension(0x0a0a, new byte[] {1})), new byte[] {8, 8, 8});
  }

  @Test
  void everySourceRoundTrips() throws Exception {
    for (LeafNodeSource src : LeafNodeSource.values()) {
      LeafNode l = leaf(src);
      byte[] bytes = l.toBytes();
      LeafNode back = TlsReader.decodeAll(bytes, LeafNode::decode);
      assertThat(back).isEqualTo(l);
      assertThat(back.toBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void toBeSignedBindsGroupAndLeafOnlyForUpdateAndCommit() {
    LeafNode kp = leaf(LeafNodeSource.KEY_PACKAGE);
    assertThat(kp.toBeSigned(new byte[] {1}, LeafIndex.of(3)))
        .isEqualTo(kp.toBeSigned(null, null));
    LeafNode c = leaf(LeafNodeSource.COMMIT);
    assertThat(c.toBeSigned(new byte[] {1}, LeafIndex.of(3)))
        .isNotEqualTo(c.toBeSigned(new byte[] {1}, LeafIndex.of(4)));
    assertThatThrownBy(() -> c.toBeSigned(null, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void credentialsOfEveryKindRoundTrip() throws Exception {
    for (Credential c : List.of(Credential.basic(new byte[] {1, 2}),
        new Credential.X509(List.of(new byte[] {1}, new byte[] {2, 3})),
        new Credential.Other(0xf001, new byte[] {5}))) {
      assertThat(TlsReader.decodeAll(c.toBytes(), Credential::decode)).isEqualTo(c);
    }
  }

  @Test
  void malformedInputIsRejectedWithDecodeException() {
    byte[] good = leaf(LeafNodeSource.UPDATE).toBytes();
    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = java.util.Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> TlsReader.decodeAll(truncated, LeafNode::decode))
          .isInstanceOf(DecodeException.class);
    }
    byte[] badSource = good.clone();
    // source byte follows enc(4) sig(3) credential(2+2) capabilities
    int capsLen = CAPS.toBytes().length;
    badSource[4 + 3 + 4 + capsLen] = 9;
    assertThatThrownBy(() -> TlsReader.decodeAll(badSource, LeafNode::decode))
        .isInstanceOf(DecodeException.class).hasMessageContaining("leaf_node_source");
    assertThatThrownBy(() -> TlsReader.decodeAll(new byte[] {0, 0, 0}, Credential::decode))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void nodeAndUpdatePathRoundTrip() throws Exception {
    ParentNode p = new ParentNode(new byte[] {1}, new byte[] {2}, List.of(LeafIndex.of(5)));
    for (Node n : List.<Node>of(p, leaf(LeafNodeSource.COMMIT))) {
      org.quicproquo.mls.codec.TlsWriter w = new org.quicproquo.mls.codec.TlsWriter();
      Node.encodeNode(w, n);
      assertThat(TlsReader.decodeAll(w.toByteArray(), Node::decodeNode)).isEqualTo(n);
    }
    UpdatePath up = new UpdatePath(leaf(LeafNodeSource.COMMIT), List.of(new UpdatePathNode(
        new byte[] {3}, List.of(new org.quicproquo.mls.crypto.HpkeCiphertext(new byte[] {1},
            new byte[] {2})))));
    assertThat(TlsReader.decodeAll(up.toBytes(), UpdatePath::decode)).isEqualTo(up);
  }
}
