package org.quicproquo.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.server.store.UserName;

/**
 * Checks uploaded KeyPackages against the {@link KeyPackageRule}s before the server hands them
 * to other users: the RFC 9420 §10.1 checks that need no group, plus qpq's binding of every leaf
 * to its device (basic credential = user name, signature_key = the registered device key).
 *
 * <p>A server cannot check everything an adder will: group-specific rules (required capabilities,
 * key uniqueness within a tree) are left to the adding client, and HPKE public keys are not
 * parsed. Immutable and thread-safe.
 */
final class KeyPackageValidator {
  /**
   * Suites whose signature algorithm is Ed25519: qpq device keys are Ed25519 and every leaf's
   * signature_key must be its device key, so KeyPackages of other suites could never pass.
   */
  static final List<CipherSuiteId> DEVICE_KEY_SUITES = List.of(
      CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
      CipherSuiteId.MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519);

  private final Map<CipherSuiteId, CipherSuite> suites = new EnumMap<>(CipherSuiteId.class);
  private final Clock clock;

  /**
   * @param accepted the suites KeyPackages may use (what {@code serverInfo} advertises)
   * @param random only for the suites' random source; validation draws no randomness
   * @param clock the time lifetimes are checked against
   */
  KeyPackageValidator(List<CipherSuiteId> accepted, SecureRandom random, Clock clock) {
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException("no cipher suite accepted");
    }
    for (CipherSuiteId id : accepted) {
      suites.put(id, CipherSuites.of(id, random));
    }
    this.clock = clock;
  }

  /** The accepted suites' RFC 9420 codes, ascending. */
  List<Integer> acceptedCodes() {
    List<Integer> out = new ArrayList<>();
    for (CipherSuiteId id : suites.keySet()) {
      out.add(id.code());
    }
    return List.copyOf(out);
  }

  /**
   * Checks every KeyPackage of one upload as owned by {@code owner}'s device with signature key
   * {@code deviceKey}, and that no two share an init_key.
   *
   * @param lastResort the last-resort KeyPackage, or null when the upload carries none
   * @throws BadKeyPackageException for the first KeyPackage that breaks a rule
   */
  void checkUpload(List<byte[]> oneTime, byte[] lastResort, UserName owner, byte[] deviceKey)
      throws BadKeyPackageException {
    byte[] identity = owner.value().getBytes(StandardCharsets.UTF_8);
    Instant now = clock.instant();
    Set<ByteBuffer> initKeys = new HashSet<>(); // ByteBuffer compares content
    for (int i = 0; i <= oneTime.size(); i++) {
      boolean last = i == oneTime.size();
      if (last && lastResort == null) {
        break;
      }
      String where = last ? "lastResort" : "oneTime[" + i + "]";
      KeyPackage kp = check(where, last ? lastResort : oneTime.get(i), identity, deviceKey, now);
      if (!initKeys.add(ByteBuffer.wrap(kp.initKey()))) {
        throw new BadKeyPackageException(where, KeyPackageRule.DISTINCT,
            "init_key repeats one of an earlier KeyPackage of this upload");
      }
    }
  }

  /** Checks one KeyPackage; cheap rules first, signatures last. */
  KeyPackage check(String where, byte[] bytes, byte[] identity, byte[] deviceKey, Instant now)
      throws BadKeyPackageException {
    KeyPackage kp = decode(where, bytes);
    if (kp.version() != KeyPackage.MLS10) {
      throw new BadKeyPackageException(where, KeyPackageRule.VERSION,
          "version " + kp.version() + " is not mls10");
    }
    CipherSuite suite = suites.get(kp.cipherSuite());
    if (suite == null) {
      throw new BadKeyPackageException(where, KeyPackageRule.CIPHER_SUITE, "cipher suite "
          + kp.cipherSuite().code() + " is not accepted (accepted: " + acceptedCodes() + ")");
    }
    LeafNode leaf = kp.leafNode();
    if (leaf.source() != LeafNodeSource.KEY_PACKAGE) {
      throw new BadKeyPackageException(where, KeyPackageRule.LEAF_SOURCE,
          "leaf_node_source is " + leaf.source() + ", not key_package");
    }
    if (!(leaf.credential() instanceof Credential.Basic basic)) {
      throw new BadKeyPackageException(where, KeyPackageRule.CREDENTIAL,
          "credential type " + leaf.credential().credentialType() + " is not basic");
    }
    if (!Arrays.equals(basic.identity(), identity)) {
      throw new BadKeyPackageException(where, KeyPackageRule.CREDENTIAL,
          "basic credential identity is not the uploader's user name");
    }
    if (!leaf.capabilities().supportsCredential(basic.credentialType())) {
      throw new BadKeyPackageException(where, KeyPackageRule.CAPABILITIES,
          "the leaf's capabilities do not list the basic credential type");
    }
    if (!Arrays.equals(leaf.signatureKey(), deviceKey)) {
      throw new BadKeyPackageException(where, KeyPackageRule.SIGNATURE_KEY,
          "signature_key is not this device's registered key");
    }
    Lifetime lifetime = leaf.lifetime();
    if (!lifetime.contains(now)) {
      throw new BadKeyPackageException(where, KeyPackageRule.LIFETIME, "lifetime ["
          + Long.toUnsignedString(lifetime.notBefore()) + ", "
          + Long.toUnsignedString(lifetime.notAfter()) + "] does not cover the server time "
          + now.getEpochSecond());
    }
    if (Arrays.equals(kp.initKey(), leaf.encryptionKey())) {
      throw new BadKeyPackageException(where, KeyPackageRule.INIT_KEY,
          "init_key equals the leaf's encryption_key");
    }
    if (!leaf.verifySignature(suite, null, null)) {
      throw new BadKeyPackageException(where, KeyPackageRule.LEAF_SIGNATURE,
          "the leaf node signature does not verify under signature_key");
    }
    if (!suite.verifyWithLabel(leaf.signatureKey(), KeyPackage.SIGN_LABEL, kp.toBeSigned(),
        kp.signature())) {
      throw new BadKeyPackageException(where, KeyPackageRule.SIGNATURE,
          "the KeyPackage signature does not verify under signature_key");
    }
    return kp;
  }

  private static KeyPackage decode(String where, byte[] bytes) throws BadKeyPackageException {
    MLSMessage m;
    try {
      m = MLSMessage.fromBytes(bytes);
    } catch (DecodeException | IllegalArgumentException e) {
      // IllegalArgumentException: a struct constructor refused a decoded value.
      throw new BadKeyPackageException(where, KeyPackageRule.FORMAT,
          "not an MLSMessage: " + e.getMessage());
    }
    if (m.wireFormat() != WireFormat.MLS_KEY_PACKAGE) {
      throw new BadKeyPackageException(where, KeyPackageRule.FORMAT,
          "wire_format is " + m.wireFormat() + ", not mls_key_package");
    }
    return (KeyPackage) m.body();
  }
}
