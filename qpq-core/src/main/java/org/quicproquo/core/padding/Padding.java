package org.quicproquo.core.padding;

import java.util.Arrays;

/**
 * Pads payloads to a few bucket sizes before encryption, so ciphertext lengths reveal only a
 * coarse size class instead of the exact length of a message (traffic-analysis resistance: the
 * length of "yes" vs "no", or of a typing indicator vs a text, would otherwise leak through
 * the server and the network). Buckets grow geometrically, so the overhead stays below 4x for
 * small payloads and below 64 KiB for big ones. Further hardening (e.g. cover traffic, padding
 * tuned from real size distributions) belongs to the later "privacy hardening" issue.
 *
 * <p><b>Buckets</b>: 256 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB, then every multiple of 64 KiB up to
 * {@value #MAX_PADDED_SIZE} bytes.
 *
 * <p><b>Encoding</b> (ISO/IEC 7816-4 style): {@code payload || 0x80 || 0x00...}, of the smallest
 * bucket size that holds {@code payload.length + 1} bytes. {@link #unpad} accepts only that
 * canonical form: the length must be a bucket size, the last non-zero byte must be 0x80, and the
 * bucket must be the smallest one for the payload (so one payload has exactly one padded form).
 *
 * <p>Stateless and thread-safe.
 */
public final class Padding {
  /** The fixed small buckets, in bytes. */
  static final int[] SMALL_BUCKETS = {256, 1024, 4096, 16384, 65536};
  /** Step of the large buckets. */
  static final int LARGE_STEP = 65536;
  /** Largest padded size (64 MiB); also bounds what {@link #unpad} accepts. */
  public static final int MAX_PADDED_SIZE = 64 * 1024 * 1024;
  /** Largest payload {@link #pad} accepts. */
  public static final int MAX_PAYLOAD_SIZE = MAX_PADDED_SIZE - 1;
  private static final byte MARKER = (byte) 0x80;

  private Padding() {
  }

  /**
   * The padded size for a payload of {@code payloadLength} bytes.
   *
   * @throws PaddingException if the payload is negative or larger than {@link #MAX_PAYLOAD_SIZE}
   */
  public static int paddedSize(int payloadLength) throws PaddingException {
    if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_SIZE) {
      throw new PaddingException("payload of " + payloadLength + " bytes cannot be padded");
    }
    int needed = payloadLength + 1;
    for (int bucket : SMALL_BUCKETS) {
      if (needed <= bucket) {
        return bucket;
      }
    }
    return (needed + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
  }

  /**
   * Pads {@code payload} (not modified) into a new array.
   *
   * @throws PaddingException if the payload is larger than {@link #MAX_PAYLOAD_SIZE}
   */
  public static byte[] pad(byte[] payload) throws PaddingException {
    byte[] out = Arrays.copyOf(payload, paddedSize(payload.length));
    out[payload.length] = MARKER;
    return out;
  }

  /**
   * Removes the padding, strictly.
   *
   * @throws PaddingException if {@code padded} is not the canonical padding of some payload
   */
  public static byte[] unpad(byte[] padded) throws PaddingException {
    int length = padded.length;
    if (!isBucket(length)) {
      throw new PaddingException("padded length " + length + " is not a bucket size");
    }
    int end = length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    if (end < 0 || padded[end] != MARKER) {
      throw new PaddingException("padding marker 0x80 missing");
    }
    if (paddedSize(end) != length) {
      throw new PaddingException("padding is longer than the smallest bucket for the payload");
    }
    return Arrays.copyOf(padded, end);
  }

  static boolean isBucket(int length) {
    if (length <= 0 || length > MAX_PADDED_SIZE) {
      return false;
    }
    for (int bucket : SMALL_BUCKETS) {
      if (length == bucket) {
        return true;
      }
    }
    return length % LARGE_STEP == 0;
  }
}
