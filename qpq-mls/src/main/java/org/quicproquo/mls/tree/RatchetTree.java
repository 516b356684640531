package org.quicproquo.mls.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.util.CowMap;

/**
 * The public ratchet tree of a group (RFC 9420 §4.1, §7) in array form: a full binary tree of
 * {@code 2^d} leaves, {@code null} for blank nodes.
 *
 * <pre>
 *                 7
 *           3            11
 *        1     5      9      13
 *       0 2   4 6    8 10  12  14      node index (leaf i = node 2i)
 * </pre>
 *
 * <p>Operations follow §7.7 and §12.1: {@link #addLeaf} takes the leftmost blank leaf or doubles
 * the tree to the right and records the new leaf as unmerged on its non-blank ancestors;
 * {@link #removeLeaf} blanks the leaf and its direct path and truncates the right half while it
 * holds no member; {@link #updateLeaf} replaces a leaf and blanks its direct path.
 *
 * <p>Costs: tree hashes (§7.8) are cached per node and only the changed node and its ancestors are
 * invalidated, so re-hashing after a path change is O(log n) hash calls. An index of encryption
 * and signature keys and of credential types in use keeps leaf validation O(1) in the group size.
 *
 * <p>Mutable and not thread-safe. Group state code stages changes on a {@link #copy()} and keeps
 * the copy only once everything verified, so a rejected commit never touches the current tree.
 */
public final class RatchetTree {
  private final CipherSuite suite;
  /** The node array (copy-on-write chunks, so that {@link #copy()} is cheap). */
  private CowArray<Node> nodes;
  private int leafCount;
  private CowArray<byte[]> hashCache;
  /** Non-blank nodes, by node index. */
  private BitSet occupied;
  /** HPKE encryption key -> node index holding it (leaves and parents). */
  private CowMap<Bytes, Integer> encryptionKeys;
  /** Signature key -> leaf index. */
  private CowMap<Bytes, Integer> signatureKeys;
  /** Credential type -> number of member leaves using it. */
  private Map<Integer, Integer> credentialsInUse;
  /** Credential type -> number of member leaves whose capabilities list it. */
  private Map<Integer, Integer> credentialSupport;
  private int memberCount;

  private RatchetTree(CipherSuite suite, int leafCount) {
    this.suite = Objects.requireNonNull(suite, "suite");
    this.leafCount = leafCount;
    this.nodes = new CowArray<>(TreeMath.nodeWidth(leafCount));
    this.hashCache = new CowArray<>(nodes.length());
    this.occupied = new BitSet(nodes.length());
    this.encryptionKeys = new CowMap<>();
    this.signatureKeys = new CowMap<>();
    this.credentialsInUse = new HashMap<>();
    this.credentialSupport = new HashMap<>();
  }

  /** A one-member tree holding the group creator's leaf (§11). */
  public static RatchetTree create(CipherSuite suite, LeafNode creator) {
    RatchetTree t = new RatchetTree(suite, 1);
    t.set(0, creator);
    return t;
  }

  /**
   * The tree carried by a {@code ratchet_tree} extension or delivered out of band (§12.4.3.3):
   *
   * <pre>
   * optional&lt;Node&gt; ratchet_tree&lt;V&gt;;
   * </pre>
   *
   * Leaves must sit at even and parent nodes at odd positions, the last entry must be non-blank
   * (senders truncate trailing blanks), and the result is padded with blanks to a full tree. The
   * result is structurally sound but unverified: run {@link TreeValidator#validateTree} before use.
   */
  public static RatchetTree decode(CipherSuite suite, byte[] data) throws DecodeException {
    return TlsReader.decodeAll(data, r -> decode(suite, r));
  }

  /** As {@link #decode(CipherSuite, byte[])}, reading from {@code r}. */
  public static RatchetTree decode(CipherSuite suite, TlsReader r) throws DecodeException {
    List<Node> list = r.vector(rr -> rr.optional(Node::decodeNode));
    return fromNodes(suite, list);
  }

