package org.quicproquo.mls.codec;

/** A value with a TLS presentation language encoding (RFC 8446 §3, with RFC 9420 §2.1.2 varints). */
public interface TlsEncodable {
  /** Appends this value's encoding to {@code w}. */
  void encode(TlsWriter w);

  /** This value's encoding as a fresh array. */
  default byte[] toBytes() {
    TlsWriter w = new TlsWriter();
    encode(w);
    return w.toByteArray();
  }
}
