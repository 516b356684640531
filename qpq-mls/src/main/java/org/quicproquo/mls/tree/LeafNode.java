package org.quicproquo.mls.tree;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.message.Extension;

/**
 * RFC 9420 §7.2:
 *
 * <pre>
 * struct {
 *     HPKEPublicKey encryption_key;
 *     SignaturePublicKey signature_key;
 *     Credential credential;
 *     Capabilities capabilities;
 *
 *     LeafNodeSource leaf_node_source;
 *     select (LeafNode.leaf_node_source) {
 *         case key_package:
 *             Lifetime lifetime;
 *
 *         case update:
 *             struct{};
 *
 *         case commit:
 *             opaque parent_hash&lt;V&gt;;
 *     };
 *
 *     Extension extensions&lt;V&gt;;
 *     // SignWithLabel(., "LeafNodeTBS", LeafNodeTBS)
 *     opaque signature&lt;V&gt;;
 * } LeafNode;
 * </pre>
 *
 * {@code lifetime} is non-null exactly for source key_package, {@code parentHash} exactly for
 * source commit. A decoded LeafNode is unverified: call {@link #verifySignature} (or validate the
 * tree or key package holding it) before trusting it.
 */
public record LeafNode(
    byte[] encryptionKey,
    byte[] signatureKey,
    Credential credential,
    Capabilities capabilities,
    LeafNodeSource source,
    Lifetime lifetime,
    byte[] parentHash,
    List<Extension> extensions,
    byte[] signature) implements Node, TlsEncodable {

  /** The SignWithLabel label of §7.2. */
  public static final String SIGN_LABEL = "LeafNodeTBS";

  public LeafNode {
    encryptionKey = encryptionKey.clone();
    signatureKey = signatureKey.clone();
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(capabilities, "capabilities");
    Objects.requireNonNull(source, "source");
    if ((lifetime != null) != (source == LeafNodeSource.KEY_PACKAGE)) {
      throw new IllegalArgumentException("lifetime must be present exactly for key_package leaves");
    }
    if ((parentHash != null) != (source == LeafNodeSource.COMMIT)) {
      throw new IllegalArgumentException("parent_hash must be present exactly for commit leaves");
    }
    parentHash = parentHash == null ? null : parentHash.clone();
    extensions = List.copyOf(extensions);
    signature = signature.clone();
  }

  @Override
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }

  @Override
  public byte[] signatureKey() {
    return signatureKey.clone();
  }

  /** The parent_hash of a commit leaf, else null. */
  @Override
  public byte[] parentHash() {
    return parentHash == null ? null : parentHash.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Same content with a different source-specific part and no signature (to be signed next). */
  public LeafNode withSource(LeafNodeSource newSource, Lifetime newLifetime, byte[] newParentHash) {
    return new LeafNode(encryptionKey, signatureKey, credential, capabilities, newSource,
        newLifetime, newParentHash, extensions, new byte[0]);
  }

  /** Same content with another encryption key and no signature (to be signed next). */
  public LeafNode withEncryptionKey(byte[] key) {
    return new LeafNode(key, signatureKey, credential, capabilities, source, lifetime, parentHash,
        extensions, new byte[0]);
  }

  private void encodeContent(TlsWriter w) {
    w.opaque(encryptionKey).opaque(signatureKey);
    credential.encode(w);
    capabilities.encode(w);
    w.u8(source.code());
    switch (source) {
      case KEY_PACKAGE -> lifetime.encode(w);
      case UPDATE -> { }
      case COMMIT -> w.opaque(parentHash);
      default -> throw new IllegalStateException();
    }
    w.vector(extensions);
  }

  @Override
  public void encode(TlsWriter w) {
    encodeContent(w);
    w.opaque(signature);
  }

  /**
   * The LeafNodeTBS encoding (§7.2): the content, then for update and commit leaves the group id
   * and leaf index, which bind the leaf to its position ({@code groupId}/{@code leaf} are ignored
   * for key_package leaves and may be null then).
   */
  public byte[] toBeSigned(byte[] groupId, LeafIndex leaf) {
    TlsWriter w = new TlsWriter(256);
    encodeContent(w);
    if (source != LeafNodeSource.KEY_PACKAGE) {
      Objects.requireNonNull(groupId, "group_id is part of LeafNodeTBS for update/commit leaves");
      Objects.requireNonNull(leaf, "leaf_index is part of LeafNodeTBS for update/commit leaves");
      w.opaque(groupId);
      leaf.encode(w);
    }
    return w.toByteArray();
  }

  /** This leaf signed with {@code signaturePrivateKey} (see {@link #toBeSigned}). */
  public LeafNode sign(CipherSuite suite, byte[] signaturePrivateKey, byte[] groupId, LeafIndex leaf)
      throws CryptoException {
    byte[] sig = suite.signWithLabel(signaturePrivateKey, SIGN_LABEL, toBeSigned(groupId, leaf));
    return new LeafNode(encryptionKey, signatureKey, credential, capabilities, source, lifetime,
        parentHash, extensions, sig);
  }

  /** VerifyWithLabel of the signature under this leaf's own signature_key. */
  public boolean verifySignature(CipherSuite suite, byte[] groupId, LeafIndex leaf) {
    return suite.verifyWithLabel(signatureKey, SIGN_LABEL, toBeSigned(groupId, leaf), signature);
  }

  /** Reads an unverified LeafNode; rejects unknown sources and duplicate extensions. */
  public static LeafNode decode(TlsReader r) throws DecodeException {
    byte[] enc = r.opaque();
    byte[] sig = r.opaque();
    Credential cred = Credential.decode(r);
    Capabilities caps = Capabilities.decode(r);
    LeafNodeSource src = LeafNodeSource.fromCode(r.u8());
    Lifetime lifetime = null;
    byte[] parentHash = null;
    switch (src) {
      case KEY_PACKAGE -> lifetime = Lifetime.decode(r);
      case UPDATE -> { }
      case COMMIT -> parentHash = r.opaque();
      default -> throw new IllegalStateException();
    }
    List<Extension> ext = Extension.decodeList(r);
    byte[] signature = r.opaque();
    return new LeafNode(enc, sig, cred, caps, src, lifetime, parentHash, ext, signature);
  }

  /** The extension of {@code type}, or null. */
  public Extension extension(int type) {
    for (Extension e : extensions) {
      if (e.extensionType() == type) {
        return e;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeafNode l && Arrays.equals(encryptionKey, l.encryptionKey)
        && Arrays.equals(signatureKey, l.signatureKey) && credential.equals(l.credential)
        && capabilities.equals(l.capabilities) && source == l.source
        && Objects.equals(lifetime, l.lifetime) && Arrays.equals(parentHash, l.parentHash)
        && extensions.equals(l.extensions) && Arrays.equals(signature, l.signature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encryptionKey) * 31 + Arrays.hashCode(signatureKey);
  }

  @Override
  public String toString() {
    return "LeafNode[source=" + source + ", credential type " + credential.credentialType() + "]";
  }
}
