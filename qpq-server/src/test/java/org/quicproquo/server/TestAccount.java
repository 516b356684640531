package org.quicproquo.server;

import org.quicproquo.core.identity.AuthTranscripts;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.quicproquo.mls.crypto.SignatureKeyPair;

/** A user's identity key and one device key, as a client would hold them. */
final class TestAccount {
  final String name;
  final Ed25519PrivateKeyParameters identity;
  final Ed25519PrivateKeyParameters device;
  long deviceId;

  private TestAccount(String name, Ed25519PrivateKeyParameters identity,
      Ed25519PrivateKeyParameters device) {
    this.name = name;
    this.identity = identity;
    this.device = device;
  }

  static TestAccount generate(String name, SecureRandom random) {
    return new TestAccount(name, new Ed25519PrivateKeyParameters(random),
        new Ed25519PrivateKeyParameters(random));
  }

  /** Another device of the same user (same identity key, fresh device key, no id yet). */
  TestAccount anotherDevice(SecureRandom random) {
    return new TestAccount(name, identity, new Ed25519PrivateKeyParameters(random));
  }

  byte[] identityKey() {
    return identity.generatePublicKey().getEncoded();
  }

  byte[] deviceKey() {
    return device.generatePublicKey().getEncoded();
  }

  byte[] certificate() {
    return sign(identity, AuthTranscripts.deviceCertificate(name, deviceKey()));
  }

  /** The device key as an MLS signature key pair (Ed25519 keys are the raw RFC 8032 bytes). */
  SignatureKeyPair signer() {
    return new SignatureKeyPair(device.getEncoded(), deviceKey());
  }

  /** A fresh valid KeyPackage of this device (suite 1, valid from an hour ago for four weeks). */
  byte[] keyPackage() throws Exception {
    return TestKeyPackages.valid(TestKeyPackages.SUITE_1, name, signer(),
        TestKeyPackages.around(Instant.now()));
  }

  /** {@code n} fresh valid KeyPackages of this device. */
  List<byte[]> keyPackages(int n) throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(keyPackage());
    }
    return out;
  }

  byte[] loginSignature(byte[] nonce, byte[] fingerprint, long id) {
    return sign(device, AuthTranscripts.login(nonce, fingerprint, id));
  }

  static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, key);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }
}
