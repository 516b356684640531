package org.quicproquo.mls.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fingerprints of secrets this member has deleted (content keys it used or consumed, secrets of
 * epochs it left), so that {@link Group#forwardSecrecyReport()} can check the saved state for
 * them byte by byte instead of trusting the code that deleted them.
 *
 * <p>A fingerprint is SHA-256 over a fixed domain label and the secret. It reveals nothing usable
 * about the secret (finding a 16-byte AES key or a 32-byte KDF secret from its hash is a
 * 2^128 search), so keeping it does not undo the deletion. Only the most recent
 * {@link #MAX_ENTRIES} fingerprints are kept, in memory only: a restored group starts empty.
 *
 * <p>Not thread-safe (it belongs to one {@link Group}).
 */
final class DeletedSecrets {
  static final int MAX_ENTRIES = 4096;
  private static final byte[] DOMAIN =
      "qpq-mls deleted secret fingerprint".getBytes(StandardCharsets.US_ASCII);

  /** One deleted secret: what it was, and its fingerprint. */
  record Entry(ForwardSecrecyReport.DeletedSecret what, int length, ByteBuffer fingerprint) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  /** Records that {@code secret} (described by {@code what}) was deleted. Ignores empty ones. */
  void add(ForwardSecrecyReport.DeletedSecret what, byte[] secret) {
    if (secret == null || secret.length == 0) {
      return;
    }
    if (entries.size() == MAX_ENTRIES) {
      entries.removeFirst();
    }
    entries.addLast(new Entry(what, secret.length,
        ByteBuffer.wrap(fingerprint(sha256(), secret, 0, secret.length))));
  }

  int size() {
    return entries.size();
  }

  /**
   * The recorded secrets that occur anywhere in {@code bytes}: every window of every recorded
   * length is fingerprinted and looked up, so a secret is found wherever it sits.
   */
  List<ForwardSecrecyReport.DeletedSecret> foundIn(byte[] bytes) {
    Map<ByteBuffer, List<Entry>> byFingerprint = new HashMap<>();
    TreeSet<Integer> lengths = new TreeSet<>();
    for (Entry e : entries) {
      byFingerprint.computeIfAbsent(e.fingerprint(), k -> new ArrayList<>()).add(e);
      lengths.add(e.length());
    }
    List<ForwardSecrecyReport.DeletedSecret> found = new ArrayList<>();
    MessageDigest md = sha256();
    for (int length : lengths) {
      for (int off = 0; off + length <= bytes.length; off++) {
        List<Entry> hits = byFingerprint.get(ByteBuffer.wrap(fingerprint(md, bytes, off, length)));
        if (hits != null) {
          for (Entry e : hits) {
            if (e.length() == length && !found.contains(e.what())) {
              found.add(e.what());
            }
          }
        }
      }
    }
    return found;
  }

  private static byte[] fingerprint(MessageDigest md, byte[] b, int off, int len) {
    md.update(DOMAIN);
    md.update((byte) len);
    md.update(b, off, len);
    return md.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
