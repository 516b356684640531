package org.quicproquo.client.kt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.quicproquo.client.store.LocalStore;
import org.quicproquo.kt.EntryKind;

/**
 * Watches the key-transparency log in the background: every round it accepts the server's newest
 * tree head (consistent with every head seen before) and checks the latest log entry of this
 * account and of every pinned contact. One's own identity key replaced or deleted, or a contact's
 * key in the log differing from the key pinned on first contact (a TOFU violation), is an
 * {@link KtAlert.Kind#UNEXPECTED_KEY_CHANGE} alert and the contact is marked unverified; failed
 * proofs alert through {@link KeyTransparencyClient}. It also audits this account's own history:
 * a device that becomes active on the account after the first round is a
 * {@link KtAlert.Kind#NEW_OWN_DEVICE} alert (unless this device linked it itself), since a device added by anyone else (a stolen
 * identity key, or an operator who logs what it adds) can read every conversation from then on.
 * Each finding is reported once per log entry or device. Thread-safe; {@link #close} stops it.
 */
public final class KtMonitor implements AutoCloseable {
  private final KeyTransparencyClient kt;
  private final LocalStore store;
  private final String self;
  private final byte[] selfKey;
  private final ScheduledExecutorService timer;
  private final Set<String> reported = new HashSet<>();
  /** This account's active devices in the log at the last round; null before the first. */
  private Set<Long> ownDevices;
  private final Predicate<byte[]> linkedHere;
  private final AtomicInteger rounds = new AtomicInteger();

  /**
   * Starts watching; the first round runs at once.
   *
   * @param self this account's name
   * @param selfKey this account's identity public key (32 bytes)
   * @param every time between rounds
   * @param linkedHere whether a device signature key is one this device linked itself (no alert)
   */
  public KtMonitor(KeyTransparencyClient kt, LocalStore store, String self, byte[] selfKey,
      Duration every, Predicate<byte[]> linkedHere) {
    this.linkedHere = Objects.requireNonNull(linkedHere, "linkedHere");
    this.kt = Objects.requireNonNull(kt, "kt");
    this.store = Objects.requireNonNull(store, "store");
    this.self = Objects.requireNonNull(self, "self");
    this.selfKey = selfKey.clone();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "qpq-kt-monitor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::roundQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Rounds completed so far. */
  public int rounds() {
    return rounds.get();
  }

  /**
   * Runs one round now, on the caller's thread.
   *
   * @return the alerts this round raised for the first time
   */
  public synchronized List<KtAlert> checkNow() {
    List<KtAlert> found = new ArrayList<>();
    try {
      kt.refreshTreeHead();
    } catch (KtVerificationException e) {
      found.add(e.alert()); // reported by the client already
    }
    check(self, Optional.of(selfKey), true, found);
    checkOwnDevices(found);
    for (Map.Entry<String, Boolean> c : store.contacts()) {
      if (!c.getKey().equals(self)) {
        check(c.getKey(), store.contactIdentityKey(c.getKey()), false, found);
      }
    }
    rounds.incrementAndGet();
    return found;
  }

  private void check(String name, Optional<byte[]> expected, boolean own, List<KtAlert> found) {
    KeyTransparencyClient.VerifiedEntry v;
    try {
      Optional<KeyTransparencyClient.VerifiedEntry> latest = kt.latest(name);
      if (latest.isEmpty()) {
        if (own) {
          raise(new KtAlert(KtAlert.Kind.UNEXPECTED_KEY_CHANGE, name,
              "the log has no entry for your own account"), "none", found);
        }
        return;
      }
      v = latest.get();
    } catch (KtVerificationException e) {
      found.add(e.alert());
      return;
    }
    long seq = v.entry().sequence();
    if (v.entry().kind() == EntryKind.DELETED) {
      if (own) {
        raise(new KtAlert(KtAlert.Kind.UNEXPECTED_KEY_CHANGE, name,
            "the log says your own account was deleted (entry " + seq + ")"), "" + seq, found);
      }
      return;
    }
    if (expected.isPresent() && !Arrays.equals(expected.get(), v.entry().key())) {
      raise(new KtAlert(KtAlert.Kind.UNEXPECTED_KEY_CHANGE, name, own
          ? "the log binds your own account to an identity key that is not yours (entry " + seq
              + ")"
          : "TOFU VIOLATION: the log binds " + name + " to an identity key other than the one "
              + "pinned on first contact (entry " + seq + "); " + name + " is now unverified"),
          "" + seq, found);
    }
  }

  /** Alerts for each device that became active on this account since the last round. */
  private void checkOwnDevices(List<KtAlert> found) {
    KeyTransparencyClient.Audit audit;
    try {
      audit = kt.audit(self);
    } catch (KtVerificationException e) {
      found.add(e.alert()); // reported by the client already
      return;
    }
    if (audit.state().deleted()) {
      return; // check() has raised that
    }
    Map<Long, byte[]> devices = audit.state().devices();
    Set<Long> now = new HashSet<>(devices.keySet());
    if (ownDevices != null) {
      for (long device : now) {
        if (!ownDevices.contains(device) && !linkedHere.test(devices.get(device))) {
          String id = Long.toUnsignedString(device);
          raise(new KtAlert(KtAlert.Kind.NEW_OWN_DEVICE, self, "a new device " + id
              + " was added to your account. If you did not link it, revoke it now (/device revoke "
              + id + ") and treat your identity key as exposed"), "device " + id, found);
        }
      }
    }
    ownDevices = now;
  }

  private void raise(KtAlert alert, String at, List<KtAlert> found) {
    if (reported.add(alert.kind() + " " + alert.user() + " " + at)) {
      kt.report(alert);
      found.add(alert);
    }
  }

  private void roundQuietly() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      // The server is unreachable or the store closed; the next round tries again.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