  /** A tree from its node array (blank = null), with the checks of {@link #decode}. */
  public static RatchetTree fromNodes(CipherSuite suite, List<Node> list) throws DecodeException {
    if (list.isEmpty()) {
      throw new DecodeException("ratchet tree has no nodes");
    }
    if (list.get(list.size() - 1) == null) {
      throw new DecodeException("ratchet tree ends with a blank node");
    }
    if (list.size() > TreeMath.nodeWidth(LeafIndex.MAX + 1)) {
      throw new DecodeException("ratchet tree too large: " + list.size() + " nodes");
    }
    int leaves = 1;
    while (TreeMath.nodeWidth(leaves) < list.size()) {
      leaves <<= 1;
    }
    RatchetTree t = new RatchetTree(suite, leaves);
    for (int i = 0; i < list.size(); i++) {
      Node n = list.get(i);
      if (n == null) {
        continue;
      }
      boolean leafPos = TreeMath.isLeaf(i);
      if (leafPos != (n instanceof LeafNode)) {
        throw new DecodeException("node " + i + " has the wrong node_type for its position");
      }
      t.set(i, n);
    }
    return t;
  }

  /** The {@code ratchet_tree} extension data: the node array without trailing blanks. */
  public byte[] encode() {
    TlsWriter w = new TlsWriter(nodes.length() * 64);
    encode(w);
    return w.toByteArray();
  }

  /** Writes {@code optional<Node> ratchet_tree<V>} to {@code w}. */
  public void encode(TlsWriter w) {
    int last = occupied.previousSetBit(nodes.length() - 1);
    List<Node> prefix = new ArrayList<>(last + 1);
    for (int i = 0; i <= last; i++) {
      prefix.add(nodes.get(i));
    }
    w.vector(prefix, (ww, n) -> ww.optional(n, Node::encodeNode));
  }

  /**
   * An independent copy. Nodes are immutable and shared; the node array, the hash cache and the
   * key indexes are copy-on-write in chunks ({@link CowArray}, {@link CowMap}), so the copy costs
   * O(n / 64) and each later change clones only the chunk it touches, on whichever side writes
   * first. The occupancy bitmap (n / 64 words) is copied.
   */
  public RatchetTree copy() {
    RatchetTree t = new RatchetTree(suite, 1);
    t.leafCount = leafCount;
    t.nodes = nodes.copy();
    t.hashCache = hashCache.copy();
    t.occupied = (BitSet) occupied.clone();
    t.encryptionKeys = encryptionKeys.copy();
    t.signatureKeys = signatureKeys.copy();
    t.credentialsInUse = new HashMap<>(credentialsInUse);
    t.credentialSupport = new HashMap<>(credentialSupport);
    t.memberCount = memberCount;
    return t;
  }

  /** The cipher suite whose hash and signatures this tree uses. */
  public CipherSuite suite() {
    return suite;
  }

  /** Number of leaf positions (a power of two), blank or not. */
  public int leafCount() {
    return leafCount;
  }

  /** Number of nodes in the array (2 * leafCount - 1). */
  public int nodeCount() {
    return nodes.length();
  }

  /** Number of non-blank leaves. */
  public int memberCount() {
    return memberCount;
  }

  /** The node at {@code x}, or null when blank. */
  public Node node(NodeIndex x) {
    return nodeAt(x.value());
  }

  Node nodeAt(int x) {
    return x < nodes.length() ? nodes.get(x) : null;
  }

  /** The leaf at {@code leaf}, or null when blank or outside the tree. */
  public LeafNode leaf(LeafIndex leaf) {
    int x = 2 * leaf.value();
    return x < nodes.length() ? (LeafNode) nodes.get(x) : null;
  }

  /** The parent node at {@code x}, or null when blank. */
  public ParentNode parent(NodeIndex x) {
    if (x.isLeaf()) {
      throw new IllegalArgumentException(x + " is a leaf");
    }
    return (ParentNode) nodeAt(x.value());
  }

  /** The node array (blank = null), untruncated. */
  public List<Node> nodes() {
    Node[] all = new Node[nodes.length()];
    for (int i = 0; i < all.length; i++) {
      all[i] = nodes.get(i);
    }
    return java.util.Collections.unmodifiableList(Arrays.asList(all));
  }

