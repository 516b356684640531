package org.quicproquo.mls.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.crypto.HpkeCiphertext;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.message.GroupContext;

/**
 * TreeKEM (RFC 9420 §7.4-7.6): creating an UpdatePath as committer and applying one as receiver.
 *
 * <p>Both sides work in two steps because the path secrets are encrypted under the GroupContext
 * of the new epoch, whose tree_hash covers the tree with the path merged in:
 *
 * <pre>
 *  committer:  prepare(tree, ...)  -> tree now holds the new path  -> Prepared.encrypt(ctx)
 *  receiver:   merge(tree, ...)    -> tree now holds the new path  -> Merged.decrypt(ctx, keys)
 * </pre>
 *
 * Both steps mutate the given tree. Work on a {@link RatchetTree#copy()}: when a step throws, the
 * tree may be half-updated and must be dropped. Path derivation (§7.4):
 *
 * <pre>
 *   leaf_secret (random) -> DeriveSecret(., "node") -> leaf key pair
 *   path_secret[0] = DeriveSecret(leaf_secret, "path")        first filtered-direct-path node
 *   path_secret[n] = DeriveSecret(path_secret[n-1], "path")
 *   node key pair [n] = DeriveKeyPair(DeriveSecret(path_secret[n], "node"))
 *   commit_secret = DeriveSecret(path_secret[last], "path")
 * </pre>
 */
public final class TreeKem {
  static final String PATH = "path";
  static final String NODE = "node";
  /** EncryptWithLabel label for path secrets (§7.6). */
  public static final String ENCRYPT_LABEL = "UpdatePathNode";

  private TreeKem() {}

  /**
   * Committer step 1: replaces the committer's leaf and direct path in {@code tree} (the tree after
   * this commit's proposals) with fresh keys and parent hashes, and signs the new leaf.
   *
   * @param leafTemplate the committer's leaf content (credential, capabilities, extensions, and
   *     signature key); encryption key, source and signature are replaced
   * @param excluded leaves that must not receive path secrets (members added by this commit)
   */
  public static Prepared prepare(RatchetTree tree, LeafIndex sender, LeafNode leafTemplate,
      byte[] signaturePrivateKey, byte[] groupId, Collection<LeafIndex> excluded)
      throws CryptoException {
    CipherSuite suite = tree.suite();
    if (tree.leaf(sender) == null) {
      throw new IllegalArgumentException(sender + " is not a member");
    }
    tree.blankDirectPath(sender);
    List<NodeIndex> path = tree.filteredDirectPath(sender);
    List<Integer> copath = tree.filteredCopath(sender);

    byte[] leafSecret = suite.randomBytes(suite.hashLength());
    HpkeKeyPair leafKeys = TreePrivateKeys.derive(suite, leafSecret);
    List<byte[]> secrets = new ArrayList<>();
    List<HpkeKeyPair> nodeKeys = new ArrayList<>();
    byte[] secret = suite.deriveSecret(leafSecret, PATH);
    for (int i = 0; i < path.size(); i++) {
      secrets.add(secret);
      nodeKeys.add(TreePrivateKeys.derive(suite, secret));
      secret = suite.deriveSecret(secret, PATH);
    }
    byte[] commitSecret = secret;

    List<byte[]> publicKeys = nodeKeys.stream().map(HpkeKeyPair::publicKey).toList();
    byte[] leafParentHash = setPath(tree, path, copath, publicKeys);
    LeafNode leaf = leafTemplate.withEncryptionKey(leafKeys.publicKey())
        .withSource(LeafNodeSource.COMMIT, null, leafParentHash)
        .sign(suite, signaturePrivateKey, groupId, sender);
    tree.set(2 * sender.value(), leaf);

    Set<Integer> excludedNodes = new HashSet<>();
    for (LeafIndex l : excluded) {
      excludedNodes.add(2 * l.value());
    }
    List<List<byte[]>> recipients = new ArrayList<>();
    for (int c : copath) {
      List<byte[]> keys = new ArrayList<>();
      for (NodeIndex r : tree.resolution(new NodeIndex(c))) {
        if (!excludedNodes.contains(r.value())) {
          Node n = tree.nodeAt(r.value());
          if (n == null) {
            // Only an unvalidated tree lists a blank or missing leaf as unmerged.
            throw new IllegalStateException("resolution of " + c + " names blank " + r
                + "; validate the tree first");
          }
          keys.add(n.encryptionKey());
        }
      }
      recipients.add(keys);
    }
    TreePrivateKeys mine = TreePrivateKeys.ofLeaf(sender, leafKeys.privateKey());
    for (int i = 0; i < path.size(); i++) {
      mine = mine.with(path.get(i), nodeKeys.get(i).privateKey());
    }
    return new Prepared(suite, sender, leaf, path, secrets, publicKeys, recipients, commitSecret,
        mine);
  }

