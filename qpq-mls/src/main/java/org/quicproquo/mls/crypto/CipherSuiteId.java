package org.quicproquo.mls.crypto;

/** RFC 9420 §17.1 cipher suites, with their wire codes. */
public enum CipherSuiteId {
  MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519(1),
  MLS_128_DHKEMP256_AES128GCM_SHA256_P256(2),
  MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519(3),
  MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448(4),
  MLS_256_DHKEMP521_AES256GCM_SHA512_P521(5),
  MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448(6),
  MLS_256_DHKEMP384_AES256GCM_SHA384_P384(7);

  private final int code;

  CipherSuiteId(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The suite with wire code {@code code}; throws for unknown or unsupported codes. */
  public static CipherSuiteId fromCode(int code) throws CryptoException {
    for (CipherSuiteId id : values()) {
      if (id.code == code) {
        return id;
      }
    }
    throw new CryptoException("unsupported cipher suite " + code);
  }
}
