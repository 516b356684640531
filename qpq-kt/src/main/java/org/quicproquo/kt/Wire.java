package org.quicproquo.kt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian fixed-width encoding helpers shared by the module's strict codecs. */
final class Wire {
  private Wire() {}

  /** Accumulates bytes; {@code toByteArray} returns a fresh copy. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    Writer u8(int v) {
      out.write(v);
      return this;
    }

    Writer u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer u64(long v) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (v >>> shift));
      }
      return this;
    }

    Writer bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /**
   * Reads from an untrusted array; every read checks the remaining length first and fails with
   * {@link KtException.Reason#MALFORMED}, so no read allocates more than the input holds.
   */
  static final class Reader {
    private final byte[] in;
    private final String what;
    private int pos;

    Reader(byte[] in, String what) {
      this.in = in;
      this.what = what;
    }

    int u8() throws KtException {
      need(1);
      return in[pos++] & 0xff;
    }

    int u16() throws KtException {
      need(2);
      int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    long u64() throws KtException {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (in[pos++] & 0xff);
      }
      return v;
    }

    /** A u64 that must fit in a non-negative long (sizes, indices, times). */
    long u63(String field) throws KtException {
      long v = u64();
      if (v < 0) {
        throw malformed(field + " exceeds 2^63 - 1");
      }
      return v;
    }

    byte[] bytes(int n) throws KtException {
      need(n);
      byte[] out = new byte[n];
      System.arraycopy(in, pos, out, 0, n);
      pos += n;
      return out;
    }

    String ascii(int n) throws KtException {
      return new String(bytes(n), StandardCharsets.US_ASCII);
    }

    void end() throws KtException {
      if (pos != in.length) {
        throw malformed((in.length - pos) + " trailing bytes");
      }
    }

    KtException malformed(String message) {
      return new KtException(KtException.Reason.MALFORMED, what + ": " + message);
    }

    private void need(int n) throws KtException {
      if (n < 0 || in.length - pos < n) {
        throw malformed("truncated");
      }
    }
  }
}