  /** The leaf indices of all members, ascending. */
  public List<LeafIndex> members() {
    List<LeafIndex> out = new ArrayList<>(memberCount);
    for (int x = occupied.nextSetBit(0); x >= 0; x = occupied.nextSetBit(x + 1)) {
      if (TreeMath.isLeaf(x)) {
        out.add(new LeafIndex(x >>> 1));
      }
    }
    return out;
  }

  /** The leaf whose encryption key is {@code key}, if any. */
  public Optional<LeafIndex> leafWithEncryptionKey(byte[] key) {
    Integer x = encryptionKeys.get(new Bytes(key));
    return x != null && TreeMath.isLeaf(x) ? Optional.of(new LeafIndex(x >>> 1)) : Optional.empty();
  }

  /** The node holding HPKE public key {@code key}, if any. */
  public Optional<NodeIndex> nodeWithEncryptionKey(byte[] key) {
    Integer x = encryptionKeys.get(new Bytes(key));
    return x == null ? Optional.empty() : Optional.of(new NodeIndex(x));
  }

  /** The leaf whose signature key is {@code key}, if any. */
  public Optional<LeafIndex> leafWithSignatureKey(byte[] key) {
    Integer l = signatureKeys.get(new Bytes(key));
    return l == null ? Optional.empty() : Optional.of(new LeafIndex(l));
  }

  /** Number of members whose credential has type {@code type}. */
  int membersUsingCredential(int type) {
    return credentialsInUse.getOrDefault(type, 0);
  }

  /** Number of members whose capabilities list credential type {@code type}. */
  int membersSupportingCredential(int type) {
    return credentialSupport.getOrDefault(type, 0);
  }

  /** Credential types currently used by members. */
  Collection<Integer> credentialTypesInUse() {
    return credentialsInUse.keySet();
  }

  // ---------------------------------------------------------------- mutation

  /**
   * Adds {@code leaf} at the leftmost blank leaf, doubling the tree if there is none, and adds the
   * new index to the unmerged_leaves of every non-blank parent above it (§7.7, §12.1.1).
   */
  public LeafIndex addLeaf(LeafNode leaf) {
    Objects.requireNonNull(leaf, "leaf");
    LeafIndex index = leftmostBlankLeaf();
    int l = index.value();
    if (l >= leafCount) {
      extend();
    }
    set(2 * l, leaf);
    for (int p : TreeMath.directPath(2 * l, leafCount)) {
      if (nodes.get(p) instanceof ParentNode pn) {
        set(p, pn.withUnmergedLeaf(index));
      }
    }
    return index;
  }

  /**
   * Where {@link #addLeaf} would put a new leaf: the leftmost blank leaf, or {@link #leafCount()}
   * when every leaf is taken (the tree then doubles).
   */
  public LeafIndex leftmostBlankLeaf() {
    int l = 0;
    while (2 * l < nodes.length() && occupied.get(2 * l)) {
      // BitSet has no stride search; leaves are even bits, so skip to the next clear even bit.
      int clear = occupied.nextClearBit(2 * l);
      l = (clear + 1) >>> 1;
    }
    return new LeafIndex(Math.min(l, leafCount));
  }

  /** Replaces the leaf at {@code index} and blanks its direct path (§12.1.2). */
  public void updateLeaf(LeafIndex index, LeafNode leaf) {
    Objects.requireNonNull(leaf, "leaf");
    requireMember(index);
    set(2 * index.value(), leaf);
    blankDirectPath(index);
  }

  /** Blanks the leaf and its direct path, then truncates the tree (§12.1.3). */
  public void removeLeaf(LeafIndex index) {
    requireMember(index);
    set(2 * index.value(), null);
    blankDirectPath(index);
    truncate();
  }

  /** Blanks every node on the direct path of {@code index}. */
  public void blankDirectPath(LeafIndex index) {
    for (int p : TreeMath.directPath(2 * index.value(), leafCount)) {
      set(p, null);
    }
  }

  /** Sets node {@code x} (leaf at even, parent at odd positions), keeping caches and indexes. */
  void set(int x, Node node) {
    if (node != null && TreeMath.isLeaf(x) != (node instanceof LeafNode)) {
      throw new IllegalArgumentException("node type does not fit position " + x);
    }
    Node old = nodes.get(x);
    if (old != null) {
      unindex(x, old);
    }
    nodes.set(x, node);
    if (node != null) {
      index(x, node);
    }
    occupied.set(x, node != null);
    invalidate(x);
  }