  /**
   * Sets the parent nodes of {@code path} top-down with empty unmerged leaves and chained parent
   * hashes (§7.9); returns the parent hash the leaf must carry.
   */
  private static byte[] setPath(RatchetTree tree, List<NodeIndex> path, List<Integer> copath,
      List<byte[]> publicKeys) {
    byte[] parentHash = new byte[0];
    for (int i = path.size() - 1; i >= 0; i--) {
      int x = path.get(i).value();
      tree.set(x, new ParentNode(publicKeys.get(i), parentHash, List.of()));
      parentHash = tree.parentHashOf(x, copath.get(i));
    }
    return parentHash;
  }

  /** The committer's side after {@link #prepare}. Holds secrets: do not log or keep it. */
  public static final class Prepared {
    private final CipherSuite suite;
    private final LeafIndex sender;
    private final LeafNode leaf;
    private final List<NodeIndex> path;
    private final List<byte[]> secrets;
    private final List<byte[]> publicKeys;
    private final List<List<byte[]>> recipients;
    private final byte[] commitSecret;
    private final TreePrivateKeys privateKeys;

    private Prepared(CipherSuite suite, LeafIndex sender, LeafNode leaf, List<NodeIndex> path,
        List<byte[]> secrets, List<byte[]> publicKeys, List<List<byte[]>> recipients,
        byte[] commitSecret, TreePrivateKeys privateKeys) {
      this.suite = suite;
      this.sender = sender;
      this.leaf = leaf;
      this.path = path;
      this.secrets = secrets;
      this.publicKeys = publicKeys;
      this.recipients = recipients;
      this.commitSecret = commitSecret;
      this.privateKeys = privateKeys;
    }

    /** The committer's new signed leaf (already in the tree). */
    public LeafNode leafNode() {
      return leaf;
    }

    /** The commit_secret for the key schedule (§8). */
    public byte[] commitSecret() {
      return commitSecret.clone();
    }

    /** The committer's private keys for the new epoch. */
    public TreePrivateKeys privateKeys() {
      return privateKeys;
    }

    /**
     * The path secret a new member at {@code joiner} needs (GroupSecrets.path_secret, §12.4.3.1):
     * that of the lowest filtered-direct-path node above it, with that node's index.
     */
    public PathSecret pathSecretFor(LeafIndex joiner) {
      for (int i = 0; i < path.size(); i++) {
        if (TreeMath.isAncestorOrSelf(path.get(i).value(), 2 * joiner.value())) {
          return new PathSecret(path.get(i), secrets.get(i));
        }
      }
      throw new IllegalArgumentException(joiner + " is not below the committer's path");
    }

    /** Committer step 2: the UpdatePath, path secrets encrypted under {@code groupContext}. */
    public UpdatePath encrypt(GroupContext groupContext) throws CryptoException {
      // One batch for the whole path: in a tree with blank parents the resolutions hold up to
      // n - 1 leaves, and the suite may spread that many encryptions over the cores.
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> plaintexts = new ArrayList<>();
      for (int i = 0; i < path.size(); i++) {
        for (byte[] pk : recipients.get(i)) {
          keys.add(pk);
          plaintexts.add(secrets.get(i));
        }
      }
      List<HpkeCiphertext> all = suite.encryptWithLabel(keys, plaintexts, ENCRYPT_LABEL,
          groupContext.toBytes());
      List<UpdatePathNode> nodes = new ArrayList<>(path.size());
      int next = 0;
      for (int i = 0; i < path.size(); i++) {
        int count = recipients.get(i).size();
        nodes.add(new UpdatePathNode(publicKeys.get(i), all.subList(next, next + count)));
        next += count;
      }
      return new UpdatePath(leaf, nodes);
    }

    @Override
    public String toString() {
      return "TreeKem.Prepared[" + sender + ", path=" + path + "]";
    }
  }

