package org.quicproquo.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.Lifetime;

/**
 * The fixed MLS world every MLS fuzz target runs against: suite 1, a three-member group (alice at
 * leaf 0, bob at leaf 1, carol at leaf 2) in epoch 1, plus dave, a not-yet-member with a Welcome
 * of his own into a copy of that group.
 *
 * <p>Everything is derived from one seeded {@code SHA1PRNG}, so every JVM builds byte-identical
 * keys and states. That is what makes the committed seed corpus meaningful: a PrivateMessage that
 * alice encrypted when the seeds were written still decrypts at the bob restored here. Insecure by
 * design; test use only.
 *
 * <p>Immutable after construction: only saved-state bytes and public values are kept, and each
 * caller restores its own {@link Group} from them.
 */
final class FuzzGroup {
  /** Seed of the deterministic random source; changing it invalidates the committed corpus. */
  static final long SEED = 9420_0001L;
  static final byte[] GROUP_ID = "qpq-fuzz-group".getBytes(UTF_8);

  private static final FuzzGroup INSTANCE = build();

  /** For decoding and verification only: targets draw randomness from {@link #freshSuite()}. */
  final CipherSuite suite;
  final byte[] aliceState;
  final byte[] bobState;
  final byte[] carolState;
  final SignatureKeyPair aliceSigner;
  final KeyPackageBundle dave;
  final Welcome daveWelcome;
  final SignatureKeyPair externalJoiner;

  private FuzzGroup(CipherSuite suite, byte[] aliceState, byte[] bobState, byte[] carolState,
      SignatureKeyPair aliceSigner, KeyPackageBundle dave, Welcome daveWelcome,
      SignatureKeyPair externalJoiner) {
    this.suite = suite;
    this.aliceState = aliceState;
    this.bobState = bobState;
    this.carolState = carolState;
    this.aliceSigner = aliceSigner;
    this.dave = dave;
    this.daveWelcome = daveWelcome;
    this.externalJoiner = externalJoiner;
  }

  /** The shared fixture (built once per JVM; class initialisation makes that thread-safe). */
  static FuzzGroup get() {
    return INSTANCE;
  }

  /** A fresh deterministic random source (insecure: fixed seed). */
  static SecureRandom insecureRandom(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
    }
  }

  /**
   * A new suite-1 instance over a fresh fixed-seed random source, for operations that draw
   * randomness: each input then sees the same random bytes (findings reproduce) and the shared
   * {@link #suite} is never advanced by a target.
   */
  static CipherSuite freshSuite() {
    return CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
        insecureRandom(SEED + 3));
  }

  /** {@code state} restored over a fresh fixed-seed random source. */
  Group restore(byte[] state) {
    try {
      return Group.restore(state, insecureRandom(SEED + 1));
    } catch (MlsException e) {
      throw new IllegalStateException("fixture state does not restore", e);
    }
  }

  private static FuzzGroup build() {
    try {
      CipherSuite suite = CipherSuites.of(
          CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, insecureRandom(SEED));
      Capabilities caps = Group.defaultCapabilities(suite, CredentialType.BASIC);
      Lifetime forever = new Lifetime(0, Long.MAX_VALUE);
      SignatureKeyPair aliceSigner = suite.generateSignatureKeyPair();
      KeyPackageBundle alice = bundle(suite, "alice", aliceSigner, caps, forever);
      KeyPackageBundle bob = bundle(suite, "bob", suite.generateSignatureKeyPair(), caps, forever);
      KeyPackageBundle carol =
          bundle(suite, "carol", suite.generateSignatureKeyPair(), caps, forever);
      KeyPackageBundle dave = bundle(suite, "dave", suite.generateSignatureKeyPair(), caps, forever);
      SignatureKeyPair externalJoiner = suite.generateSignatureKeyPair();

      GroupOptions options = GroupOptions.defaults();
      Group a = Group.create(suite, GROUP_ID, alice, List.of(), options);
      CommitResult added = a.commit(List.of(new Proposal.Add(bob.keyPackage()),
          new Proposal.Add(carol.keyPackage())));
      a.mergePendingCommit();
      Welcome welcome = added.welcome().orElseThrow();
      Group b = Group.join(suite, welcome, bob, Optional.empty(), ExternalPsks.none(), options);
      Group c = Group.join(suite, welcome, carol, Optional.empty(), ExternalPsks.none(), options);

      // Dave's Welcome comes from a copy of alice, so the group itself stays at three members.
      Group aliceCopy = Group.restore(a.save(), insecureRandom(SEED + 2));
      Welcome daveWelcome = aliceCopy.commit(List.of(new Proposal.Add(dave.keyPackage())))
          .welcome().orElseThrow();
      return new FuzzGroup(suite, a.save(), b.save(), c.save(), aliceSigner, dave, daveWelcome,
          externalJoiner);
    } catch (MlsException e) {
      throw new IllegalStateException("fixture group cannot be built", e);
    }
  }

  private static KeyPackageBundle bundle(CipherSuite suite, String name, SignatureKeyPair signer,
      Capabilities caps, Lifetime lifetime) throws MlsException {
    return Group.generateKeyPackage(suite, new Credential.Basic(name.getBytes(UTF_8)), signer,
        caps, lifetime);
  }
}
