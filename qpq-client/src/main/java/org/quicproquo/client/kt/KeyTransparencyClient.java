package org.quicproquo.client.kt;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.quicproquo.client.DeviceEntry;
import org.quicproquo.client.KtHistory;
import org.quicproquo.client.KtLatestEntry;
import org.quicproquo.client.NodeClient;
import org.quicproquo.client.ResolvedUser;
import org.quicproquo.client.messenger.MessengerException;
import org.quicproquo.client.store.LocalStore;
import org.quicproquo.kt.ConsistencyProof;
import org.quicproquo.kt.EntryKind;
import org.quicproquo.kt.InclusionProof;
import org.quicproquo.kt.KeyHistory;
import org.quicproquo.kt.KtException;
import org.quicproquo.kt.LogEntry;
import org.quicproquo.kt.LogPublicKey;
import org.quicproquo.kt.LogVerifier;
import org.quicproquo.kt.SignedTreeHead;
import org.quicproquo.kt.TreeHeadHistory;
import org.quicproquo.rpc.RpcException;

/**
 * The client side of key transparency: checks everything the server says about a user against
 * the server's append-only log.
 *
 * <ul>
 *   <li>The log key (serverInfo) is pinned on first use, in the local store; a different key
 *       later is {@link KtAlert.Kind#LOG_KEY_CHANGED}.
 *   <li>Every tree head must be signed by that key and extend the newest head this client has
 *       accepted (a consistency proof from it): otherwise {@code FORKED_LOG}, {@code ROLLBACK} or
 *       {@code BAD_TREE_HEAD}. Accepted heads are stored, so this holds across restarts.
 *   <li>{@link #checkResolved}: the identity key resolveUser returned must be the one in the name's
 *       latest log entry, proven by an inclusion proof ({@code INCLUSION_FAILED},
 *       {@code KEY_NOT_IN_LOG}).
 *   <li>{@link #audit}: the name's whole history, each entry proven, replayed under qpq-kt's
 *       rules KH-1..KH-7 ({@code BAD_HISTORY}).
 * </ul>
 *
 * Every failure is sent to the {@link KtAlertListener}, marks the user's pinned contact
 * unverified, and is thrown as a {@link KtVerificationException}. Thread-safe: calls are
 * serialised (they share the tree-head history) and block on the server.
 */
public final class KeyTransparencyClient {
  /** Local store meta key of the pinned log key. */
  static final String LOG_KEY = "kt.log_key";

  private final NodeClient node;
  private final LocalStore store;
  private final Duration timeout;
  private final Clock clock;
  private final KtAlertListener alerts;
  /** Guarded by {@code this}; null until first used. */
  private TreeHeadHistory history;

  /**
   * One verifier per account and server.
   *
   * @param timeout how long to wait for each call to the server
   */
  public KeyTransparencyClient(NodeClient node, LocalStore store, Duration timeout, Clock clock,
      KtAlertListener alerts) {
    this.node = Objects.requireNonNull(node, "node");
    this.store = Objects.requireNonNull(store, "store");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.alerts = Objects.requireNonNull(alerts, "alerts");
  }

  /**
   * An entry proven in a tree head this client accepted.
   *
   * @param entry the log entry
   * @param proof its inclusion proof
   * @param treeHead the accepted head the proof leads to
   */
  public record VerifiedEntry(LogEntry entry, InclusionProof proof, SignedTreeHead treeHead) {}

  /**
   * A user's audited history.
   *
   * @param entries the proven entries, in sequence order
   * @param state the account's state after the last entry
   * @param treeHead the accepted head every proof leads to
   */
  public record Audit(List<LogEntry> entries, KeyHistory.KeyState state, SignedTreeHead treeHead) {
    /** Copies the list. */
    public Audit {
      entries = List.copyOf(entries);
    }
  }

  /** The newest tree head this client accepted, if any. */
  public synchronized Optional<SignedTreeHead> latestTreeHead() {
    return history().latest();
  }

  /** Fetches the server's latest tree head and accepts it (checked against the newest seen). */
  public synchronized SignedTreeHead refreshTreeHead() {
    SignedTreeHead head = decode(null, "tree head",
        () -> SignedTreeHead.decode(await(node.ktTreeHead(), "fetch the log's tree head")));
    accept(head);
    return head;
  }

