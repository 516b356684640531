package org.quicproquo.mls.message;

import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CryptoException;

/** Decoding helpers shared by the structs of this package. */
final class Codecs {
  private Codecs() {}

  /** ProtocolVersion mls10 (§6); every other value is rejected. */
  static void version(TlsReader r) throws DecodeException {
    int v = r.u16();
    if (v != GroupContext.MLS10) {
      throw new DecodeException("unsupported protocol version " + v);
    }
  }

  /** A uint16 CipherSuite that this library implements. */
  static CipherSuiteId cipherSuite(TlsReader r) throws DecodeException {
    int code = r.u16();
    try {
      return CipherSuiteId.fromCode(code);
    } catch (CryptoException e) {
      throw new DecodeException("unsupported cipher suite " + code);
    }
  }
}
