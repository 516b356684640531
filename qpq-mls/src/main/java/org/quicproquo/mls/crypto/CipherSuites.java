package org.quicproquo.mls.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/** Factory for the Bouncy Castle implementations of the RFC 9420 cipher suites 1-7. */
public final class CipherSuites {
  private CipherSuites() {}

  /**
   * The suite {@code id}, drawing every random value (signature and HPKE keys, HPKE ephemerals,
   * {@link CipherSuite#randomBytes}) from {@code random}. The result is immutable and thread-safe
   * as long as {@code random} is (every {@link SecureRandom} is). Create one per suite and share it.
   */
  public static CipherSuite of(CipherSuiteId id, SecureRandom random) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(random, "random");
    return switch (id) {
      case MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 -> new BcCipherSuite(id, HashKdf.SHA256,
          AeadAlgorithm.AES_128_GCM, SignatureScheme.ed25519(), HpkeScheme.Kem.X25519, random);
      case MLS_128_DHKEMP256_AES128GCM_SHA256_P256 -> new BcCipherSuite(id, HashKdf.SHA256,
          AeadAlgorithm.AES_128_GCM, SignatureScheme.ecdsa("secp256r1", HashKdf.SHA256),
          HpkeScheme.Kem.P256, random);
      case MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519 -> new BcCipherSuite(id, HashKdf.SHA256,
          AeadAlgorithm.CHACHA20_POLY1305, SignatureScheme.ed25519(), HpkeScheme.Kem.X25519, random);
      case MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448 -> new BcCipherSuite(id, HashKdf.SHA512,
          AeadAlgorithm.AES_256_GCM, SignatureScheme.ed448(), HpkeScheme.Kem.X448, random);
      case MLS_256_DHKEMP521_AES256GCM_SHA512_P521 -> new BcCipherSuite(id, HashKdf.SHA512,
          AeadAlgorithm.AES_256_GCM, SignatureScheme.ecdsa("secp521r1", HashKdf.SHA512),
          HpkeScheme.Kem.P521, random);
      case MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448 -> new BcCipherSuite(id, HashKdf.SHA512,
          AeadAlgorithm.CHACHA20_POLY1305, SignatureScheme.ed448(), HpkeScheme.Kem.X448, random);
      case MLS_256_DHKEMP384_AES256GCM_SHA384_P384 -> new BcCipherSuite(id, HashKdf.SHA384,
          AeadAlgorithm.AES_256_GCM, SignatureScheme.ecdsa("secp384r1", HashKdf.SHA384),
          HpkeScheme.Kem.P384, random);
    };
  }
}
