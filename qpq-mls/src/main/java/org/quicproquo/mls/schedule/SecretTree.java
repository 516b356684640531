package org.quicproquo.mls.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.util.CowMap;

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
 * and a key/nonce once it is consumed. Keys skipped over when a receiver jumps ahead are kept for
 * out-of-order delivery, but only for the {@link #maxBack} most recent generations of a ratchet and
 * at most {@link #maxRetained} across the whole tree (the oldest retained key is evicted first, so
 * one member cannot make another hold a key per generation of every ratchet of a large group); a
 * request at most {@link #maxForward} generations ahead of the ratchet is honoured.
 *
 * <p>Receiving is two-phase so that a forged message cannot burn a generation:
 * {@link #peekKey} derives the key without changing the tree, and {@link PendingKey#consume()}
 * deletes it once the caller has checked the AEAD tag. {@link #receiveKey} does both at once.
 *
 * <p>Mutable and not thread-safe: it belongs to one group state, which serialises access. Use
 * {@link #copy()} to stage changes, and {@link #toBytes()} / {@link #fromBytes} to persist it.
 *
 * <p>Copies are cheap, so that staging one message's key consumption does not cost the size of
 * the group: the frontier and the per-leaf ratchets are held in copy-on-write maps
 * ({@link CowMap}) shared with the copy, and a ratchet or frontier secret is cloned by whichever
 * tree first changes it after the copy. A message therefore costs O(1) map shards plus the one
 * ratchet it advances (and that ratchet's skipped keys), whatever the number of leaves or active
 * senders. Secret arrays shared with a copy are not wiped by the tree that drops them (the other
 * tree still needs them); every array this tree owns alone is wiped when it is deleted.
 */
public final class SecretTree {
  /** Default number of past generations whose skipped keys are kept. */
  public static final int DEFAULT_MAX_BACK = 1000;
  /** Default number of generations a receiver ratchets ahead at most. */
  public static final int DEFAULT_MAX_FORWARD = 1000;
  /** Default bound on skipped keys retained across all ratchets of the tree. */
  public static final int DEFAULT_MAX_RETAINED = 10_000;
  /** Largest leaf count accepted (ratchet-tree node indices must fit a uint32 and an int). */
  public static final int MAX_LEAVES = 1 << 30;

  private static final long GENERATION_LIMIT = 1L << 32;

  private final CipherSuite suite;
  private final int leafCount;
  private final int maxBack;
  private final int maxForward;
  private final int maxRetained;
  /** The frontier: secrets of nodes whose children are not yet derived. */
  private final CowMap<Integer, NodeSecret> nodeSecrets;
  /**
   * Ratchets of the leaves seeded so far, indexed by leaf: [handshake, application]. The arrays
   * are never changed once in the map (a changed pair is put as a new array).
   */
  private final CowMap<Integer, Ratchet[]> ratchets;
  /** Number of skipped keys retained across all ratchets. */
  private int retainedCount;
  /** Retention sequence number of the next skipped key: eviction takes the smallest first. */
  private long nextSequence;
  /**
   * What this tree owns alone: ratchets and frontier secrets carrying this token may be changed
   * and wiped in place. {@link #copy()} gives both trees new tokens, so everything existing at
   * the copy is shared and cloned before either side changes it.
   */
  private Object token = new Object();
  /** Bumped by every change; a {@link PendingKey} applies its staged work only if unchanged. */
  private long modifications;

  /** A tree with the default windows. */
  public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount) {
    this(suite, encryptionSecret, leafCount, DEFAULT_MAX_BACK, DEFAULT_MAX_FORWARD);
  }

  /**
   * A tree over {@code leafCount} leaves (a power of two: the ratchet tree's width) that retains
   * at most {@link #DEFAULT_MAX_RETAINED} skipped keys.
   *
   * @param maxBack how many generations behind the newest one derived keep their unused keys
   * @param maxForward how far ahead of a ratchet's next generation a receiver may ask
   */
  public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount, int maxBack, int maxForward) {
    this(suite, encryptionSecret, leafCount, maxBack, maxForward, DEFAULT_MAX_RETAINED);
  }

  /**
   * A tree over {@code leafCount} leaves (a power of two: the ratchet tree's width).
   *
   * @param maxBack how many generations behind the newest one derived keep their unused keys
   * @param maxForward how far ahead of a ratchet's next generation a receiver may ask
   * @param maxRetained how many skipped keys the whole tree keeps at most (oldest evicted first)
   */
  public SecretTree(CipherSuite suite, byte[] encryptionSecret, int leafCount, int maxBack,
      int maxForward, int maxRetained) {
    this(suite, leafCount, maxBack, maxForward, maxRetained);
    if (encryptionSecret.length != suite.hashLength()) {
      throw new IllegalArgumentException("encryption_secret must be KDF.Nh bytes");
    }
    nodeSecrets.put(SecretTreeMath.root(leafCount), new NodeSecret(encryptionSecret.clone(), token));
  }

  private SecretTree(CipherSuite suite, int leafCount, int maxBack, int maxForward, int maxRetained) {
    this(suite, leafCount, maxBack, maxForward, maxRetained, new CowMap<>(shardsFor(leafCount)),
        new CowMap<>(shardsFor(leafCount)));
  }

  private SecretTree(CipherSuite suite, int leafCount, int maxBack, int maxForward, int maxRetained,
      CowMap<Integer, NodeSecret> nodeSecrets, CowMap<Integer, Ratchet[]> ratchets) {
    this.suite = Objects.requireNonNull(suite, "suite");
    if (!SecretTreeMath.isPowerOfTwo(leafCount) || leafCount > MAX_LEAVES) {
      throw new IllegalArgumentException("leaf count must be a power of two up to 2^30: " + leafCount);
    }
    if (maxBack < 0 || maxForward < 0 || maxRetained < 0) {
      throw new IllegalArgumentException("window sizes must not be negative");
    }
    this.leafCount = leafCount;
    this.maxBack = maxBack;
    this.maxForward = maxForward;
    this.maxRetained = maxRetained;
    this.nodeSecrets = nodeSecrets;
    this.ratchets = ratchets;
  }

  /** Shards of the copy-on-write maps: about 16 leaves per shard, between 1 and 256. */
  private static int shardsFor(int leafCount) {
    return Math.max(1, Math.min(CowMap.DEFAULT_SHARDS, leafCount / 16));
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

  /** The bound on skipped keys retained across the whole tree. */
  public int maxRetained() {
    return maxRetained;
  }

  /** How many skipped keys the tree currently retains for out-of-order messages. */
  public int retainedKeyCount() {
    return retainedCount;
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
    Advance a = stage(r.secret, r.next, r.next);
    apply(leaf, type, r, a);
    return a.result;
  }

  /**
   * The key and nonce of {@code generation} for a message received from {@code leaf}. The key is
   * deleted before it is returned, so each generation can be obtained once. On an exception the
   * tree is unchanged. Decoders of untrusted messages should use {@link #peekKey} instead and
   * consume the key only once the message authenticated.
   *
   * @throws SecretTreeException LEAF_OUT_OF_RANGE, GENERATION_TOO_OLD, GENERATION_TOO_FAR,
   *     GENERATION_ALREADY_USED or KEY_EVICTED
   */
  public RatchetKey receiveKey(LeafIndex sender, RatchetType type, long generation)
      throws SecretTreeException {
    PendingKey pending = peekKey(sender, type, generation);
    pending.consume();
    return pending.key();
  }

  /**
   * The key and nonce of {@code generation} for a message received from {@code sender}, without
   * changing the tree: it stays obtainable until {@link PendingKey#consume()} is called. A pending
   * key that is never consumed (because the message failed to decrypt) leaves no trace.
   *
   * @throws SecretTreeException as {@link #receiveKey}
   */
  public PendingKey peekKey(LeafIndex sender, RatchetType type, long generation)
      throws SecretTreeException {
    int leaf = sender.value();
    if (generation < 0 || generation >= GENERATION_LIMIT) {
      throw new SecretTreeException(SecretTreeException.Reason.GENERATION_TOO_FAR,
          "generation out of uint32 range: " + generation);
    }
    checkLeaf(leaf);
    Ratchet[] pair = ratchets.get(leaf);
    Ratchet r = pair == null ? null : pair[type.ordinal()];
    long next = r == null ? 0 : r.next;
    if (generation >= next) {
      if (generation - next > maxForward) {
        throw new SecretTreeException(SecretTreeException.Reason.GENERATION_TOO_FAR, "generation "
            + generation + " is more than " + maxForward + " ahead of " + next);
      }
      byte[] secret = r == null ? previewSeed(leaf, type) : r.secret;
      Advance a = stage(secret, next, generation);
      if (r == null) {
        Arrays.fill(secret, (byte) 0);
      }
      return new PendingKey(leaf, type, a.result, a);
    }
    Skipped skipped = r.skipped.get(generation);
    if (skipped != null) {
      // A copy: consuming wipes the retained one.
      RatchetKey k = skipped.key;
      return new PendingKey(leaf, type, new RatchetKey(k.generation(), k.key(), k.nonce()), null);
    }
    if (generation < next - maxBack) {
      throw new SecretTreeException(SecretTreeException.Reason.GENERATION_TOO_OLD, "generation "
          + generation + " is more than " + maxBack + " behind " + next);
    }
    if (generation < r.evictedBelow) {
      throw new SecretTreeException(SecretTreeException.Reason.KEY_EVICTED, "key of generation "
          + generation + " is no longer retained (the tree keeps " + maxRetained + " at most)");
    }
    throw new SecretTreeException(SecretTreeException.Reason.GENERATION_ALREADY_USED,
        "key of generation " + generation + " was already used");
  }

  /**
   * A key obtained by {@link #peekKey} and not yet deleted from its tree. Not thread-safe (it
   * belongs to the tree's owner).
   */
  public final class PendingKey {
    private final int leaf;
    private final RatchetType type;
    private final RatchetKey key;
    /** Staged ratchet advance (null if the key is a retained skipped one). */
    private final Advance advance;
    private final long modificationsAtPeek;
    private boolean consumed;

    private PendingKey(int leaf, RatchetType type, RatchetKey key, Advance advance) {
      this.leaf = leaf;
      this.type = type;
      this.key = key;
      this.advance = advance;
      this.modificationsAtPeek = modifications;
    }

    /** The key and nonce (usable before and after {@link #consume()}). */
    public RatchetKey key() {
      return key;
    }

    /**
     * Deletes the key from the tree (advancing the ratchet and retaining the keys skipped over, if
     * it lay ahead). Call it once the message decrypted. If the tree changed since the peek, the
     * key is looked up again.
     *
     * @throws SecretTreeException if the tree changed since the peek and no longer holds the key
     * @throws IllegalStateException if called twice
     */
    public void consume() throws SecretTreeException {
      if (consumed) {
        throw new IllegalStateException("key already consumed");
      }
      if (modifications != modificationsAtPeek) {
        // The staged work may be stale: redo the lookup on the current state.
        PendingKey fresh = peekKey(new LeafIndex(leaf), type, key.generation());
        fresh.consume();
        consumed = true;
        return;
      }
      Ratchet r = ratchet(leaf, type);
      if (advance != null) {
        apply(leaf, type, r, advance);
      } else {
        Skipped s = r.skipped.remove(key.generation());
        retainedCount--;
        s.key.wipe();
        modifications++;
      }
      consumed = true;
    }

    /**
     * A {@link #copy()} of the tree with this key consumed, leaving the tree itself (and this
     * pending key) untouched: for owners that keep the tree immutable and stage every change. The
     * staged ratchet advance is reused, so nothing is derived twice.
     *
     * @throws SecretTreeException if the tree changed since the peek and no longer holds the key
     */
    public SecretTree consumedCopy() throws SecretTreeException {
      SecretTree t = copy();
      if (modifications != modificationsAtPeek) {
        t.receiveKey(new LeafIndex(leaf), type, key.generation());
        return t;
      }
      // Fresh arrays: the two trees wipe their own key material independently.
      Advance staged = advance == null ? null : advance.copy();
      t.new PendingKey(leaf, type, key, staged).consume();
      return t;
    }
  }

  /** The generation the ratchet of {@code leaf} will give out next (0 if not yet seeded). */
  public long nextGeneration(LeafIndex sender, RatchetType type) throws SecretTreeException {
    int leaf = sender.value();
    checkLeaf(leaf);
    Ratchet[] rs = ratchets.get(leaf);
    return rs == null ? 0 : rs[type.ordinal()].next;
  }

  /**
   * What one seeded ratchet holds, without its secrets: the generation it gives out next and the
   * generations whose skipped keys it still retains for out-of-order messages (ascending). Every
   * generation below {@code nextGeneration} that is not retained has been deleted.
   */
  public record RatchetState(LeafIndex leaf, RatchetType type, long nextGeneration,
      List<Long> retainedGenerations) {
    public RatchetState {
      Objects.requireNonNull(leaf, "leaf");
      Objects.requireNonNull(type, "type");
      retainedGenerations = List.copyOf(retainedGenerations);
    }
  }

  /**
   * The state of every ratchet seeded so far (leaves in ascending order, handshake before
   * application), for forward-secrecy introspection. Reveals no secret.
   */
  public List<RatchetState> ratchetStates() {
    List<RatchetState> out = new ArrayList<>();
    new TreeMap<>(ratchets.toMap()).forEach((leaf, pair) -> {
      for (RatchetType t : RatchetType.values()) {
        Ratchet r = pair[t.ordinal()];
        out.add(new RatchetState(new LeafIndex(leaf), t, r.next,
            new ArrayList<>(r.skipped.keySet())));
      }
    });
    return out;
  }

  /**
   * Whether the root secret (the epoch's encryption_secret, §9) is still held: true until the
   * first leaf's ratchets are seeded, after which only derived secrets remain.
   */
  public boolean holdsRootSecret() {
    return nodeSecrets.containsKey(SecretTreeMath.root(leafCount));
  }

  /**
   * An independent copy (for staging: apply changes to the copy, keep it only on success). Later
   * changes to either tree are invisible to the other. O(shards): the state is shared and cloned
   * piecewise by whichever tree changes a piece first (see the class javadoc).
   */
  public SecretTree copy() {
    SecretTree t = new SecretTree(suite, leafCount, maxBack, maxForward, maxRetained,
        nodeSecrets.copy(), ratchets.copy());
    t.retainedCount = retainedCount;
    t.nextSequence = nextSequence;
    // Everything existing is now shared: this tree too must clone before changing it.
    token = new Object();
    return t;
  }

  private void checkLeaf(int leaf) throws SecretTreeException {
    if (leaf < 0 || leaf >= leafCount) {
      throw new SecretTreeException(SecretTreeException.Reason.LEAF_OUT_OF_RANGE,
          "leaf " + leaf + " outside a tree of " + leafCount + " leaves");
    }
  }

  /** The ratchet of {@code leaf} for {@code type}, seeded if needed, owned by this tree. */
  private Ratchet ratchet(int leaf, RatchetType type) throws SecretTreeException {
    checkLeaf(leaf);
    Ratchet[] rs = ratchets.get(leaf);
    if (rs == null) {
      rs = seed(leaf);
      ratchets.put(leaf, rs);
      modifications++;
    }
    return owned(leaf, rs, type);
  }

  /** {@code rs[type]}, first cloned into a new pair if this tree does not own it. */
  private Ratchet owned(int leaf, Ratchet[] rs, RatchetType type) {
    Ratchet r = rs[type.ordinal()];
    if (r.owner == token) {
      return r;
    }
    Ratchet mine = r.cloneFor(token);
    Ratchet[] pair = rs.clone();
    pair[type.ordinal()] = mine;
    ratchets.put(leaf, pair);
    return mine;
  }

  /** Derives down from the frontier to the leaf, deleting every secret it expands. */
  private Ratchet[] seed(int leaf) {
    int target = SecretTreeMath.leafNode(leaf);
    int x = frontierAbove(leaf);
    while (x != target) {
      NodeSecret secret = nodeSecrets.remove(x);
      int l = SecretTreeMath.left(x);
      int r = SecretTreeMath.right(x);
      nodeSecrets.put(l, new NodeSecret(expandChild(secret.value, ScheduleLabels.LEFT), token));
      nodeSecrets.put(r, new NodeSecret(expandChild(secret.value, ScheduleLabels.RIGHT), token));
      wipe(secret);
      x = target < x ? l : r;
    }
    NodeSecret leafSecret = nodeSecrets.remove(target);
    Ratchet[] rs = new Ratchet[RatchetType.values().length];
    for (RatchetType t : RatchetType.values()) {
      rs[t.ordinal()] = new Ratchet(token, ratchetSeed(leafSecret.value, t), 0);
    }
    wipe(leafSecret);
    return rs;
  }

  /** The first ratchet secret {@link #seed} would give {@code leaf}, computed without changes. */
  private byte[] previewSeed(int leaf, RatchetType type) {
    int target = SecretTreeMath.leafNode(leaf);
    int x = frontierAbove(leaf);
    byte[] secret = nodeSecrets.get(x).value.clone();
    while (x != target) {
      boolean left = target < x;
      byte[] child = expandChild(secret, left ? ScheduleLabels.LEFT : ScheduleLabels.RIGHT);
      Arrays.fill(secret, (byte) 0);
      secret = child;
      x = left ? SecretTreeMath.left(x) : SecretTreeMath.right(x);
    }
    byte[] out = ratchetSeed(secret, type);
    Arrays.fill(secret, (byte) 0);
    return out;
  }

  /** Deletes a frontier secret this tree owns alone (a shared one lives on in the other tree). */
  private void wipe(NodeSecret s) {
    if (s.owner == token) {
      Arrays.fill(s.value, (byte) 0);
    }
  }

  private int frontierAbove(int leaf) {
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
    return x;
  }

  private byte[] expandChild(byte[] secret, String side) {
    return suite.expandWithLabel(secret, ScheduleLabels.TREE,
        side.getBytes(java.nio.charset.StandardCharsets.UTF_8), suite.hashLength());
  }

  private byte[] ratchetSeed(byte[] leafSecret, RatchetType t) {
    return suite.expandWithLabel(leafSecret, t.label(), new byte[0], suite.hashLength());
  }

  /** The outcome of moving a ratchet to {@code generation}, computed but not yet applied. */
  private record Advance(byte[] secret, long next, List<RatchetKey> skipped, RatchetKey result) {
    Advance copy() {
      List<RatchetKey> keys = new ArrayList<>(skipped.size());
      for (RatchetKey k : skipped) {
        keys.add(new RatchetKey(k.generation(), k.key(), k.nonce()));
      }
      return new Advance(secret.clone(), next, keys, result);
    }
  }

  /**
   * Derives from {@code secret} (the ratchet secret of generation {@code next}) up to
   * {@code generation}; keeps the skipped keys inside the back window. Changes nothing.
   */
  private Advance stage(byte[] secret, long next, long generation) {
    long keepFrom = generation + 1 - maxBack;
    List<RatchetKey> skipped = new ArrayList<>();
    RatchetKey result = null;
    byte[] current = secret.clone();
    for (long j = next; j <= generation; j++) {
      RatchetKey k = new RatchetKey(j,
          suite.deriveTreeSecret(current, ScheduleLabels.KEY, j, suite.aeadKeyLength()),
          suite.deriveTreeSecret(current, ScheduleLabels.NONCE, j, suite.aeadNonceLength()));
      byte[] following = j + 1 < GENERATION_LIMIT
          ? suite.deriveTreeSecret(current, ScheduleLabels.SECRET, j, suite.hashLength())
          : new byte[0];
      Arrays.fill(current, (byte) 0);
      current = following;
      if (j == generation) {
        result = k;
      } else if (j >= keepFrom) {
        skipped.add(k);
      }
    }
    return new Advance(current, generation + 1, skipped, result);
  }

  /** Moves {@code r} as {@code a} says, then enforces the back window and the global bound. */
  private void apply(int leaf, RatchetType type, Ratchet r, Advance a) {
    Arrays.fill(r.secret, (byte) 0);
    r.secret = a.secret;
    r.next = a.next;
    for (RatchetKey k : a.skipped) {
      long seq = nextSequence++;
      r.skipped.put(k.generation(), new Skipped(k, seq));
      retainedCount++;
    }
    long keepFrom = r.next - maxBack;
    while (!r.skipped.isEmpty() && r.skipped.firstKey() < keepFrom) {
      Skipped s = r.skipped.pollFirstEntry().getValue();
      retainedCount--;
      s.key.wipe();
    }
    evictBeyondBound();
    modifications++;
  }

  /**
   * Drops the oldest retained keys (smallest sequence number) until at most {@link #maxRetained}
   * remain. A ratchet retains its keys in generation order with rising sequence numbers, so the
   * oldest key of the tree is the first key of one of the ratchets: a queue over the ratchets'
   * first keys finds it. Runs only when the bound is exceeded.
   */
  private void evictBeyondBound() {
    if (retainedCount <= maxRetained) {
      return;
    }
    // {first sequence, leaf, ratchet type} of every ratchet holding skipped keys.
    PriorityQueue<long[]> oldestFirst = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
    ratchets.forEach((leaf, pair) -> {
      for (Ratchet r : pair) {
        if (!r.skipped.isEmpty()) {
          oldestFirst.add(new long[] {r.skipped.firstEntry().getValue().sequence, leaf,
              r == pair[0] ? 0 : 1});
        }
      }
    });
    while (retainedCount > maxRetained) {
      long[] head = oldestFirst.poll();
      int leaf = (int) head[1];
      Ratchet r = owned(leaf, ratchets.get(leaf), RatchetType.values()[(int) head[2]]);
      Map.Entry<Long, Skipped> oldest = r.skipped.pollFirstEntry();
      oldest.getValue().key.wipe();
      retainedCount--;
      // Keys of one ratchet are retained in generation order, so evictions form a prefix.
      r.evictedBelow = Math.max(r.evictedBelow, oldest.getKey() + 1);
      if (!r.skipped.isEmpty()) {
        head[0] = r.skipped.firstEntry().getValue().sequence;
        oldestFirst.add(head);
      }
    }
  }

  /** A frontier secret and the tree that owns it alone (see {@link #token}). */
  private record NodeSecret(byte[] value, Object owner) {}

  /** A retained skipped key and its retention sequence number. */
  private record Skipped(RatchetKey key, long sequence) {}

  /**
   * One symmetric ratchet: the secret of generation {@code next}, plus unused skipped keys.
   * Changed in place only by the tree whose token is {@link #owner}.
   */
  private static final class Ratchet {
    private final Object owner;
    private byte[] secret;
    private long next;
    /** Generations below this that are not in {@link #skipped} were evicted or used. */
    private long evictedBelow;
    private final TreeMap<Long, Skipped> skipped = new TreeMap<>();

    Ratchet(Object owner, byte[] secret, long next) {
      this.owner = owner;
      this.secret = secret;
      this.next = next;
    }

    /** A deep copy owned by {@code newOwner} (its own arrays, so it may wipe them). */
    Ratchet cloneFor(Object newOwner) {
      Ratchet c = new Ratchet(newOwner, secret.clone(), next);
      c.evictedBelow = evictedBelow;
      skipped.forEach((g, s) -> c.skipped.put(g,
          new Skipped(new RatchetKey(g, s.key.key(), s.key.nonce()), s.sequence)));
      return c;
    }
  }

  // ---- persistence ----

  /**
   * The state as bytes, for group-state persistence:
   *
   * <pre>
   * struct { uint32 node; opaque secret&lt;V&gt;; } NodeSecret;
   * struct {
   *   uint32 generation; uint64 sequence; opaque key&lt;V&gt;; opaque nonce&lt;V&gt;;
   * } SkippedKey;                       // sequence: retention order, for eviction
   * struct {
   *   uint64 next; uint64 evicted_below; opaque secret&lt;V&gt;; SkippedKey skipped&lt;V&gt;;
   * } Ratchet;
   * struct { uint32 leaf; Ratchet handshake; Ratchet application; } LeafRatchets;
   * struct {
   *   uint16 cipher_suite; uint32 leaf_count; uint32 max_back; uint32 max_forward;
   *   uint32 max_retained; uint64 next_sequence;
   *   NodeSecret frontier&lt;V&gt;; LeafRatchets leaves&lt;V&gt;;
   * } SecretTreeState;
   * </pre>
   *
   * The bytes hold live secrets: store them encrypted.
   */
  public byte[] toBytes() {
    TlsWriter w = new TlsWriter(64 + nodeSecrets.size() * 40 + ratchets.size() * 100);
    w.u16(suite.id().code()).u32(leafCount).u32(maxBack).u32(maxForward).u32(maxRetained)
        .u64(nextSequence);
    w.vector(new TreeMap<>(nodeSecrets.toMap()).entrySet(),
        (ww, e) -> ww.u32(e.getKey()).opaque(e.getValue().value));
    w.vector(new TreeMap<>(ratchets.toMap()).entrySet(), (ww, e) -> {
      ww.u32(e.getKey());
      for (Ratchet r : e.getValue()) {
        ww.u64(r.next).u64(r.evictedBelow).opaque(r.secret);
        ww.vector(r.skipped.values(), (w3, s) -> w3.u32(s.key.generation()).u64(s.sequence)
            .opaque(s.key.key()).opaque(s.key.nonce()));
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
      long maxRetained = r.u32();
      long nextSequence = r.u64();
      if (leafCount > MAX_LEAVES || !SecretTreeMath.isPowerOfTwo((int) leafCount)
          || maxBack > Integer.MAX_VALUE || maxForward > Integer.MAX_VALUE
          || maxRetained > Integer.MAX_VALUE || nextSequence < 0) {
        throw new DecodeException("invalid secret tree parameters");
      }
      SecretTree t = new SecretTree(suite, (int) leafCount, (int) maxBack, (int) maxForward,
          (int) maxRetained);
      t.nextSequence = nextSequence;
      int nh = suite.hashLength();
      TlsReader frontier = r.slice();
      while (frontier.hasRemaining()) {
        long node = frontier.u32();
        byte[] secret = frontier.opaque();
        if (node >= 2 * leafCount - 1 || secret.length != nh
            || t.nodeSecrets.put((int) node, new NodeSecret(secret, t.token)) != null) {
          throw new DecodeException("invalid secret tree node entry " + node);
        }
      }
      Set<Long> sequences = new HashSet<>();
      TlsReader leaves = r.slice();
      while (leaves.hasRemaining()) {
        long leaf = leaves.u32();
        if (leaf >= leafCount || t.ratchets.containsKey((int) leaf)) {
          throw new DecodeException("invalid secret tree leaf entry " + leaf);
        }
        Ratchet[] rs = new Ratchet[RatchetType.values().length];
        for (RatchetType type : RatchetType.values()) {
          rs[type.ordinal()] = t.readRatchet(leaves, sequences);
        }
        t.ratchets.put((int) leaf, rs);
      }
      t.checkCover();
      t.retainedCount = sequences.size();
      if (t.retainedCount > t.maxRetained) {
        throw new DecodeException("more skipped keys than the bound of " + t.maxRetained);
      }
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
    for (int node : nodeSecrets.toMap().keySet()) {
      int k = SecretTreeMath.level(node);
      long start = ((long) node - ((1L << k) - 1)) / 2;
      if (ranges.put(start, 1L << k) != null) {
        throw new DecodeException("overlapping secret tree entries");
      }
    }
    for (int leaf : ratchets.toMap().keySet()) {
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

  private Ratchet readRatchet(TlsReader r, Set<Long> sequences) throws DecodeException {
    long next = r.u64();
    long evictedBelow = r.u64();
    byte[] secret = r.opaque();
    if (next < 0 || next > GENERATION_LIMIT || evictedBelow < 0 || evictedBelow > next
        || secret.length != (next == GENERATION_LIMIT ? 0 : suite.hashLength())) {
      throw new DecodeException("invalid ratchet state");
    }
    Ratchet ratchet = new Ratchet(token, secret, next);
    ratchet.evictedBelow = evictedBelow;
    TlsReader skipped = r.slice();
    long previous = -1;
    while (skipped.hasRemaining()) {
      long g = skipped.u32();
      long sequence = skipped.u64();
      byte[] key = skipped.opaque();
      byte[] nonce = skipped.opaque();
      if (g <= previous || g >= next || g < next - maxBack || g < evictedBelow
          || sequence < 0 || sequence >= nextSequence
          || key.length != suite.aeadKeyLength() || nonce.length != suite.aeadNonceLength()
          || !sequences.add(sequence)) {
        throw new DecodeException("invalid skipped key entry " + g);
      }
      ratchet.skipped.put(g, new Skipped(new RatchetKey(g, key, nonce), sequence));
      previous = g;
    }
    return ratchet;
  }
}