  private void index(int x, Node node) {
    encryptionKeys.putIfAbsent(new Bytes(node.encryptionKey()), x);
    if (node instanceof LeafNode l) {
      memberCount++;
      signatureKeys.putIfAbsent(new Bytes(l.signatureKey()), x >>> 1);
      credentialsInUse.merge(l.credential().credentialType(), 1, Integer::sum);
      for (int c : l.capabilities().credentials().stream().distinct().toList()) {
        credentialSupport.merge(c, 1, Integer::sum);
      }
    }
  }

  private void unindex(int x, Node node) {
    encryptionKeys.remove(new Bytes(node.encryptionKey()), x);
    if (node instanceof LeafNode l) {
      memberCount--;
      signatureKeys.remove(new Bytes(l.signatureKey()), x >>> 1);
      credentialsInUse.computeIfPresent(l.credential().credentialType(), (k, v) -> v == 1 ? null : v - 1);
      for (int c : l.capabilities().credentials().stream().distinct().toList()) {
        credentialSupport.computeIfPresent(c, (k, v) -> v == 1 ? null : v - 1);
      }
    }
  }

  /** Drops cached tree hashes of {@code x} and its ancestors. */
  private void invalidate(int x) {
    int root = TreeMath.root(leafCount);
    hashCache.set(x, null);
    while (x != root) {
      x = TreeMath.parentUnchecked(x);
      if (hashCache.get(x) == null) {
        // Ancestors of an invalid node are already invalid.
        break;
      }
      hashCache.set(x, null);
    }
  }

  private void extend() {
    int newLeaves = leafCount * 2;
    if (newLeaves - 1 > LeafIndex.MAX) {
      throw new IllegalStateException("ratchet tree cannot grow beyond " + (LeafIndex.MAX + 1));
    }
    leafCount = newLeaves;
    nodes.resize(TreeMath.nodeWidth(newLeaves));
    hashCache.resize(nodes.length());
    // The old root now has a parent (the new root), whose hash was never computed.
  }

  private void truncate() {
    while (leafCount > 1) {
      int half = leafCount / 2;
      // Right half = node indices from 2*half to the end.
      if (occupied.nextSetBit(2 * half) >= 0) {
        break;
      }
      int root = TreeMath.root(leafCount);
      if (nodes.get(root) != null) {
        set(root, null);
      }
      leafCount = half;
      nodes.resize(TreeMath.nodeWidth(half));
      hashCache.resize(nodes.length());
    }
  }

  private void requireMember(LeafIndex index) {
    if (leaf(index) == null) {
      throw new IllegalArgumentException(index + " is not a member");
    }
  }

  // ---------------------------------------------------------------- resolution and paths

  /** True if node {@code x} is inside the tree and its subtree holds a non-blank node. */
  boolean hasNonEmptyResolution(int x) {
    int half = (1 << TreeMath.level(x)) - 1;
    int lo = x - half;
    int next = occupied.nextSetBit(lo);
    return next >= 0 && next <= x + half;
  }

  /**
   * The resolution of {@code x} (§4.1.1): a non-blank node followed by its unmerged leaves, or
   * for a blank node the resolutions of its children, left first; empty for a blank leaf.
   */
  public List<NodeIndex> resolution(NodeIndex x) {
    List<NodeIndex> out = new ArrayList<>();
    resolve(x.value(), out);
    return out;
  }

  void resolve(int x, List<NodeIndex> out) {
    Node n = nodes.get(x);
    if (n != null) {
      out.add(new NodeIndex(x));
      if (n instanceof ParentNode p) {
        for (LeafIndex l : p.unmergedLeaves()) {
          out.add(l.node());
        }
      }
    } else if (!TreeMath.isLeaf(x) && hasNonEmptyResolution(x)) {
      resolve(TreeMath.left(x), out);
      resolve(TreeMath.right(x), out);
    }
  }

