package org.quicproquo.mls.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strict reader for the RFC 9420 profile of the TLS presentation language. Every length is checked
 * against the bytes actually present before anything is allocated; varints must be minimal
 * (RFC 9420 §2.1.2); {@link #finish()} rejects trailing bytes. Not thread-safe.
 */
public final class TlsReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  public TlsReader(byte[] data) {
    this(data, 0, data.length);
  }

  private TlsReader(byte[] data, int from, int to) {
    this.buf = data;
    this.pos = from;
    this.end = to;
  }

  /** Decodes {@code data} with {@code fn} and requires that it consumes every byte. */
  public static <T> T decodeAll(byte[] data, Decoder<T> fn) throws DecodeException {
    TlsReader r = new TlsReader(data);
    T value = fn.decode(r);
    r.finish();
    return value;
  }

  /** A function that reads one value. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(TlsReader r) throws DecodeException;
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  private void need(long n) throws DecodeException {
    if (n < 0 || n > end - pos) {
      throw new DecodeException("truncated input: need " + n + " bytes, have " + (end - pos));
    }
  }

  public int u8() throws DecodeException {
    need(1);
    return buf[pos++] & 0xff;
  }

  public boolean bool() throws DecodeException {
    int v = u8();
    if (v > 1) {
      throw new DecodeException("invalid boolean " + v);
    }
    return v == 1;
  }

  public int u16() throws DecodeException {
    need(2);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  public long u32() throws DecodeException {
    need(4);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  public long u64() throws DecodeException {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  /** RFC 9420 §2.1.2 varint; rejects the reserved 8-byte form and non-minimal encodings. */
  public int varint() throws DecodeException {
    need(1);
    int first = buf[pos] & 0xff;
    int prefix = first >>> 6;
    if (prefix == 3) {
      throw new DecodeException("invalid varint prefix 0b11");
    }
    int n = 1 << prefix;
    need(n);
    long v = first & 0x3f;
    for (int i = 1; i < n; i++) {
      v = (v << 8) | (buf[pos + i] & 0xff);
    }
    if ((n == 2 && v < 0x40) || (n == 4 && v < 0x4000)) {
      throw new DecodeException("non-minimal varint encoding of " + v);
    }
    pos += n;
    return (int) v;
  }

  public byte[] raw(int n) throws DecodeException {
    need(n);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /** {@code opaque data<V>}. */
  public byte[] opaque() throws DecodeException {
    return raw(varint());
  }

  /** A sub-reader over the next varint-length-prefixed region; this reader skips past it. */
  public TlsReader slice() throws DecodeException {
    int n = varint();
    need(n);
    TlsReader sub = new TlsReader(buf, pos, pos + n);
    pos += n;
    return sub;
  }

  /**
   * {@code T items<V>}: decodes items until the prefixed region is used up exactly. The list grows
   * with the input (every item must consume at least one byte, so a decoder that reads nothing
   * cannot spin forever on hostile input).
   */
  public <T> List<T> vector(Decoder<T> item) throws DecodeException {
    TlsReader sub = slice();
    List<T> out = new ArrayList<>();
    while (sub.hasRemaining()) {
      int before = sub.pos;
      out.add(item.decode(sub));
      if (sub.pos == before) {
        throw new DecodeException("vector item of zero length");
      }
    }
    return out;
  }

  /** {@code optional<T>}. Returns null when absent. */
  public <T> T optional(Decoder<T> item) throws DecodeException {
    return bool() ? item.decode(this) : null;
  }

  /** Bytes consumed so far from the start of the underlying array region. */
  public int position() {
    return pos;
  }

  /** Copy of the bytes between {@code from} (an earlier {@link #position()}) and now. */
  public byte[] bytesSince(int from) {
    return Arrays.copyOfRange(buf, from, pos);
  }

  /** Requires that every byte has been consumed. */
  public void finish() throws DecodeException {
    if (pos != end) {
      throw new DecodeException((end - pos) + " trailing bytes");
    }
  }
}