  /**
   * The latest identity entry of {@code name} (REGISTER, KEY_CHANGED or DELETED), proven in an
   * accepted tree head; empty if the log has no entry for the name.
   */
  public synchronized Optional<VerifiedEntry> latest(String name) {
    KtLatestEntry raw = awaitOrUnknown(node.ktInclusionProof(name),
        "fetch the log entry of " + name);
    if (raw == null) {
      return Optional.empty();
    }
    LogEntry entry = decode(name, "log entry", () -> LogEntry.decode(raw.entry()));
    InclusionProof proof = decode(name, "inclusion proof", () -> InclusionProof.decode(raw.proof()));
    SignedTreeHead head = decode(name, "tree head", () -> SignedTreeHead.decode(raw.treeHead()));
    accept(head);
    if (!entry.name().equals(name) || entry.kind() == EntryKind.DEVICE_ADDED
        || entry.kind() == EntryKind.DEVICE_REVOKED) {
      throw fail(KtAlert.Kind.INCLUSION_FAILED, name, "the server answered with entry "
          + entry.sequence() + " (" + entry.kind() + ") instead of the name's identity entry", null);
    }
    try {
      LogVerifier.verifyInclusion(entry, proof, head);
    } catch (KtException e) {
      throw fail(KtAlert.Kind.INCLUSION_FAILED, name, "entry " + entry.sequence()
          + " is not in the log the server signed (" + e.getMessage() + ")", e);
    }
    return Optional.of(new VerifiedEntry(entry, proof, head));
  }

  /**
   * Checks that {@code identityKey}, which the server resolved for {@code name}, is the key of the
   * name's latest log entry.
   *
   * @throws KtVerificationException if it is not, or any proof fails
   */
  public synchronized VerifiedEntry checkResolved(String name, byte[] identityKey) {
    VerifiedEntry v = latest(name).orElseThrow(() -> fail(KtAlert.Kind.KEY_NOT_IN_LOG, name,
        "the server resolves " + name + " but its log has no entry for the name", null));
    if (v.entry().kind() == EntryKind.DELETED) {
      throw fail(KtAlert.Kind.KEY_NOT_IN_LOG, name, "the server resolves " + name
          + " but its log says the account was deleted (entry " + v.entry().sequence() + ")", null);
    }
    if (!Arrays.equals(v.entry().key(), identityKey)) {
      throw fail(KtAlert.Kind.KEY_NOT_IN_LOG, name, "the server resolves " + name
          + " to an identity key that is not the one in the log (entry " + v.entry().sequence()
          + ")", null);
    }
    return v;
  }