  /** The direct path of {@code leaf} (§4.1): its ancestors from the parent up to the root. */
  public List<NodeIndex> directPath(LeafIndex leaf) {
    return toNodes(TreeMath.directPath(2 * leaf.value(), leafCount));
  }

  /**
   * The filtered direct path of {@code leaf} (§4.1.2): its direct path without the nodes whose
   * child on the copath has an empty resolution.
   */
  public List<NodeIndex> filteredDirectPath(LeafIndex leaf) {
    List<NodeIndex> out = new ArrayList<>();
    int x = 2 * leaf.value();
    int root = TreeMath.root(leafCount);
    while (x != root) {
      int p = TreeMath.parentUnchecked(x);
      int sibling = x < p ? TreeMath.right(p) : TreeMath.left(p);
      if (hasNonEmptyResolution(sibling)) {
        out.add(new NodeIndex(p));
      }
      x = p;
    }
    return out;
  }

  /** The copath child of each node of {@link #filteredDirectPath}, in the same order. */
  List<Integer> filteredCopath(LeafIndex leaf) {
    List<Integer> out = new ArrayList<>();
    int x = 2 * leaf.value();
    int root = TreeMath.root(leafCount);
    while (x != root) {
      int p = TreeMath.parentUnchecked(x);
      int sibling = x < p ? TreeMath.right(p) : TreeMath.left(p);
      if (hasNonEmptyResolution(sibling)) {
        out.add(sibling);
      }
      x = p;
    }
    return out;
  }

  private static List<NodeIndex> toNodes(int[] xs) {
    List<NodeIndex> out = new ArrayList<>(xs.length);
    for (int x : xs) {
      out.add(new NodeIndex(x));
    }
    return out;
  }

  // ---------------------------------------------------------------- tree hash (§7.8)

  /** The tree hash of the root (§7.8), the value that goes into GroupContext.tree_hash. */
  public byte[] treeHash() {
    return treeHashAt(TreeMath.root(leafCount)).clone();
  }

  /** The tree hash of the subtree rooted at {@code x}. */
  public byte[] treeHash(NodeIndex x) {
    if (x.value() >= nodes.length()) {
      throw new IllegalArgumentException(x + " outside the tree");
    }
    return treeHashAt(x.value()).clone();
  }

  /*
   * struct { uint32 leaf_index; optional<LeafNode> leaf_node; } LeafNodeHashInput;
   * struct { optional<ParentNode> parent_node; opaque left_hash<V>; opaque right_hash<V>; }
   *     ParentNodeHashInput;
   * struct { NodeType node_type; select (...) {...}; } TreeHashInput;
   */
  private byte[] treeHashAt(int x) {
    byte[] cached = hashCache.get(x);
    if (cached != null) {
      return cached;
    }
    byte[] h;
    if (TreeMath.isLeaf(x)) {
      h = leafHash(x, (LeafNode) nodes.get(x));
    } else {
      h = parentHash(nodes.get(x), null, treeHashAt(TreeMath.left(x)),
          treeHashAt(TreeMath.right(x)));
    }
    hashCache.set(x, h);
    return h;
  }

  private byte[] leafHash(int x, LeafNode leaf) {
    TlsWriter w = new TlsWriter(leaf == null ? 8 : 512);
    w.u8(Node.LEAF).u32(x >>> 1);
    w.optional(leaf, (ww, l) -> l.encode(ww));
    return suite.hash(w.toByteArray());
  }

  /** Hash of a ParentNodeHashInput; {@code keepUnmerged}, if non-null, filters unmerged leaves. */
  private byte[] parentHash(Node node, List<LeafIndex> keepUnmerged, byte[] left, byte[] right) {
    TlsWriter w = new TlsWriter(256);
    w.u8(Node.PARENT);
    ParentNode p = (ParentNode) node;
    if (p != null && keepUnmerged != null) {
      p = new ParentNode(p.encryptionKey(), p.parentHash(), keepUnmerged);
    }
    w.optional(p, (ww, pn) -> pn.encode(ww));
    w.opaque(left).opaque(right);
    return suite.hash(w.toByteArray());
  }

