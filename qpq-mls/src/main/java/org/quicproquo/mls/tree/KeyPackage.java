package org.quicproquo.mls.tree;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.message.Extension;

/**
 * RFC 9420 §10:
 *
 * <pre>
 * struct {
 *     ProtocolVersion version;
 *     CipherSuite cipher_suite;
 *     HPKEPublicKey init_key;
 *     LeafNode leaf_node;
 *     Extension extensions&lt;V&gt;;
 *     // SignWithLabel(., "KeyPackageTBS", KeyPackageTBS)
 *     opaque signature&lt;V&gt;;
 * } KeyPackage;
 *
 * struct {
 *     ProtocolVersion version;
 *     CipherSuite cipher_suite;
 *     HPKEPublicKey init_key;
 *     LeafNode leaf_node;
 *     Extension extensions&lt;V&gt;;
 * } KeyPackageTBS;
 * </pre>
 *
 * A decoded KeyPackage is unverified until {@link #verify} succeeds.
 */
public record KeyPackage(
    int version,
    CipherSuiteId cipherSuite,
    byte[] initKey,
    LeafNode leafNode,
    List<Extension> extensions,
    byte[] signature) implements TlsEncodable {

  public static final String SIGN_LABEL = "KeyPackageTBS";
  /** RefHash label of KeyPackageRef (§5.2). */
  public static final String REF_LABEL = "MLS 1.0 KeyPackage Reference";
  /** ProtocolVersion mls10. */
  public static final int MLS10 = 1;

  public KeyPackage {
    if (version < 0 || version > 0xffff) {
      throw new IllegalArgumentException("version out of range: " + version);
    }
    initKey = initKey.clone();
    extensions = List.copyOf(extensions);
    signature = signature.clone();
  }

  @Override
  public byte[] initKey() {
    return initKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The KeyPackageTBS encoding. */
  public byte[] toBeSigned() {
    TlsWriter w = new TlsWriter(512);
    encodeContent(w);
    return w.toByteArray();
  }

  private void encodeContent(TlsWriter w) {
    w.u16(version).u16(cipherSuite.code()).opaque(initKey);
    leafNode.encode(w);
    w.vector(extensions);
  }

  @Override
  public void encode(TlsWriter w) {
    encodeContent(w);
    w.opaque(signature);
  }

  /** Signs the KeyPackageTBS with the leaf's signature private key. */
  public KeyPackage sign(CipherSuite suite, byte[] signaturePrivateKey) throws CryptoException {
    return new KeyPackage(version, cipherSuite, initKey, leafNode, extensions,
        suite.signWithLabel(signaturePrivateKey, SIGN_LABEL, toBeSigned()));
  }

  /** KeyPackageRef = RefHash("MLS 1.0 KeyPackage Reference", KeyPackage) (§5.2). */
  public KeyPackageRef ref(CipherSuite suite) {
    return new KeyPackageRef(suite.refHash(REF_LABEL, toBytes()));
  }

  /**
   * The checks of §10.1 that need no group: version mls10, the suite is {@code suite}, the leaf
   * has source key_package and a valid signature, the package signature verifies under the
   * leaf's signature key, and init_key differs from the leaf's encryption_key.
   *
   * @throws InvalidTreeException naming the failed rule
   */
  public void verify(CipherSuite suite) throws InvalidTreeException {
    if (version != MLS10) {
      throw new InvalidTreeException("key package version " + version + " is not mls10");
    }
    if (cipherSuite != suite.id()) {
      throw new InvalidTreeException("key package cipher suite " + cipherSuite
          + " differs from " + suite.id());
    }
    if (leafNode.source() != LeafNodeSource.KEY_PACKAGE) {
      throw new InvalidTreeException("key package leaf_node_source is " + leafNode.source());
    }
    if (!leafNode.verifySignature(suite, null, null)) {
      throw new InvalidTreeException("key package leaf node signature does not verify");
    }
    if (!suite.verifyWithLabel(leafNode.signatureKey(), SIGN_LABEL, toBeSigned(), signature)) {
      throw new InvalidTreeException("key package signature does not verify");
    }
    if (Arrays.equals(initKey, leafNode.encryptionKey())) {
      throw new InvalidTreeException("key package init_key equals the leaf encryption_key");
    }
  }

  /** Reads an unverified KeyPackage; rejects unknown cipher suites. */
  public static KeyPackage decode(TlsReader r) throws DecodeException {
    int version = r.u16();
    CipherSuiteId suite;
    try {
      suite = CipherSuiteId.fromCode(r.u16());
    } catch (CryptoException e) {
      throw new DecodeException(e.getMessage());
    }
    return new KeyPackage(version, suite, r.opaque(), LeafNode.decode(r),
        Extension.decodeList(r), r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPackage k && k.version == version && k.cipherSuite == cipherSuite
        && Arrays.equals(initKey, k.initKey) && leafNode.equals(k.leafNode)
        && extensions.equals(k.extensions) && Arrays.equals(signature, k.signature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(initKey);
  }
}
