package org.quicproquo.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.Lifetime;

/**
 * Real KeyPackages built with qpq-mls, valid ones as a client would upload them and broken ones
 * for the validation tests. All returned bytes are MLSMessages of wire format mls_key_package.
 */
final class TestKeyPackages {
  static final CipherSuiteId SUITE_1 = CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

  private TestKeyPackages() {
  }

  static CipherSuite suite(CipherSuiteId id) {
    return CipherSuites.of(id, new SecureRandom());
  }

  /** A lifetime from an hour before {@code now} to four weeks after it. */
  static Lifetime around(Instant now) {
    return new Lifetime(now.getEpochSecond() - 3600, now.getEpochSecond() + 28 * 86_400);
  }

  static byte[] identity(String user) {
    return user.getBytes(StandardCharsets.UTF_8);
  }

  /** A valid KeyPackage by the book (Group.generateKeyPackage), as MLSMessage bytes. */
  static byte[] valid(CipherSuiteId id, String user, SignatureKeyPair signer, Lifetime lifetime)
      throws Exception {
    CipherSuite suite = suite(id);
    KeyPackage kp = Group.generateKeyPackage(suite, Credential.basic(identity(user)), signer,
        Group.defaultCapabilities(suite, CredentialType.BASIC), lifetime).keyPackage();
    return MLSMessage.of(kp).toBytes();
  }

  /**
   * A hand-assembled KeyPackage whose every part can be wrong: the leaf is signed with
   * {@code leafSigner} and the package with {@code packageSigner} (private keys), whatever
   * {@code signatureKey} says.
   */
  record Spec(CipherSuiteId suite, int version, Credential credential, List<Integer> credentialTypes,
      byte[] signatureKey, LeafNodeSource source, Lifetime lifetime, boolean initEqualsEncryption,
      byte[] leafSigner, byte[] packageSigner) {

    /** Everything right for {@code user}'s device {@code signer} on suite 1. */
    static Spec of(String user, SignatureKeyPair signer, Instant now) {
      return new Spec(SUITE_1, KeyPackage.MLS10, Credential.basic(identity(user)),
          List.of(CredentialType.BASIC), signer.publicKey(), LeafNodeSource.KEY_PACKAGE,
          around(now), false, signer.privateKey(), signer.privateKey());
    }

    Spec withSuite(CipherSuiteId s) {
      return new Spec(s, version, credential, credentialTypes, signatureKey, source, lifetime,
          initEqualsEncryption, leafSigner, packageSigner);
    }

    Spec withVersion(int v) {
      return new Spec(suite, v, credential, credentialTypes, signatureKey, source, lifetime,
          initEqualsEncryption, leafSigner, packageSigner);
    }

    Spec withCredential(Credential c, List<Integer> types) {
      return new Spec(suite, version, c, types, signatureKey, source, lifetime,
          initEqualsEncryption, leafSigner, packageSigner);
    }

    /** Claims {@code key} as signature_key and signs leaf and package with {@code priv}. */
    Spec withSigner(byte[] key, byte[] priv) {
      return new Spec(suite, version, credential, credentialTypes, key, source, lifetime,
          initEqualsEncryption, priv, priv);
    }

    Spec withSigners(byte[] leaf, byte[] pkg) {
      return new Spec(suite, version, credential, credentialTypes, signatureKey, source, lifetime,
          initEqualsEncryption, leaf, pkg);
    }

    Spec withUpdateSource() {
      return new Spec(suite, version, credential, credentialTypes, signatureKey,
          LeafNodeSource.UPDATE, null, initEqualsEncryption, leafSigner, packageSigner);
    }

    Spec withLifetime(Lifetime l) {
      return new Spec(suite, version, credential, credentialTypes, signatureKey, source, l,
          initEqualsEncryption, leafSigner, packageSigner);
    }

    Spec withInitEqualsEncryption() {
      return new Spec(suite, version, credential, credentialTypes, signatureKey, source, lifetime,
          true, leafSigner, packageSigner);
    }

    KeyPackage build() throws Exception {
      CipherSuite s = TestKeyPackages.suite(suite);
      byte[] enc = s.generateHpkeKeyPair().publicKey();
      byte[] init = initEqualsEncryption ? enc : s.generateHpkeKeyPair().publicKey();
      Capabilities caps = new Capabilities(List.of(KeyPackage.MLS10), List.of(suite.code()),
          List.of(), List.of(), credentialTypes);
      LeafNode leaf = new LeafNode(enc, signatureKey, credential, caps, source, lifetime, null,
          List.of(), new byte[0]).sign(s, leafSigner, new byte[0],
          new org.quicproquo.mls.tree.LeafIndex(0));
      return new KeyPackage(version, suite, init, leaf, List.of(), new byte[0])
          .sign(s, packageSigner);
    }

    byte[] bytes() throws Exception {
      return MLSMessage.of(build()).toBytes();
    }
  }
}