  /**
   * The tree hash of {@code x} in the tree where every leaf of {@code removed} is blank and absent
   * from all unmerged_leaves lists: the "original sibling tree hash" of §7.9. Subtrees that hold
   * none of the removed leaves reuse their cached hash.
   */
  byte[] treeHashWithout(int x, List<LeafIndex> removed) {
    int first = TreeMath.firstLeaf(x);
    int last = TreeMath.lastLeaf(x);
    boolean touched = false;
    for (LeafIndex l : removed) {
      if (l.value() >= first && l.value() <= last) {
        touched = true;
        break;
      }
    }
    if (!touched) {
      return treeHashAt(x);
    }
    if (TreeMath.isLeaf(x)) {
      return leafHash(x, null);
    }
    ParentNode p = (ParentNode) nodes.get(x);
    List<LeafIndex> kept = null;
    if (p != null) {
      kept = new ArrayList<>(p.unmergedLeaves());
      kept.removeAll(removed);
    }
    return parentHash(p, kept, treeHashWithout(TreeMath.left(x), removed),
        treeHashWithout(TreeMath.right(x), removed));
  }

  // ---------------------------------------------------------------- parent hash (§7.9)

  /**
   * The parent hash of parent node {@code p} as seen from its child on the other side of
   * {@code sibling} (§7.9):
   *
   * <pre>
   * struct {
   *     HPKEPublicKey encryption_key;
   *     opaque parent_hash&lt;V&gt;;
   *     opaque original_sibling_tree_hash&lt;V&gt;;
   * } ParentHashInput;
   * </pre>
   */
  byte[] parentHashOf(int p, int sibling) {
    ParentNode node = (ParentNode) nodes.get(p);
    TlsWriter w = new TlsWriter(256);
    w.opaque(node.encryptionKey()).opaque(node.parentHash());
    w.opaque(treeHashWithout(sibling, node.unmergedLeaves()));
    return suite.hash(w.toByteArray());
  }

  /**
   * Checks that every non-blank parent node is parent-hash valid (§7.9.2): for one of its children
   * C (other child S) some node D in C's resolution carries parent_hash = ParentHash(P, S), and P's
   * unmerged leaves below C are exactly the rest of C's resolution.
   *
   * @throws InvalidTreeException naming the first parent node that is not covered
   */
  public void verifyParentHashes() throws InvalidTreeException {
    for (int x = occupied.nextSetBit(0); x >= 0; x = occupied.nextSetBit(x + 1)) {
      if (TreeMath.isLeaf(x)) {
        continue;
      }
      if (!parentHashValid(x, TreeMath.left(x), TreeMath.right(x))
          && !parentHashValid(x, TreeMath.right(x), TreeMath.left(x))) {
        throw new InvalidTreeException("parent node " + x + " is not parent-hash valid (§7.9.2)");
      }
    }
  }

  private boolean parentHashValid(int p, int child, int sibling) {
    List<NodeIndex> res = new ArrayList<>();
    resolve(child, res);
    if (res.isEmpty()) {
      return false;
    }
    byte[] expected = parentHashOf(p, sibling);
    ParentNode pn = (ParentNode) nodes.get(p);
    int first = TreeMath.firstLeaf(child);
    int last = TreeMath.lastLeaf(child);
    List<Integer> unmergedBelow = new ArrayList<>();
    for (LeafIndex l : pn.unmergedLeaves()) {
      if (l.value() >= first && l.value() <= last) {
        unmergedBelow.add(2 * l.value());
      }
    }
    for (NodeIndex d : res) {
      // nodeAt: unmerged leaves of an unvalidated tree may point outside it.
      Node dn = nodeAt(d.value());
      byte[] ph = dn instanceof ParentNode dp ? dp.parentHash()
          : dn instanceof LeafNode dl ? dl.parentHash() : null;
      if (ph == null || !Arrays.equals(ph, expected)) {
        continue;
      }
      List<Integer> rest = new ArrayList<>();
      for (NodeIndex r : res) {
        if (!r.equals(d)) {
          rest.add(r.value());
        }
      }
      if (new java.util.HashSet<>(rest).equals(new java.util.HashSet<>(unmergedBelow))
          && rest.size() == unmergedBelow.size()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "RatchetTree[leaves=" + leafCount + ", members=" + memberCount + "]";
  }
}
