package org.quicproquo.server.kt;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.kt.ConsistencyProof;
import org.quicproquo.kt.EntryKind;
import org.quicproquo.kt.KeyHistory;
import org.quicproquo.kt.KtException;
import org.quicproquo.kt.LogEntry;
import org.quicproquo.kt.LogPublicKey;
import org.quicproquo.kt.LogSigningKey;
import org.quicproquo.kt.MerkleLog;
import org.quicproquo.kt.SignedTreeHead;
import org.quicproquo.server.store.Device;
import org.quicproquo.server.store.KeyLogRecord;
import org.quicproquo.server.store.KeyLogStore;
import org.quicproquo.server.store.Store;
import org.quicproquo.server.store.User;
import org.quicproquo.server.store.UserName;

/**
 * The server's key-transparency log: every registration, device change, key change and account
 * deletion is appended here in the same database transaction as the change itself, so nothing
 * takes effect without its entry, and an entry never exists for a change that was rolled back.
 *
 * <p>How to append: call the {@code append*} methods inside {@link Store#atomically}, next to the
 * store call they record, for example
 *
 * <pre>
 *   store.atomically(() -&gt; {
 *     Device d = store.accounts().addDevice(user, device);
 *     kt.appendDeviceAdded(user.value(), d.id().value(), device.signatureKey());
 *     return d;
 *   });
 * </pre>
 *
 * <p>The leaves live in the database ({@link KeyLogStore}, table {@code kt_entries}), which is the
 * source of truth; the Merkle tree above them is kept in memory and caught up from the table
 * whenever a tree head or proof is asked for ({@link #sync}), so an append costs one row and no
 * hashing on the writer thread. Tree heads are signed with the server's {@link LogSigningKey}
 * (kept in the data directory). Thread-safe: reads and the catch-up hold this object's lock.
 */
public final class KeyTransparencyLog implements KeyTransparency {
  private static final int SYNC_BATCH = 10_000;
  /** The kinds that say what a name's identity key is (or that it has none). */
  private static final java.util.Set<Integer> IDENTITY_KINDS = java.util.Set.of(
      EntryKind.REGISTER.code(), EntryKind.KEY_CHANGED.code(), EntryKind.DELETED.code());

  private final KeyLogStore store;
  private final LogSigningKey key;
  private final Clock clock;
  /** Guarded by {@code this}. */
  private final MerkleLog tree = new MerkleLog();
  /** The last signed head, reused while the size is unchanged; guarded by {@code this}. */
  private SignedTreeHead head;

  /** Opens the log over the stored leaves (rebuilding the tree from them). */
  public KeyTransparencyLog(KeyLogStore store, LogSigningKey key, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
    sync();
  }

  // ---- appends (inside the caller's transaction)

  /**
   * Records a new account: REGISTER of the identity key, then DEVICE_ADDED of its first device.
   * A repeated registration (register is idempotent for the same keys) appends nothing: the log
   * already binds the live name to this key.
   *
   * @throws IllegalStateException if the log binds the live name to another key (the account
   *     store and the log disagree; the transaction is rolled back)
   */
  public void appendRegistration(String name, byte[] identityKey, long deviceId,
      byte[] deviceKey) {
    Optional<KeyLogRecord> last = store.latestOfKinds(name, Long.MAX_VALUE, IDENTITY_KINDS);
    if (last.isPresent() && last.get().kind() != EntryKind.DELETED.code()) {
      if (java.util.Arrays.equals(decode(last.get()).key(), identityKey)) {
        return;
      }
      throw new IllegalStateException("the key log binds the live name to another key");
    }
    append(name, EntryKind.REGISTER,
        seq -> LogEntry.register(seq, clock.millis(), name, identityKey));
    appendDeviceAdded(name, deviceId, deviceKey);
  }

  /** Records a device added to the account. */
  public void appendDeviceAdded(String name, long deviceId, byte[] deviceKey) {
    append(name, EntryKind.DEVICE_ADDED,
        seq -> LogEntry.deviceAdded(seq, clock.millis(), name, deviceId, deviceKey));
  }

  /** Records a device revoked (with the key it was added with). */
  public void appendDeviceRevoked(String name, long deviceId, byte[] deviceKey) {
    append(name, EntryKind.DEVICE_REVOKED,
        seq -> LogEntry.deviceRevoked(seq, clock.millis(), name, deviceId, deviceKey));
  }

