package org.quicproquo.client.kt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.quicproquo.kt.ConsistencyProof;
import org.quicproquo.kt.EntryKind;
import org.quicproquo.kt.KeyHistory;
import org.quicproquo.kt.KtException;
import org.quicproquo.kt.LogEntry;
import org.quicproquo.kt.LogPublicKey;
import org.quicproquo.kt.LogSigningKey;
import org.quicproquo.kt.MerkleLog;
import org.quicproquo.kt.SignedTreeHead;
import org.quicproquo.server.kt.KeyTransparency;
import org.quicproquo.server.store.KeyLogRecord;
import org.quicproquo.server.store.KeyLogStore;

/**
 * A server operator turned hostile: serves the real log until told otherwise, then a forked
 * history (same size, one entry rewritten, validly signed with the server's own key), a rolled
 * back tree, a rewritten entry with the real proof, or the real tree signed with a new key.
 * Appends still go to the real log.
 */
final class HostileLog implements KeyTransparency {
  enum Mode { HONEST, FORK, ROLLBACK, REWRITE, NEW_KEY }

  private final KeyTransparency real;
  private volatile Mode mode = Mode.HONEST;
  private volatile KeyLogStore leaves;
  private volatile LogSigningKey key;
  private volatile String victim;
  private volatile byte[] forgedKey;
  /** The key a NEW_KEY server signs with (and publishes) instead of the one clients pinned. */
  private final LogSigningKey otherKey = LogSigningKey.generate(new java.security.SecureRandom());

  HostileLog(KeyTransparency real) {
    this.real = real;
  }

  /** Gives the operator what a real operator has: the leaves and the signing key file. */
  void arm(KeyLogStore leaves, Path dataDir) throws Exception {
    this.leaves = leaves;
    this.key = LogSigningKey.fromSeed(Files.readAllBytes(dataDir.resolve("kt/log-signing-key")));
  }

  /** From now on, serve {@code mode}, rewriting {@code victim}'s identity to {@code forgedKey}. */
  void turn(Mode mode, String victim, byte[] forgedKey) {
    this.victim = victim;
    this.forgedKey = forgedKey == null ? null : forgedKey.clone();
    this.mode = mode;
  }

  private LogEntry rewrite(LogEntry e) {
    if (e.name().equals(victim) && (e.kind() == EntryKind.REGISTER
        || e.kind() == EntryKind.KEY_CHANGED)) {
      return new LogEntry(e.sequence(), e.timestampMs(), e.kind(), e.name(), 0, forgedKey);
    }
    return e;
  }

  /** The tree the hostile operator shows: the real leaves up to a size, rewritten. */
  private record Fork(MerkleLog tree, List<LogEntry> entries, SignedTreeHead head) {}

  private Fork fork() {
    long realSize = real.treeHead().treeSize();
    long size = mode == Mode.ROLLBACK ? Math.max(0, realSize - 2) : realSize;
    UnaryOperator<LogEntry> change = mode == Mode.FORK ? this::rewrite : e -> e;
    MerkleLog tree = new MerkleLog();
    List<LogEntry> entries = new ArrayList<>();
    for (KeyLogRecord r : leaves.range(0, (int) size)) {
      try {
        LogEntry e = change.apply(LogEntry.decode(r.entry()));
        entries.add(e);
        tree.append(e);
      } catch (KtException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return new Fork(tree, entries,
        key.sign(tree.size(), tree.rootHash(), Clock.systemUTC().millis()));
  }

  @Override
  public LogPublicKey publicKey() {
    return mode == Mode.NEW_KEY ? otherKey.publicKey() : real.publicKey();
  }

  @Override
  public SignedTreeHead treeHead() {
    if (mode == Mode.NEW_KEY) {
      SignedTreeHead h = real.treeHead();
      return otherKey.sign(h.treeSize(), h.rootHash(), h.timestampMs());
    }
    return mode == Mode.FORK || mode == Mode.ROLLBACK ? fork().head() : real.treeHead();
  }

  @Override
  public ConsistencyProof consistency(long oldSize, long newSize) {
    if (mode == Mode.FORK || mode == Mode.ROLLBACK) {
      Fork f = fork();
      return f.tree().consistencyProof(Math.min(oldSize, f.tree().size()),
          Math.min(newSize, f.tree().size()));
    }
    return real.consistency(oldSize, newSize);
  }

  @Override
  public Optional<ProvenLatest> latestIdentity(String name) {
    switch (mode) {
      case FORK, ROLLBACK -> {
        Fork f = fork();
        for (int i = f.entries().size() - 1; i >= 0; i--) {
          LogEntry e = f.entries().get(i);
          if (e.name().equals(name) && e.kind() != EntryKind.DEVICE_ADDED
              && e.kind() != EntryKind.DEVICE_REVOKED) {
            return Optional.of(new ProvenLatest(e,
                f.tree().inclusionProof(e.sequence(), f.tree().size()), f.head()));
          }
        }
        return Optional.empty();
      }
      case REWRITE -> {
        return real.latestIdentity(name).map(
            l -> new ProvenLatest(rewrite(l.entry()), l.proof(), l.treeHead()));
      }
      default -> {
        return real.latestIdentity(name);
      }
    }
  }

  @Override
  public Optional<ProvenHistory> history(String name) {
    if (mode == Mode.REWRITE) {
      return real.history(name).map(h -> new ProvenHistory(h.entries().stream()
          .map(p -> new KeyHistory.ProvenEntry(rewrite(p.entry()), p.proof())).toList(),
          h.treeHead()));
    }
    return real.history(name);
  }
}