  /**
   * Fetches and verifies the whole history of {@code name}: every entry proven in one accepted
   * tree head, the rules KH-1..KH-7, and agreement with the identity key pinned for the name.
   *
   * @throws MessengerException if the log has no entry for the name
   * @throws KtVerificationException if a check fails
   */
  public synchronized Audit audit(String name) {
    KtHistory raw = awaitOrUnknown(node.ktKeyHistory(name), "fetch the key history of " + name);
    if (raw == null) {
      throw new MessengerException("The key-transparency log has no entry for " + name + ".");
    }
    List<byte[]> rawEntries = raw.entries();
    List<byte[]> rawProofs = raw.proofs();
    if (rawEntries.size() != rawProofs.size() || rawEntries.isEmpty()) {
      throw fail(KtAlert.Kind.MALFORMED, name, "the server sent " + rawEntries.size()
          + " entries with " + rawProofs.size() + " proofs", null);
    }
    SignedTreeHead head = decode(name, "tree head", () -> SignedTreeHead.decode(raw.treeHead()));
    accept(head);
    List<KeyHistory.ProvenEntry> proven = new ArrayList<>();
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < rawEntries.size(); i++) {
      byte[] e = rawEntries.get(i);
      byte[] p = rawProofs.get(i);
      LogEntry entry = decode(name, "log entry", () -> LogEntry.decode(e));
      proven.add(new KeyHistory.ProvenEntry(entry,
          decode(name, "inclusion proof", () -> InclusionProof.decode(p))));
      entries.add(entry);
    }
    KeyHistory.KeyState state;
    try {
      state = KeyHistory.audit(name, proven, head, KeyHistory.ReRegistration.ALLOWED);
    } catch (KtException e) {
      throw fail(e.reason() == KtException.Reason.INCLUSION_FAILED
          ? KtAlert.Kind.INCLUSION_FAILED : KtAlert.Kind.BAD_HISTORY, name, e.getMessage(), e);
    }
    Optional<byte[]> pinned = store.contactIdentityKey(name);
    if (pinned.isPresent() && !state.deleted()
        && !Arrays.equals(pinned.get(), state.identityKey())) {
      throw fail(KtAlert.Kind.UNEXPECTED_KEY_CHANGE, name, "the log's current identity key for "
          + name + " is not the one pinned on first contact", null);
    }
    if (!state.deleted()) {
      checkDevicesLogged(name, state);
    }
    return new Audit(entries, state, head);
  }

  /**
   * The devices the server resolves for {@code name} must be exactly the log's active ones (added
   * and not revoked), with the same keys: a device the log never saw, or a revoked one still
   * served, means the server changed the device set behind the log.
   */
  private void checkDevicesLogged(String name, KeyHistory.KeyState state) {
    ResolvedUser resolved = awaitOrUnknown(node.resolveUser(name), "look up " + name);
    if (resolved == null) {
      throw fail(KtAlert.Kind.KEY_NOT_IN_LOG, name, "the log says " + name
          + " exists, but the server does not resolve the name", null);
    }
    Map<Long, byte[]> logged = state.devices();
    for (DeviceEntry d : resolved.devices()) {
      byte[] key = logged.get(d.deviceId());
      if (key == null || !Arrays.equals(key, d.signatureKey())) {
        throw fail(KtAlert.Kind.DEVICE_NOT_IN_LOG, name, "the server gives " + name + " device "
            + Long.toUnsignedString(d.deviceId()) + (key == null
                ? ", which the log does not show as an active device"
                : " with a key that is not the one in the log"), null);
      }
    }
    if (resolved.devices().size() != logged.size()) {
      throw fail(KtAlert.Kind.DEVICE_NOT_IN_LOG, name, "the log shows " + logged.size()
          + " active devices of " + name + ", the server resolves " + resolved.devices().size(),
          null);
    }
  }

  /**
   * Reports an alert found by a caller (the monitor) without throwing: the listener hears it and
   * the user's contact is marked unverified.
   */
  public void report(KtAlert alert) {
    if (alert.user() != null && store.contactIdentityKey(alert.user()).isPresent()) {
      store.setVerified(alert.user(), false);
    }
    alerts.onAlert(alert);
  }

  // ---- tree heads

  private TreeHeadHistory history() {
    if (history == null) {
      LogPublicKey key = logKey();
      Optional<byte[]> stored = store.latestTreeHead();
      if (stored.isEmpty()) {
        history = new TreeHeadHistory(key);
      } else {
        SignedTreeHead head = decode(null, "stored tree head",
            () -> SignedTreeHead.decode(stored.get()));
        try {
          history = new TreeHeadHistory(key, head);
        } catch (KtException e) {
          throw fail(KtAlert.Kind.BAD_TREE_HEAD, null,
              "the stored tree head does not verify under the pinned log key", e);
        }
      }
    }
    return history;
  }

  /** The log key: pinned on first use, and the server's must match it ever after. */
  private LogPublicKey logKey() {
    byte[] served = await(node.serverInfo(), "ask the server for its log key").ktPublicKey();
    Optional<byte[]> pinned = store.meta(LOG_KEY);
    if (pinned.isPresent() && !Arrays.equals(pinned.get(), served)) {
      throw fail(KtAlert.Kind.LOG_KEY_CHANGED, null, "the server now signs its key-transparency "
          + "log with a key other than the one pinned on first contact", null);
    }
    LogPublicKey key = decode(null, "log key", () -> LogPublicKey.decode(served));
    if (pinned.isEmpty()) {
      store.putMeta(LOG_KEY, served);
    }
    return key;
  }

  private void accept(SignedTreeHead head) {
    TreeHeadHistory h = history();
    long from = h.consistencyFrom();
    ConsistencyProof proof = null;
    if (h.latest().isPresent() && head.treeSize() > from) {
      byte[] raw = await(node.ktConsistencyProof(from, head.treeSize()),
          "fetch a consistency proof of the log");
      proof = decode(null, "consistency proof", () -> ConsistencyProof.decode(raw));
    }
    try {
      h.accept(head, proof);
    } catch (KtException e) {
      KtAlert.Kind kind = switch (e.reason()) {
        case BAD_SIGNATURE -> KtAlert.Kind.BAD_TREE_HEAD;
        case ROLLBACK -> KtAlert.Kind.ROLLBACK;
        default -> KtAlert.Kind.FORKED_LOG;
      };
      throw fail(kind, null, "tree head of size " + head.treeSize()
          + " is not an extension of the log this client saw before (" + e.getMessage() + ")", e);
    }
    store.addTreeHead(head.treeSize(), head.encode(), clock.millis());
  }

  // ---- helpers

  private interface Decoder<T> {
    T decode() throws KtException;
  }

  private <T> T decode(String user, String what, Decoder<T> d) {
    try {
      return d.decode();
    } catch (KtException e) {
      throw fail(KtAlert.Kind.MALFORMED, user, "the server sent a malformed " + what + " ("
          + e.getMessage() + ")", e);
    }
  }

  private KtVerificationException fail(KtAlert.Kind kind, String user, String detail,
      Throwable cause) {
    KtAlert alert = new KtAlert(kind, user, detail);
    report(alert);
    return new KtVerificationException(alert, cause);
  }

  private <T> T awaitOrUnknown(CompletableFuture<T> call, String what) {
    try {
      return await(call, what);
    } catch (MessengerException e) {
      if (e.getCause() instanceof RpcException r && "UNKNOWN_USER".equals(r.code())) {
        return null;
      }
      throw e;
    }
  }

  private <T> T await(CompletableFuture<T> call, String what) {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessengerException("Interrupted while trying to " + what + ".", e);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new MessengerException("The server did not answer in time while trying to " + what
          + ".", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String detail = cause instanceof RpcException r ? r.code() + ": " + r.detail()
          : String.valueOf(cause);
      throw new MessengerException("Could not " + what + " (" + detail + ").", cause);
    }
  }
}
