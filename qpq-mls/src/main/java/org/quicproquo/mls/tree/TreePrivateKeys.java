package org.quicproquo.mls.tree;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.crypto.HpkeKeyPair;

/**
 * One member's private view of the ratchet tree (RFC 9420 §7.4): its leaf index and the HPKE
 * private keys it holds for its own leaf and for nodes on its direct path. Immutable; updates
 * return a new instance. {@link #toString()} never shows key material.
 */
public final class TreePrivateKeys {
  private final LeafIndex leaf;
  private final Map<Integer, byte[]> keys;

  private TreePrivateKeys(LeafIndex leaf, Map<Integer, byte[]> keys) {
    this.leaf = leaf;
    this.keys = keys;
  }

  /** A member that holds only its leaf's private key (fresh from a KeyPackage or Update). */
  public static TreePrivateKeys ofLeaf(LeafIndex leaf, byte[] leafPrivateKey) {
    Map<Integer, byte[]> m = new TreeMap<>();
    m.put(2 * leaf.value(), leafPrivateKey.clone());
    return new TreePrivateKeys(leaf, Collections.unmodifiableMap(m));
  }

  /**
   * A joiner's keys (§12.4.3.1): its leaf key plus the keys derived from {@code pathSecret} (the
   * GroupSecrets.path_secret) at node {@code at} and every node above it on the joiner's filtered
   * direct path. The derived public keys must equal those in {@code tree}.
   *
   * @throws InvalidTreeException if a derived public key does not match the tree
   */
  public static TreePrivateKeys fromPathSecret(RatchetTree tree, LeafIndex leaf,
      byte[] leafPrivateKey, NodeIndex at, byte[] pathSecret) throws InvalidTreeException {
    CipherSuite suite = tree.suite();
    TreePrivateKeys keys = ofLeaf(leaf, leafPrivateKey);
    boolean started = false;
    byte[] secret = pathSecret;
    for (NodeIndex x : tree.filteredDirectPath(leaf)) {
      if (!started && !x.equals(at)) {
        continue;
      }
      started = true;
      keys = keys.with(x, TreeKem.checkedNodeKey(tree, x, secret).privateKey());
      secret = suite.deriveSecret(secret, TreeKem.PATH);
    }
    if (!started) {
      throw new InvalidTreeException(at + " is not on the filtered direct path of " + leaf);
    }
    return keys;
  }

  /** The member's own leaf. */
  public LeafIndex leaf() {
    return leaf;
  }

  /** The private key for node {@code x}, if held. */
  public Optional<byte[]> privateKey(NodeIndex x) {
    byte[] k = keys.get(x.value());
    return k == null ? Optional.empty() : Optional.of(k.clone());
  }

  /** The node indices whose private keys are held. */
  public Collection<NodeIndex> nodes() {
    return keys.keySet().stream().map(NodeIndex::new).toList();
  }

  /** A copy that also holds {@code privateKey} for {@code x} (replacing any previous one). */
  public TreePrivateKeys with(NodeIndex x, byte[] privateKey) {
    Map<Integer, byte[]> m = new TreeMap<>(keys);
    m.put(x.value(), privateKey.clone());
    return new TreePrivateKeys(leaf, Collections.unmodifiableMap(m));
  }

  /** A copy without the keys of {@code nodes}. */
  public TreePrivateKeys without(Collection<NodeIndex> nodes) {
    Map<Integer, byte[]> m = new TreeMap<>(keys);
    for (NodeIndex x : nodes) {
      m.remove(x.value());
    }
    return new TreePrivateKeys(leaf, Collections.unmodifiableMap(m));
  }

  /** Checks that every held key belongs to the public key of its node in {@code tree}. */
  public boolean matches(RatchetTree tree) {
    try {
      for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
        Node n = tree.nodeAt(e.getKey());
        if (n == null || !java.util.Arrays.equals(n.encryptionKey(),
            tree.suite().hpkePublicKey(e.getValue()))) {
          return false;
        }
      }
      return true;
    } catch (CryptoException e) {
      return false;
    }
  }

  /**
   * Encoding for persisting group state (not a wire format of RFC 9420; it holds private keys, so
   * store it encrypted):
   *
   * <pre>
   * struct { uint32 node; opaque private_key&lt;V&gt;; } NodeKey;
   * struct { uint32 leaf_index; NodeKey keys&lt;V&gt;; } TreePrivateKeys;
   * </pre>
   */
  public byte[] toBytes() {
    TlsWriter w = new TlsWriter(64 + 48 * keys.size());
    leaf.encode(w);
    w.vector(keys.entrySet(), (ww, e) -> ww.u32(e.getKey()).opaque(e.getValue()));
    return w.toByteArray();
  }

  /**
   * Restores {@link #toBytes()} output. Rejects nodes that are not the own leaf or on its direct
   * path, and duplicates; {@link #matches} then checks the keys against the stored tree.
   */
  public static TreePrivateKeys fromBytes(byte[] data) throws DecodeException {
    return TlsReader.decodeAll(data, r -> {
      LeafIndex leaf = LeafIndex.decode(r);
      int own = 2 * leaf.value();
      Map<Integer, byte[]> m = new TreeMap<>();
      for (Map.Entry<Integer, byte[]> e : r.vector(rr -> {
        long node = rr.u32();
        byte[] key = rr.opaque();
        if (node > 2L * LeafIndex.MAX || !TreeMath.isAncestorOrSelf((int) node, own)) {
          throw new DecodeException("node " + node + " is not on the path of " + leaf);
        }
        return Map.entry((int) node, key);
      })) {
        if (m.put(e.getKey(), e.getValue()) != null) {
          throw new DecodeException("duplicate private key for node " + e.getKey());
        }
      }
      if (!m.containsKey(own)) {
        throw new DecodeException("no private key for the own leaf");
      }
      return new TreePrivateKeys(leaf, Collections.unmodifiableMap(m));
    });
  }

  static HpkeKeyPair derive(CipherSuite suite, byte[] pathSecret) {
    return suite.deriveHpkeKeyPair(suite.deriveSecret(pathSecret, TreeKem.NODE));
  }

  @Override
  public String toString() {
    return "TreePrivateKeys[" + leaf + ", nodes=" + keys.keySet() + "]";
  }
}
