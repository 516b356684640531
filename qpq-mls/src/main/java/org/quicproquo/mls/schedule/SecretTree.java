package org.quicproquo.mls.schedule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * The secret tree of one epoch (RFC 9420 §9): per-leaf handshake and application ratchets seeded
 * from {@code encryption_secret}.
 *
 * <pre>
 *                      encryption_secret (root)
 *                     /                    \
 *   ExpandWithLabel(., "tree", "left")   ExpandWithLabel(., "tree", "right")
 *                  ...                        ...
 *                 leaf node secret of leaf i
 *                 /                  \
 *     "handshake" ratchet         "application" ratchet
 *      secret_0 -&gt; key_0, nonce_0, secret_1 -&gt; key_1, nonce_1, secret_2 ...
 * </pre>
 *
 * <p>Deletion schedule (§9.2): a node's secret is deleted as soon as its children are derived, a
 * leaf's secret once its two ratchets are seeded, a ratchet secret once the next one is derived,
 * and a key/nonce once it is handed out. Keys skipped over when a receiver jumps ahead are kept for
 * out-of-order delivery, but only for the {@link #maxBack} most recent generations; a request at
 * most {@link #maxForward} generations ahead of the ratchet is honoured.
 *
 * <p>Mutable and not thread-safe: it belongs to one group state, which serialises access. Use
 * {@link #copy()} to stage changes, and {@link #toBytes()} / {@link #fromBytes} to persist it.
 */
public final class SecretTree {
  /** Default number of past generations whose skipped keys are kept. */
  public static final int DEFAULT_MAX_BACK = 1000;
  /** Default number of generations a receiver ratchets ahead at most. */
  public static final int DEFAULT_MAX_FORWARD = 1000;
  /** Largest leaf count accepted (ratchet-tree node indices must fit a uint32 and an int). */
  public static final int MAX_LEAVES = 1 << 30;

  private static final long GENERATION_LIMIT = 1L << 32;

  private final CipherSuite suite;
  private final int leafCount;
  private final int maxBack;
  private final int maxForward;
  /** The frontier: secrets of nodes whose children are not yet derived. */
  private final Map<Integer, byte[]> nodeSecrets;
  /** Ratchets of the leaves seeded so far, indexed by leaf: [handshake, application]. */
  private final Map<Integer, Ratchet[]> ratchets;

  /** A tree with the default window. */
  public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount) {
    this(suite, encryptionSecret, leafCount, DEFAULT_MAX_BACK, DEFAULT_MAX_FORWARD);
  }

  /**
   * A tree over {@code leafCount} leaves (a power of two: the ratchet tree's width).
   *
   * @param maxBack how many generations behind the newest one derived keep their unused keys
   * @param maxForward how far ahead of a ratchet's next generation a receiver may ask
   */
  public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount, int maxBack, int maxForward) {
    this(suite, leafCount, maxBack, maxForward);
    if (encryptionSecret.length != suite.hashLength()) {
      throw new IllegalArgumentException("encryption_secret must be KDF.Nh bytes");
    }
    nodeSecrets.put(SecretTreeMath.root(leafCount), encryptionSecret.clone());
  }

  private SecretTree(CipherSuite suite, int leafCount, int maxBack, int maxForward) {
    this.suite = Objects.requireNonNull(suite, "suite");
    if (!SecretTreeMath.isPowerOfTwo(leafCount) || leafCount > MAX_LEAVES) {
      throw new IllegalArgumentException("leaf count must be a power of two up to 2^30: " + leafCount);
    }
    if (maxBack < 0 || maxForward < 0) {
      throw new IllegalArgumentException("window sizes must not be negative");
    }
    this.leafCount = leafCount;
    this.maxBack = maxBack;
    this.maxForward = maxForward;
    this.nodeSecrets = new HashMap<>();
    this.ratchets = new HashMap<>();
  }

  public int leafCount() {
    return leafCount;
  }

  public int maxBack() {
    return maxBack;
  }

  public int maxForward() {
    return maxForward;
  }

  /**
   * The key and nonce for the sender's next message of {@code type}; the ratchet moves past it.
   *
   * @throws SecretTreeException LEAF_OUT_OF_RANGE or GENERATION_EXHAUSTED
   */
  public RatchetKey nextSendKey(LeafIndex sender, RatchetType type) throws SecretTreeException {
    int leaf = sender.value();
    Ratchet r = ratchet(leaf, type);
    if (r.next >= GENERATION_LIMIT) {
      throw new SecretTreeException(SecretTreeException.Reason.GENERATION_EXHAUSTED,
          "ratchet of leaf " + leaf + " has no generations left");
    }
    return r.take(r.next);
  }

  /**
   * The key and nonce of {@code generation} for a message received from {@code leaf}. The key is
   * deleted before it is returned, so each generation can be obtained once. On an exception the
   * tree is unchanged.
   *
   * @throws SecretTreeException LEAF_OUT_OF_RANGE, GENERATION_TOO_OLD, GENERATION_TOO_FAR or
   *     GENERATION_ALREADY_USED
   */
  public RatchetKey receiveKey(LeafIndex sender, RatchetType type, long generation)
      throws SecretTreeException {
    int leaf = sender.value();
    if (generation < 0 || generation >= GENERATION_LIMIT) {
      throw new SecretTreeException(SecretTreeException.Reason.GENERATION_TOO_FAR,
          "generation out of uint32 range: " + generation);
    }
    checkLeaf(leaf);
    Ratchet r = ratchets.get(leaf) == null ? null : ratchets.get(leaf)[type.ordinal()];
    long next = r == null ? 0 : r.next;
    if (generation >= next) {
      if (generation - next > maxForward) {
        throw new SecretTreeException(SecretTreeException.Reason.GENERATION_TOO_FAR, "generation "
            + generation + " is more than " + maxForward + " ahead of " + next);
      }
      return ratchet(leaf, type).take(generation);
    }
    RatchetKey skipped = r.skipped.remove(generation);
    if (skipped != null) {
      return skipped;
    }
    if (generation < next - maxBack) {
      throw new SecretTreeException(SecretTreeException.Reason.GENERATION_TOO_OLD, "generation "
          + generation + " is more than " + maxBack + " behind " + next);
    }
    throw new SecretTreeException(SecretTreeException.Reason.GENERATION_ALREADY_USED,
        "key of generation " + generation + " was already used");
  }

  /** The generation the ratchet of {@code leaf} will give out next (0 if not yet seeded). */
  public long nextGeneration(LeafIndex sender, RatchetType type) throws SecretTreeException {
    int leaf = sender.value();
    checkLeaf(leaf);
    Ratchet[] rs = ratchets.get(leaf);
    return rs == null ? 0 : rs[type.ordinal()].next;
  }

  /** An independent deep copy (for staging: apply changes to the copy, keep it only on success). */
  public SecretTree copy() {
    SecretTree t = new SecretTree(suite, leafCount, maxBack, maxForward);
    nodeSecrets.forEach((k, v) -> t.nodeSecrets.put(k, v.clone()));
    ratchets.forEach((k, v) -> t.ratchets.put(k, new Ratchet[] {v[0].copy(), v[1].copy()}));
    return t;
  }

  private void checkLeaf(int leaf) throws SecretTreeException {
    if (leaf < 0 || leaf >= leafCount) {
      throw new SecretTreeException(SecretTreeException.Reason.LEAF_OUT_OF_RANGE,
          "leaf " + leaf + " outside a tree of " + leafCount + " leaves");
    }
  }

  private Ratchet ratchet(int leaf, RatchetType type) throws SecretTreeException {
    checkLeaf(leaf);
    Ratchet[] rs = ratchets.get(leaf);
    if (rs == null) {
      rs = seed(leaf);
      ratchets.put(leaf, rs);
    }
    return rs[type.ordinal()];
  }

  /** Derives down from the frontier to the leaf, deleting every secret it expands. */
  private Ratchet[] seed(int leaf) {
    int target = SecretTreeMath.leafNode(leaf);
    int x = SecretTreeMath.root(leafCount);
    while (!nodeSecrets.containsKey(x)) {
      // Every root-to-leaf path holds exactly one frontier node until the leaf is seeded
      // (fromBytes checks this for restored state).
      if (SecretTreeMath.level(x) == 0) {
        throw new IllegalStateException("secret tree has no secret above leaf " + leaf);
      }
      x = target < x ? SecretTreeMath.left(x) : SecretTreeMath.right(x);
    }
    while (x != target) {
      byte[] secret = nodeSecrets.remove(x);
      int l = SecretTreeMath.left(x);
      int r = SecretTreeMath.right(x);
      byte[] empty = new byte[0];
      nodeSecrets.put(l, suite.expandWithLabel(secret, ScheduleLabels.TREE,
          ScheduleLabels.LEFT.getBytes(java.nio.charset.StandardCharsets.UTF_8), suite.hashLength()));
      nodeSecrets.put(r, suite.expandWithLabel(secret, ScheduleLabels.TREE,
          ScheduleLabels.RIGHT.getBytes(java.nio.charset.StandardCharsets.UTF_8), suite.hashLength()));
      Arrays.fill(secret, (byte) 0);
      x = target < x ? l : r;
    }
    byte[] leafSecret = nodeSecrets.remove(target);
    Ratchet[] rs = new Ratchet[RatchetType.values().length];
    for (RatchetType t : RatchetType.values()) {
      rs[t.ordinal()] = new Ratchet(
          suite.expandWithLabel(leafSecret, t.label(), new byte[0], suite.hashLength()), 0);
    }
    Arrays.fill(leafSecret, (byte) 0);
    return rs;
  }

  /** One symmetric ratchet: the secret of generation {@code next}, plus unused skipped keys. */
  private final class Ratchet {
    private byte[] secret;
    private long next;
    private final TreeMap<Long, RatchetKey> skipped = new TreeMap<>();

    Ratchet(byte[] secret, long next) {
      this.secret = secret;
      this.next = next;
    }

    Ratchet copy() {
      Ratchet c = new Ratchet(secret.clone(), next);
      skipped.forEach((g, k) -> c.skipped.put(g, new RatchetKey(g, k.key(), k.nonce())));
      return c;
    }

    /** Advances to {@code generation} (>= next), keeping skipped keys in the window, and returns its key. */
    RatchetKey take(long generation) {
      long newNext = generation + 1;
      long keepFrom = newNext - maxBack;
      RatchetKey result = null;
      for (long j = next; j <= generation; j++) {
        RatchetKey k = new RatchetKey(j,
            suite.deriveTreeSecret(secret, ScheduleLabels.KEY, j, suite.aeadKeyLength()),
            suite.deriveTreeSecret(secret, ScheduleLabels.NONCE, j, suite.aeadNonceLength()));
        byte[] following = j + 1 < GENERATION_LIMIT
            ? suite.deriveTreeSecret(secret, ScheduleLabels.SECRET, j, suite.hashLength())
            : new byte[0];
        Arrays.fill(secret, (byte) 0);
        secret = following;
        if (j == generation) {
          result = k;
        } else if (j >= keepFrom) {
          skipped.put(j, k);
        }
      }
      next = newNext;
      while (!skipped.isEmpty() && skipped.firstKey() < keepFrom) {
        skipped.pollFirstEntry().getValue().wipe();
      }
      return result;
    }
  }

  // ---- persistence ----

  /**
   * The state as bytes, for group-state persistence:
   *
   * <pre>
   * struct { uint32 node; opaque secret&lt;V&gt;; } NodeSecret;
   * struct { uint32 generation; opaque key&lt;V&gt;; opaque nonce&lt;V&gt;; } SkippedKey;
   * struct { uint64 next; opaque secret&lt;V&gt;; SkippedKey skipped&lt;V&gt;; } Ratchet;
   * struct { uint32 leaf; Ratchet handshake; Ratchet application; } LeafRatchets;
   * struct {
   *   uint16 cipher_suite; uint32 leaf_count; uint32 max_back; uint32 max_forward;
   *   NodeSecret frontier&lt;V&gt;; LeafRatchets leaves&lt;V&gt;;
   * } SecretTreeState;
   * </pre>
   *
   * The bytes hold live secrets: store them encrypted.
   */
  public byte[] toBytes() {
    TlsWriter w = new TlsWriter(64 + nodeSecrets.size() * 40 + ratchets.size() * 100);
    w.u16(suite.id().code()).u32(leafCount).u32(maxBack).u32(maxForward);
    w.vector(new java.util.TreeMap<>(nodeSecrets).entrySet(), (ww, e) -> ww.u32(e.getKey()).opaque(e.getValue()));
    w.vector(new java.util.TreeMap<>(ratchets).entrySet(), (ww, e) -> {
      ww.u32(e.getKey());
      for (Ratchet r : e.getValue()) {
        ww.u64(r.next).opaque(r.secret);
        ww.vector(r.skipped.values(), (w3, k) -> w3.u32(k.generation()).opaque(k.key()).opaque(k.nonce()));
      }
    });
    return w.toByteArray();
  }

  /**
   * Restores {@link #toBytes()} output for {@code suite}; rejects a different suite, out-of-range
   * indices, wrong secret lengths and inconsistent generations.
   */
  public static SecretTree fromBytes(CipherSuite suite, byte[] bytes) throws DecodeException {
    return TlsReader.decodeAll(bytes, r -> {
      CipherSuiteId id;
      try {
        id = CipherSuiteId.fromCode(r.u16());
      } catch (CryptoException e) {
        throw new DecodeException(e.getMessage());
      }
      if (id != suite.id()) {
        throw new DecodeException("secret tree state is for " + id + ", not " + suite.id());
      }
      long leafCount = r.u32();
      long maxBack = r.u32();
      long maxForward = r.u32();
      if (leafCount > MAX_LEAVES || !SecretTreeMath.isPowerOfTwo((int) leafCount)
          || maxBack > Integer.MAX_VALUE || maxForward > Integer.MAX_VALUE) {
        throw new DecodeException("invalid secret tree parameters");
      }
      SecretTree t = new SecretTree(suite, (int) leafCount, (int) maxBack, (int) maxForward);
      int nh = suite.hashLength();
      TlsReader frontier = r.slice();
      while (frontier.hasRemaining()) {
        long node = frontier.u32();
        byte[] secret = frontier.opaque();
        if (node >= 2 * leafCount - 1 || secret.length != nh || t.nodeSecrets.put((int) node, secret) != null) {
          throw new DecodeException("invalid secret tree node entry " + node);
        }
      }
      TlsReader leaves = r.slice();
      while (leaves.hasRemaining()) {
        long leaf = leaves.u32();
        if (leaf >= leafCount || t.ratchets.containsKey((int) leaf)) {
          throw new DecodeException("invalid secret tree leaf entry " + leaf);
        }
        Ratchet[] rs = new Ratchet[RatchetType.values().length];
        for (int i = 0; i < rs.length; i++) {
          rs[i] = t.readRatchet(leaves);
        }
        t.ratchets.put((int) leaf, rs);
      }
      t.checkCover();
      return t;
    });
  }

  /**
   * Every leaf must be reachable exactly once: either seeded, or below exactly one frontier node.
   * Checked on the leaf ranges the entries cover (sorted, disjoint, adding up to the leaf count),
   * so the cost depends on the state's size, not the tree's.
   */
  private void checkCover() throws DecodeException {
    TreeMap<Long, Long> ranges = new TreeMap<>();
    for (int node : nodeSecrets.keySet()) {
      int k = SecretTreeMath.level(node);
      long start = ((long) node - ((1L << k) - 1)) / 2;
      if (ranges.put(start, 1L << k) != null) {
        throw new DecodeException("overlapping secret tree entries");
      }
    }
    for (int leaf : ratchets.keySet()) {
      if (ranges.put((long) leaf, 1L) != null) {
        throw new DecodeException("overlapping secret tree entries");
      }
    }
    long expect = 0;
    for (Map.Entry<Long, Long> e : ranges.entrySet()) {
      if (e.getKey() != expect) {
        throw new DecodeException("secret tree entries do not cover the leaves exactly once");
      }
      expect += e.getValue();
    }
    if (expect != leafCount) {
      throw new DecodeException("secret tree entries do not cover the leaves exactly once");
    }
  }

  private Ratchet readRatchet(TlsReader r) throws DecodeException {
    long next = r.u64();
    byte[] secret = r.opaque();
    if (next < 0 || next > GENERATION_LIMIT
        || secret.length != (next == GENERATION_LIMIT ? 0 : suite.hashLength())) {
      throw new DecodeException("invalid ratchet state");
    }
    Ratchet ratchet = new Ratchet(secret, next);
    TlsReader skipped = r.slice();
    long previous = -1;
    while (skipped.hasRemaining()) {
      long g = skipped.u32();
      byte[] key = skipped.opaque();
      byte[] nonce = skipped.opaque();
      if (g <= previous || g >= next || g < next - maxBack
          || key.length != suite.aeadKeyLength() || nonce.length != suite.aeadNonceLength()) {
        throw new DecodeException("invalid skipped key entry " + g);
      }
      ratchet.skipped.put(g, new RatchetKey(g, key, nonce));
      previous = g;
    }
    return ratchet;
  }
}