  /** Records that the account's identity key was replaced. */
  public void appendKeyChange(String name, byte[] newIdentityKey) {
    append(name, EntryKind.KEY_CHANGED,
        seq -> LogEntry.keyChanged(seq, clock.millis(), name, newIdentityKey));
  }

  /** Records the account's deletion (a tombstone; earlier entries stay). */
  public void appendTombstone(String name) {
    append(name, EntryKind.DELETED, seq -> LogEntry.deleted(seq, clock.millis(), name));
  }

  private void append(String name, EntryKind kind,
      java.util.function.LongFunction<LogEntry> entryAt) {
    store.append(name, kind.code(), seq -> entryAt.apply(seq).encode());
  }

  /**
   * Logs the accounts that were created before the log existed (a server upgraded to key
   * transparency): REGISTER with the current identity key and DEVICE_ADDED for each active device,
   * one transaction per account. Idempotent: an account with any entry is skipped.
   *
   * @return how many accounts were logged
   */
  public int backfill(Store accounts) {
    int logged = 0;
    for (UserName name : store.usersWithoutEntries()) {
      boolean done = accounts.atomically(() -> {
        Optional<User> user = accounts.accounts().findUser(name);
        if (user.isEmpty() || store.latestOfKinds(name.value(), Long.MAX_VALUE,
            IDENTITY_KINDS).isPresent()) {
          return false;
        }
        append(name.value(), EntryKind.REGISTER,
            seq -> LogEntry.register(seq, clock.millis(), name.value(), user.get().identityKey()));
        for (Device d : accounts.accounts().activeDevices(name)) {
          appendDeviceAdded(name.value(), d.id().value(), d.signatureKey());
        }
        return true;
      });
      logged += done ? 1 : 0;
    }
    return logged;
  }

  // ---- what clients are served

  @Override
  public LogPublicKey publicKey() {
    return key.publicKey();
  }

  @Override
  public synchronized SignedTreeHead treeHead() {
    sync();
    return currentHead();
  }

  @Override
  public synchronized ConsistencyProof consistency(long oldSize, long newSize) {
    sync();
    if (oldSize < 0 || oldSize > newSize || newSize > tree.size()) {
      throw new IllegalArgumentException("sizes " + oldSize + " -> " + newSize
          + " outside 0.." + tree.size());
    }
    return tree.consistencyProof(oldSize, newSize);
  }

  @Override
  public synchronized Optional<ProvenLatest> latestIdentity(String name) {
    sync();
    SignedTreeHead sth = currentHead();
    return store.latestOfKinds(name, sth.treeSize(), IDENTITY_KINDS)
        .map(r -> new ProvenLatest(decode(r), tree.inclusionProof(r.sequence(), sth.treeSize()),
            sth));
  }

  @Override
  public synchronized Optional<ProvenHistory> history(String name) {
    sync();
    SignedTreeHead sth = currentHead();
    List<KeyLogRecord> records = store.byName(name, sth.treeSize(), MAX_HISTORY);
    if (records.isEmpty()) {
      return Optional.empty();
    }
    List<KeyHistory.ProvenEntry> out = new ArrayList<>(records.size());
    for (KeyLogRecord r : records) {
      out.add(new KeyHistory.ProvenEntry(decode(r),
          tree.inclusionProof(r.sequence(), sth.treeSize())));
    }
    return Optional.of(new ProvenHistory(out, sth));
  }

  /** Number of leaves the in-memory tree holds (after a {@link #sync}). */
  public synchronized long size() {
    return tree.size();
  }

  /** Catches the in-memory tree up with the committed leaves. */
  public synchronized void sync() {
    while (true) {
      List<KeyLogRecord> batch = store.range(tree.size(), SYNC_BATCH);
      for (KeyLogRecord r : batch) {
        if (r.sequence() != tree.size()) {
          throw new IllegalStateException("key log has a gap at " + tree.size());
        }
        tree.append(r.entry());
      }
      if (batch.size() < SYNC_BATCH) {
        return;
      }
    }
  }

  private SignedTreeHead currentHead() {
    if (head == null || head.treeSize() != tree.size()) {
      head = key.sign(tree.size(), tree.rootHash(), clock.millis());
    }
    return head;
  }

  private static LogEntry decode(KeyLogRecord r) {
    try {
      return LogEntry.decode(r.entry());
    } catch (KtException e) {
      throw new IllegalStateException("stored key log entry " + r.sequence() + " is corrupt", e);
    }
  }
}