  /** A path secret and the node it belongs to. */
  public record PathSecret(NodeIndex node, byte[] secret) {
    public PathSecret {
      Objects.requireNonNull(node, "node");
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public String toString() {
      return "PathSecret[" + node + "]";
    }
  }

  /**
   * Receiver step 1 (§7.5, §12.4.2): validates the UpdatePath's leaf (§7.3, source commit) and
   * shape, then merges its public part into {@code tree} (the tree after this commit's proposals)
   * and checks the parent-hash chain from the new leaf to the root.
   *
   * @param excluded leaves added by this commit (they get no ciphertexts)
   * @throws InvalidTreeException if the leaf, the number of nodes, a key or a parent hash is wrong
   */
  public static Merged merge(RatchetTree tree, LeafIndex sender, UpdatePath updatePath,
      ValidationContext ctx, Collection<LeafIndex> excluded) throws InvalidTreeException {
    if (tree.leaf(sender) == null) {
      throw new InvalidTreeException("update path sender " + sender + " is not a member");
    }
    TreeValidator.validateLeaf(tree, sender, updatePath.leafNode(), LeafNodeSource.COMMIT, ctx);
    return mergeValidated(tree, sender, updatePath, excluded);
  }

  /**
   * Receiver step 1 for an external commit (§12.4.3.2): the sender is not yet a member, so its
   * UpdatePath leaf is validated for, and added at, the leftmost blank leaf (§12.1.1 placement),
   * then merged as in {@link #merge}. {@link Merged#sender()} tells where the joiner landed.
   *
   * <p>The external joiner itself adds its own leaf with {@link RatchetTree#addLeaf} and then
   * calls {@link #prepare} for that index.
   */
  public static Merged mergeExternal(RatchetTree tree, UpdatePath updatePath,
      ValidationContext ctx, Collection<LeafIndex> excluded) throws InvalidTreeException {
    LeafIndex sender = tree.leftmostBlankLeaf();
    TreeValidator.validateLeaf(tree, sender, updatePath.leafNode(), LeafNodeSource.COMMIT, ctx);
    LeafIndex placed = tree.addLeaf(updatePath.leafNode());
    if (!placed.equals(sender)) {
      throw new IllegalStateException("leaf placed at " + placed + ", expected " + sender);
    }
    return mergeValidated(tree, sender, updatePath, excluded);
  }

  private static Merged mergeValidated(RatchetTree tree, LeafIndex sender, UpdatePath updatePath,
      Collection<LeafIndex> excluded) throws InvalidTreeException {
    LeafNode leaf = updatePath.leafNode();
    tree.blankDirectPath(sender);
    List<NodeIndex> path = tree.filteredDirectPath(sender);
    List<Integer> copath = tree.filteredCopath(sender);
    List<UpdatePathNode> nodes = updatePath.nodes();
    if (nodes.size() != path.size()) {
      throw new InvalidTreeException("update path has " + nodes.size()
          + " nodes but the filtered direct path has " + path.size() + " (§7.6)");
    }
    Set<Bytes> seen = new HashSet<>();
    seen.add(new Bytes(leaf.encryptionKey()));
    List<byte[]> publicKeys = new ArrayList<>();
    for (UpdatePathNode n : nodes) {
      byte[] k = n.encryptionKey();
      if (!seen.add(new Bytes(k)) || tree.nodeWithEncryptionKey(k).isPresent()) {
        throw new InvalidTreeException("update path encryption key is not unique (§12.4.2)");
      }
      publicKeys.add(k);
    }
    byte[] leafParentHash = setPath(tree, path, copath, publicKeys);
    if (!Arrays.equals(leafParentHash, leaf.parentHash())) {
      throw new InvalidTreeException("update path leaf parent_hash does not match (§7.9.2)");
    }
    tree.set(2 * sender.value(), leaf);
    Set<Integer> excludedNodes = new HashSet<>();
    for (LeafIndex l : excluded) {
      excludedNodes.add(2 * l.value());
    }
    return new Merged(tree, sender, path, copath, nodes, excludedNodes);
  }

  /** The receiver's side after {@link #merge}. */
  public static final class Merged {
    private final RatchetTree tree;
    private final LeafIndex sender;
    private final List<NodeIndex> path;
    private final List<Integer> copath;
    private final List<UpdatePathNode> nodes;
    private final Set<Integer> excluded;

