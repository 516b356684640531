package org.quicproquo.mls.codec;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * Growable big-endian writer for the TLS presentation language as profiled by RFC 9420: vectors carry
 * a variable-length integer (§2.1.2) length prefix. Not thread-safe.
 */
public final class TlsWriter {
  /** Largest length a RFC 9420 varint can carry (2^30 - 1). */
  public static final int MAX_VARINT = (1 << 30) - 1;

  private byte[] buf;
  private int len;

  public TlsWriter() {
    this(64);
  }

  public TlsWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  public TlsWriter u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  public TlsWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  public TlsWriter u16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  public TlsWriter u32(long v) {
    ensure(4);
    for (int s = 24; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  public TlsWriter u64(long v) {
    ensure(8);
    for (int s = 56; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  /** RFC 9420 §2.1.2 variable-length integer, always in its shortest form. */
  public TlsWriter varint(long v) {
    if (v < 0 || v > MAX_VARINT) {
      throw new IllegalArgumentException("varint out of range: " + v);
    }
    if (v < 0x40) {
      return u8((int) v);
    } else if (v < 0x4000) {
      return u16((int) v | 0x4000);
    } else {
      return u32(v | 0x8000_0000L);
    }
  }

  /** Raw bytes with no length prefix. */
  public TlsWriter raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  /** {@code opaque data<V>}: varint length then the bytes. */
  public TlsWriter opaque(byte[] b) {
    varint(b.length);
    return raw(b);
  }

  /** {@code T items<V>}: varint byte length, then each item's encoding. */
  public <T> TlsWriter vector(Collection<? extends T> items, BiConsumer<TlsWriter, ? super T> enc) {
    int lenPos = reservePrefix();
    for (T item : items) {
      enc.accept(this, item);
    }
    return closePrefix(lenPos);
  }

  /** A vector of encodable items. */
  public TlsWriter vector(Collection<? extends TlsEncodable> items) {
    return vector(items, (w, it) -> it.encode(w));
  }

  /** {@code optional<T>}: presence byte then the value. */
  public <T> TlsWriter optional(T value, BiConsumer<TlsWriter, ? super T> enc) {
    if (value == null) {
      return u8(0);
    }
    u8(1);
    enc.accept(this, value);
    return this;
  }

  /** Writes the encoding of {@code body} prefixed by its varint byte length. */
  public TlsWriter lengthPrefixed(java.util.function.Consumer<TlsWriter> body) {
    int lenPos = reservePrefix();
    body.accept(this);
    return closePrefix(lenPos);
  }

  // The body length is unknown until it is written, so reserve 4 bytes and shift down if the
  // minimal varint turns out shorter.
  private int reservePrefix() {
    ensure(4);
    int pos = len;
    len += 4;
    return pos;
  }

  private TlsWriter closePrefix(int lenPos) {
    int bodyStart = lenPos + 4;
    int bodyLen = len - bodyStart;
    if (bodyLen > MAX_VARINT) {
      throw new IllegalArgumentException("vector too long: " + bodyLen);
    }
    int prefix = bodyLen < 0x40 ? 1 : bodyLen < 0x4000 ? 2 : 4;
    if (prefix != 4) {
      System.arraycopy(buf, bodyStart, buf, lenPos + prefix, bodyLen);
      len -= 4 - prefix;
    }
    if (prefix == 1) {
      buf[lenPos] = (byte) bodyLen;
    } else if (prefix == 2) {
      buf[lenPos] = (byte) ((bodyLen >>> 8) | 0x40);
      buf[lenPos + 1] = (byte) bodyLen;
    } else {
      long v = bodyLen | 0x8000_0000L;
      for (int i = 0; i < 4; i++) {
        buf[lenPos + i] = (byte) (v >>> (24 - 8 * i));
      }
    }
    return this;
  }

  public int size() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /**
   * The bytes written, ending the writer's use: afterwards it must not be written to or read.
   * A writer created with exactly the final length hands over its buffer without copying, which
   * matters for structs of megabytes (a large group's commit) that are sized up front.
   */
  public byte[] finish() {
    byte[] out = len == buf.length ? buf : Arrays.copyOf(buf, len);
    buf = new byte[0];
    len = 0;
    return out;
  }

  /** Length of the shortest RFC 9420 varint (§2.1.2) for {@code v}. */
  public static int varintLength(long v) {
    if (v < 0 || v > MAX_VARINT) {
      throw new IllegalArgumentException("varint out of range: " + v);
    }
    return v < 0x40 ? 1 : v < 0x4000 ? 2 : 4;
  }
}
