package org.quicproquo.mls.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * External pre-shared keys (RFC 9420 §8.4, psktype external) this member knows, by {@code psk_id}.
 * Immutable; {@link #with} returns a new set.
 */
public final class ExternalPsks {
  private record Entry(byte[] id, byte[] secret) {}

  private static final ExternalPsks NONE = new ExternalPsks(List.of());

  private final List<Entry> entries;

  private ExternalPsks(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No external PSKs. */
  public static ExternalPsks none() {
    return NONE;
  }

  /** This set plus the PSK {@code secret} named {@code pskId} (replacing one of the same id). */
  public ExternalPsks with(byte[] pskId, byte[] secret) {
    List<Entry> next = new ArrayList<>();
    for (Entry e : entries) {
      if (!Arrays.equals(e.id, pskId)) {
        next.add(e);
      }
    }
    next.add(new Entry(pskId.clone(), secret.clone()));
    return new ExternalPsks(next);
  }

  /** The secret of {@code pskId}, if known. */
  public Optional<byte[]> find(byte[] pskId) {
    return entries.stream().filter(e -> Arrays.equals(e.id, pskId)).findFirst()
        .map(e -> e.secret.clone());
  }

  /** The (id, secret) pairs, for persistence. */
  List<byte[][]> entries() {
    return entries.stream().map(e -> new byte[][] {e.id.clone(), e.secret.clone()}).toList();
  }

  @Override
  public String toString() {
    return "ExternalPsks[" + entries.size() + " keys, redacted]";
  }
}
