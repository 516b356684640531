package org.quicproquo.kt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the key-transparency log. Its {@link #encode() encoding} is the leaf data
 * {@code d(i)} of RFC 9162, and {@code sequence} is the leaf index {@code i}.
 *
 * <pre>
 *   u8   version = 1
 *   u8   kind                     (EntryKind code)
 *   u64  sequence                 (leaf index)
 *   u64  timestamp_ms             (server clock when appended)
 *   u16  name_length (1..320)     name: printable ASCII 0x21..0x7E
 *   REGISTER, KEY_CHANGED:        identity_key[32]
 *   DEVICE_ADDED, DEVICE_REVOKED: u64 device_id || device_key[32]
 *   DELETED:                      (nothing)
 * </pre>
 *
 * All integers big-endian; u64 fields must be below 2^63. Fields a kind does not carry are
 * {@code deviceId == 0} and an empty {@code key}. The log does not interpret keys (no curve check):
 * it records what the server bound.
 *
 * @param sequence leaf index of this entry
 * @param timestampMs milliseconds since the epoch
 * @param kind what the entry records
 * @param name the account name
 * @param deviceId device id (DEVICE_* only, else 0)
 * @param key identity key (REGISTER, KEY_CHANGED), device key (DEVICE_*), or empty (DELETED)
 */
public record LogEntry(long sequence, long timestampMs, EntryKind kind, String name, long deviceId,
    byte[] key) {
  /** Encoding version this class writes and the only one it reads. */
  public static final int VERSION = 1;
  /** Length of identity and device keys (Ed25519 public keys). */
  public static final int KEY_LENGTH = 32;
  /** Longest name in bytes: a qpq user name is at most 320 characters (local@domain). */
  public static final int MAX_NAME_LENGTH = 320;

  /** Validates the fields for {@code kind}; throws {@link IllegalArgumentException}. */
  public LogEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    if (sequence < 0 || timestampMs < 0) {
      throw new IllegalArgumentException("sequence and timestamp must be non-negative");
    }
    if (!validName(name)) {
      throw new IllegalArgumentException("name must be 1..320 printable ASCII characters");
    }
    int keyLength = kind == EntryKind.DELETED ? 0 : KEY_LENGTH;
    if (key.length != keyLength) {
      throw new IllegalArgumentException(kind + " needs a key of " + keyLength + " bytes");
    }
    if (kind.hasDevice() ? deviceId < 0 : deviceId != 0) {
      throw new IllegalArgumentException(
          kind + (kind.hasDevice() ? " needs a device id below 2^63" : " carries no device id"));
    }
    key = key.clone();
  }

  /** A REGISTER entry: {@code name} is bound to {@code identityKey}. */
  public static LogEntry register(long sequence, long timestampMs, String name, byte[] identityKey) {
    return new LogEntry(sequence, timestampMs, EntryKind.REGISTER, name, 0, identityKey);
  }

  /** A KEY_CHANGED entry: {@code name}'s identity key becomes {@code newIdentityKey}. */
  public static LogEntry keyChanged(long sequence, long timestampMs, String name,
      byte[] newIdentityKey) {
    return new LogEntry(sequence, timestampMs, EntryKind.KEY_CHANGED, name, 0, newIdentityKey);
  }

  /** A DEVICE_ADDED entry. */
  public static LogEntry deviceAdded(long sequence, long timestampMs, String name, long deviceId,
      byte[] deviceKey) {
    return new LogEntry(sequence, timestampMs, EntryKind.DEVICE_ADDED, name, deviceId, deviceKey);
  }

  /** A DEVICE_REVOKED entry. */
  public static LogEntry deviceRevoked(long sequence, long timestampMs, String name, long deviceId,
      byte[] deviceKey) {
    return new LogEntry(sequence, timestampMs, EntryKind.DEVICE_REVOKED, name, deviceId, deviceKey);
  }

  /** A DELETED entry (tombstone). */
  public static LogEntry deleted(long sequence, long timestampMs, String name) {
    return new LogEntry(sequence, timestampMs, EntryKind.DELETED, name, 0, new byte[0]);
  }

  /** A copy of the key bytes. */
  @Override
  public byte[] key() {
    return key.clone();
  }

  /** The leaf data: the encoding in the class javadoc. */
  public byte[] encode() {
    byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
    Wire.Writer w = new Wire.Writer().u8(VERSION).u8(kind.code()).u64(sequence).u64(timestampMs)
        .u16(nameBytes.length).bytes(nameBytes);
    if (kind.hasDevice()) {
      w.u64(deviceId);
    }
    return w.bytes(key).toByteArray();
  }

  /**
   * Decodes exactly one entry; unknown versions or kinds, bad lengths, bad names and trailing
   * bytes are {@link KtException.Reason#MALFORMED}.
   */
  public static LogEntry decode(byte[] bytes) throws KtException {
    Wire.Reader r = new Wire.Reader(bytes, "log entry");
    int version = r.u8();
    if (version != VERSION) {
      throw r.malformed("unknown version " + version);
    }
    EntryKind kind = EntryKind.fromCode(r.u8());
    long sequence = r.u63("sequence");
    long timestamp = r.u63("timestamp");
    int nameLength = r.u16();
    if (nameLength == 0 || nameLength > MAX_NAME_LENGTH) {
      throw r.malformed("name length " + nameLength + " outside 1.." + MAX_NAME_LENGTH);
    }
    String name = r.ascii(nameLength);
    if (!validName(name)) {
      throw r.malformed("name must be 1..320 printable ASCII characters");
    }
    long deviceId = kind.hasDevice() ? r.u63("device id") : 0;
    byte[] key = r.bytes(kind == EntryKind.DELETED ? 0 : KEY_LENGTH);
    r.end();
    return new LogEntry(sequence, timestamp, kind, name, deviceId, key);
  }

  private static boolean validName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e && sequence == e.sequence && timestampMs == e.timestampMs
        && kind == e.kind && name.equals(e.name) && deviceId == e.deviceId
        && Arrays.equals(key, e.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sequence, timestampMs, kind, name, deviceId) * 31 + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "LogEntry[" + sequence + " " + kind + " " + name
        + (kind.hasDevice() ? " device " + deviceId : "") + " at " + timestampMs + "]";
  }
}
