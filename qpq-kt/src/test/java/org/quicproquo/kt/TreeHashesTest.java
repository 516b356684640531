package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TreeHashesTest {
  private final TreeHashes hashes = TreeHashes.create();

  @Test
  void emptyTreeHashIsSha256OfTheEmptyString() {
    assertThat(HexFormat.of().formatHex(hashes.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(new MerkleLog().rootHash()).isEqualTo(hashes.emptyRoot());
  }

  @Test
  void leafHashPrefixesZeroByte() {
    byte[] d = "hello".getBytes(StandardCharsets.US_ASCII);
    assertThat(hashes.leafHash(d)).isEqualTo(NaiveTree.sha256(new byte[] {0}, d));
    // SHA-256(0x00) is the hash of an empty leaf, a widely published constant.
    assertThat(HexFormat.of().formatHex(hashes.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  }

  @Test
  void nodeHashPrefixesOneByteAndChecksLengths() {
    byte[] l = NaiveTree.sha256(new byte[] {7});
    byte[] r = NaiveTree.sha256(new byte[] {8});
    assertThat(hashes.nodeHash(l, r)).isEqualTo(NaiveTree.sha256(new byte[] {1}, l, r));
    assertThat(hashes.nodeHash(l, r)).isNotEqualTo(hashes.nodeHash(r, l));
    assertThatThrownBy(() -> hashes.nodeHash(new byte[31], r))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void splitIsLargestPowerOfTwoBelowN() {
    assertThat(TreeHashes.split(2)).isEqualTo(1);
    assertThat(TreeHashes.split(3)).isEqualTo(2);
    assertThat(TreeHashes.split(4)).isEqualTo(2);
    assertThat(TreeHashes.split(5)).isEqualTo(4);
    assertThat(TreeHashes.split(8)).isEqualTo(4);
    assertThat(TreeHashes.split(9)).isEqualTo(8);
    assertThat(TreeHashes.split(1_000_000)).isEqualTo(524_288);
  }
}