    private Merged(RatchetTree tree, LeafIndex sender, List<NodeIndex> path, List<Integer> copath,
        List<UpdatePathNode> nodes, Set<Integer> excluded) {
      this.tree = tree;
      this.sender = sender;
      this.path = path;
      this.copath = copath;
      this.nodes = nodes;
      this.excluded = excluded;
    }

    /** The committer's leaf index. */
    public LeafIndex sender() {
      return sender;
    }

    /**
     * Receiver step 2: decrypts the path secret meant for {@code mine} under
     * {@code groupContext}, derives the rest of the path, checks every derived public key against
     * the UpdatePath, and returns the commit secret with the receiver's new private keys.
     *
     * @throws InvalidTreeException if there is no ciphertext for us or a derived key mismatches
     * @throws CryptoException if decryption fails
     */
    public Received decrypt(GroupContext groupContext, TreePrivateKeys mine)
        throws InvalidTreeException, CryptoException {
      CipherSuite suite = tree.suite();
      int me = 2 * mine.leaf().value();
      if (mine.leaf().equals(sender)) {
        throw new IllegalArgumentException("the committer does not decrypt its own path");
      }
      int i = 0;
      while (i < path.size() && !TreeMath.isAncestorOrSelf(path.get(i).value(), me)) {
        i++;
      }
      if (i == path.size()) {
        throw new InvalidTreeException(mine.leaf() + " is not below the sender's filtered path");
      }
      List<NodeIndex> res = new ArrayList<>();
      for (NodeIndex r : tree.resolution(new NodeIndex(copath.get(i)))) {
        if (!excluded.contains(r.value())) {
          res.add(r);
        }
      }
      List<HpkeCiphertext> cts = nodes.get(i).encryptedPathSecret();
      if (cts.size() != res.size()) {
        throw new InvalidTreeException("update path node " + path.get(i) + " has " + cts.size()
            + " ciphertexts for a resolution of " + res.size() + " (§7.6)");
      }
      int j = 0;
      byte[] key = null;
      for (; j < res.size(); j++) {
        var k = mine.privateKey(res.get(j));
        if (k.isPresent()) {
          key = k.get();
          break;
        }
      }
      if (key == null) {
        throw new InvalidTreeException("no private key for any node of the resolution of "
            + copath.get(i));
      }
      byte[] secret = suite.decryptWithLabel(key, ENCRYPT_LABEL, groupContext.toBytes(),
          cts.get(j));
      PathSecret atAncestor = new PathSecret(path.get(i), secret);
      TreePrivateKeys updated = mine.without(tree.directPath(sender));
      for (int k = i; k < path.size(); k++) {
        HpkeKeyPair kp = TreePrivateKeys.derive(suite, secret);
        if (!Arrays.equals(kp.publicKey(), nodes.get(k).encryptionKey())) {
          throw new InvalidTreeException("derived public key of " + path.get(k)
              + " differs from the update path (§7.5)");
        }
        updated = updated.with(path.get(k), kp.privateKey());
        secret = suite.deriveSecret(secret, PATH);
      }
      return new Received(secret, atAncestor, updated);
    }
  }

  /**
   * What a receiver learns from an UpdatePath: the commit_secret, the path secret it decrypted
   * (at the lowest common node of its and the sender's paths) and its new private keys.
   */
  public record Received(byte[] commitSecret, PathSecret pathSecret, TreePrivateKeys privateKeys) {
    public Received {
      commitSecret = commitSecret.clone();
    }

    @Override
    public byte[] commitSecret() {
      return commitSecret.clone();
    }

    @Override
    public String toString() {
      return "TreeKem.Received[" + pathSecret + "]";
    }
  }

  /** Derives the key pair for {@code x} from its path secret and checks it against the tree. */
  static HpkeKeyPair checkedNodeKey(RatchetTree tree, NodeIndex x, byte[] pathSecret)
      throws InvalidTreeException {
    HpkeKeyPair kp = TreePrivateKeys.derive(tree.suite(), pathSecret);
    Node n = tree.node(x);
    if (n == null || !Arrays.equals(n.encryptionKey(), kp.publicKey())) {
      throw new InvalidTreeException("path secret does not match the public key of " + x);
    }
    return kp;
  }
}
