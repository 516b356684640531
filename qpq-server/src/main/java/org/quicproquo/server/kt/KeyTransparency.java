package org.quicproquo.server.kt;

import java.util.List;
import java.util.Optional;
import org.quicproquo.kt.ConsistencyProof;
import org.quicproquo.kt.KeyHistory;
import org.quicproquo.kt.LogEntry;
import org.quicproquo.kt.InclusionProof;
import org.quicproquo.kt.LogPublicKey;
import org.quicproquo.kt.SignedTreeHead;

/**
 * What the server serves from its key-transparency log (RPCs {@code kt*} @25..@28). The real
 * implementation is {@link KeyTransparencyLog}; the interface exists so that tests can run a real
 * server in front of a hostile log (one that forks or rewrites history) and check that clients
 * notice. Implementations are thread-safe.
 */
public interface KeyTransparency {
  /** Most entries {@link #history} returns (the newest ones). */
  int MAX_HISTORY = 1000;

  /** The key that signs tree heads, published in serverInfo. */
  LogPublicKey publicKey();

  /** The latest signed tree head. */
  SignedTreeHead treeHead();

  /**
   * The consistency proof between two sizes.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize <= size}
   */
  ConsistencyProof consistency(long oldSize, long newSize);

  /**
   * The latest identity entry (REGISTER, KEY_CHANGED or DELETED) of {@code name}, proven in the
   * latest tree head; empty if the name never was in the log.
   */
  Optional<ProvenLatest> latestIdentity(String name);

  /** Every entry of {@code name} (at most {@link #MAX_HISTORY}), proven in one tree head. */
  Optional<ProvenHistory> history(String name);

  /**
   * An entry with its inclusion proof in {@code treeHead}.
   *
   * @param entry the log entry
   * @param proof its inclusion proof
   * @param treeHead the signed tree head the proof leads to
   */
  record ProvenLatest(LogEntry entry, InclusionProof proof, SignedTreeHead treeHead) {}

  /**
   * A user's entries, each with its inclusion proof in {@code treeHead}.
   *
   * @param entries the entries in sequence order
   * @param treeHead the signed tree head every proof leads to
   */
  record ProvenHistory(List<KeyHistory.ProvenEntry> entries, SignedTreeHead treeHead) {
    /** Copies the list. */
    public ProvenHistory {
      entries = List.copyOf(entries);
    }
  }
}
