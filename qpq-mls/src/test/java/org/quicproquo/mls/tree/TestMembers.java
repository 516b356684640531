package org.quicproquo.mls.tree;

import java.security.SecureRandom;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.crypto.SignatureKeyPair;

/** Members with real keys for tree tests: a signed key_package leaf plus its private keys. */
final class TestMembers {
  static final Capabilities CAPS =
      new Capabilities(List.of(1), List.of(1, 2, 3), List.of(), List.of(), List.of(1));

  record Member(LeafNode leaf, SignatureKeyPair sig, HpkeKeyPair enc) {}

  private TestMembers() {}

  static CipherSuite suite(long seed) {
    SecureRandom r;
    try {
      r = SecureRandom.getInstance("SHA1PRNG");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    r.setSeed(seed);
    return CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, r);
  }

  static Member member(CipherSuite suite, String name) throws Exception {
    SignatureKeyPair sig = suite.generateSignatureKeyPair();
    HpkeKeyPair enc = suite.generateHpkeKeyPair();
    LeafNode leaf = new LeafNode(enc.publicKey(), sig.publicKey(),
        Credential.basic(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)), CAPS,
        LeafNodeSource.KEY_PACKAGE, new Lifetime(0, -1L), null, List.of(), new byte[0])
        .sign(suite, sig.privateKey(), null, null);
    return new Member(leaf, sig, enc);
  }
}
