package org.quicproquo.kt;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Audits one account's entries: each must be included in the given tree head, and together they
 * must form a valid history. The rules, by id (used in the exception messages and tests):
 *
 * <ul>
 *   <li>KH-1 every entry is for the audited name and is included at its sequence number in the
 *       tree head ({@code INCLUSION_FAILED} otherwise).
 *   <li>KH-2 sequence numbers strictly increase; timestamps never decrease.
 *   <li>KH-3 the first entry is REGISTER.
 *   <li>KH-4 REGISTER only when the name is not live: first, or after DELETED if the policy is
 *       {@link ReRegistration#ALLOWED} (a re-registration starts a new account: no devices).
 *   <li>KH-5 KEY_CHANGED, DEVICE_ADDED, DEVICE_REVOKED and DELETED only while live; nothing but
 *       REGISTER (when allowed) after DELETED.
 *   <li>KH-6 DEVICE_ADDED only for a device id not present; DEVICE_REVOKED only for a present
 *       id, naming the key it was added with.
 *   <li>KH-7 the identity key changes only by KEY_CHANGED, to a key other than the current one.
 * </ul>
 *
 * All other failures are {@code BAD_HISTORY}. What this cannot show is completeness: that the
 * server handed over every entry for the name. That needs a verifiable index (a map commitment or
 * a full-log audit) and is outside this module's first part. Thread-safe (stateless).
 */
public final class KeyHistory {
  /** Whether a deleted name may be registered again. */
  public enum ReRegistration {
    /** A REGISTER after DELETED starts a new account under the same name. */
    ALLOWED,
    /** DELETED is final for the name. */
    FORBIDDEN
  }

  /**
   * One entry and its inclusion proof.
   *
   * @param entry the log entry
   * @param proof its inclusion proof in the audited tree head
   */
  public record ProvenEntry(LogEntry entry, InclusionProof proof) {
    /** Both required. */
    public ProvenEntry {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(proof, "proof");
    }
  }

  /**
   * The account's state after its last entry.
   *
   * @param name the account name
   * @param deleted whether the last account under the name was deleted
   * @param identityKey the current identity key (the last one before deletion, if deleted)
   * @param devices device id to device key, ascending ids (empty if deleted)
   * @param lastSequence sequence number of the last entry
   */
  public record KeyState(String name, boolean deleted, byte[] identityKey,
      Map<Long, byte[]> devices, long lastSequence) {
    /** Copies the key and the map. */
    public KeyState {
      identityKey = identityKey.clone();
      TreeMap<Long, byte[]> copy = new TreeMap<>();
      devices.forEach((id, key) -> copy.put(id, key.clone()));
      devices = Collections.unmodifiableMap(copy);
    }

    /** A copy of the identity key. */
    @Override
    public byte[] identityKey() {
      return identityKey.clone();
    }

    /** A copy of the device map (ascending ids). */
    @Override
    public Map<Long, byte[]> devices() {
      TreeMap<Long, byte[]> copy = new TreeMap<>();
      devices.forEach((id, key) -> copy.put(id, key.clone()));
      return copy;
    }
  }

  private KeyHistory() {}

  /**
   * Verifies every entry of {@code name} against {@code sth} and replays them under the rules
   * above. {@code sth} must already be verified (e.g. accepted by a {@link TreeHeadHistory}).
   *
   * @param entries the account's entries in sequence order (at least one)
   * @return the state after the last entry
   * @throws KtException {@code INCLUSION_FAILED} (KH-1) or {@code BAD_HISTORY} (the others)
   */
  public static KeyState audit(String name, List<ProvenEntry> entries, SignedTreeHead sth,
      ReRegistration policy) throws KtException {
    Objects.requireNonNull(policy, "policy");
    if (entries.isEmpty()) {
      throw bad("no entries for " + name);
    }
    boolean live = false;
    boolean deleted = false;
    byte[] identityKey = new byte[0];
    TreeMap<Long, byte[]> devices = new TreeMap<>();
    long lastSequence = -1;
    long lastTime = Long.MIN_VALUE;
    for (ProvenEntry pe : entries) {
      LogEntry e = pe.entry();
      if (!e.name().equals(name)) {
        throw bad("KH-1 entry " + e.sequence() + " is for another name");
      }
      LogVerifier.verifyInclusion(e, pe.proof(), sth);
      if (e.sequence() <= lastSequence) {
        throw bad("KH-2 sequence " + e.sequence() + " does not follow " + lastSequence);
      }
      if (e.timestampMs() < lastTime) {
        throw bad("KH-2 timestamp of entry " + e.sequence() + " goes back in time");
      }
      switch (e.kind()) {
        case REGISTER -> {
          if (live) {
            throw bad("KH-4 REGISTER at " + e.sequence() + " while the account is live");
          }
          if (deleted && policy == ReRegistration.FORBIDDEN) {
            throw bad("KH-4 REGISTER at " + e.sequence() + " after DELETED is not allowed");
          }
          live = true;
          deleted = false;
          identityKey = e.key();
          devices.clear();
        }
        case KEY_CHANGED -> {
          requireLive(live, lastSequence, e);
          if (Arrays.equals(identityKey, e.key())) {
            throw bad("KH-7 KEY_CHANGED at " + e.sequence() + " keeps the same key");
          }
          identityKey = e.key();
        }
        case DEVICE_ADDED -> {
          requireLive(live, lastSequence, e);
          if (devices.containsKey(e.deviceId())) {
            throw bad("KH-6 device " + e.deviceId() + " added twice (at " + e.sequence() + ")");
          }
          devices.put(e.deviceId(), e.key());
        }
        case DEVICE_REVOKED -> {
          requireLive(live, lastSequence, e);
          byte[] key = devices.get(e.deviceId());
          if (key == null || !Arrays.equals(key, e.key())) {
            throw bad("KH-6 revoked device " + e.deviceId() + " at " + e.sequence()
                + " was not present with that key");
          }
          devices.remove(e.deviceId());
        }
        case DELETED -> {
          requireLive(live, lastSequence, e);
          live = false;
          deleted = true;
          devices.clear();
        }
      }
      lastSequence = e.sequence();
      lastTime = e.timestampMs();
    }
    return new KeyState(name, deleted, identityKey, devices, lastSequence);
  }

  private static void requireLive(boolean live, long lastSequence, LogEntry e) throws KtException {
    if (!live) {
      throw bad((lastSequence < 0 ? "KH-3 history starts with " : "KH-5 ") + e.kind() + " at "
          + e.sequence() + " without a live account");
    }
  }

  private static KtException bad(String message) {
    return new KtException(KtException.Reason.BAD_HISTORY, message);
  }
}
