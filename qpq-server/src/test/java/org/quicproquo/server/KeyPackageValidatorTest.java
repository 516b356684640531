package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.server.TestKeyPackages.SUITE_1;
import static org.quicproquo.server.TestKeyPackages.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.server.TestKeyPackages.Spec;
import org.quicproquo.server.store.UserName;

/** Every {@link KeyPackageRule}, one test each (named after the rule id), with a fixed clock. */
class KeyPackageValidatorTest {
  private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
  private static final CipherSuiteId SUITE_2 = CipherSuiteId.MLS_128_DHKEMP256_AES128GCM_SHA256_P256;
  private static final CipherSuiteId SUITE_3 =
      CipherSuiteId.MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519;

  private final SecureRandom random = new SecureRandom();
  private final KeyPackageValidator validator = new KeyPackageValidator(
      KeyPackageValidator.DEVICE_KEY_SUITES, random, Clock.fixed(NOW, ZoneOffset.UTC));
  private final UserName alice = UserName.of("alice");
  private final SignatureKeyPair device = TestKeyPackages.suite(SUITE_1).generateSignatureKeyPair();
  private final SignatureKeyPair other = TestKeyPackages.suite(SUITE_1).generateSignatureKeyPair();

  private void accepts(byte[]... kps) throws Exception {
    validator.checkUpload(Arrays.asList(kps), null, alice, device.publicKey());
  }

  private KeyPackageRule refused(byte[] kp) {
    BadKeyPackageException[] caught = new BadKeyPackageException[1];
    assertThatThrownBy(() -> validator.checkUpload(List.of(kp), null, alice, device.publicKey()))
        .isInstanceOfSatisfying(BadKeyPackageException.class, e -> caught[0] = e);
    assertThat(caught[0].where()).isEqualTo("oneTime[0]");
    assertThat(caught[0].getMessage()).startsWith("oneTime[0]: " + caught[0].rule().id() + " ");
    return caught[0].rule();
  }

  private Spec spec() {
    return Spec.of("alice", device, NOW);
  }

  @Test
  void validKeyPackagesOfBothEd25519SuitesPass() throws Exception {
    accepts(TestKeyPackages.valid(SUITE_1, "alice", device, TestKeyPackages.around(NOW)),
        TestKeyPackages.valid(SUITE_3, "alice", device, TestKeyPackages.around(NOW)),
        spec().bytes());
    assertThat(validator.acceptedCodes()).containsExactly(1, 3);
  }

  @Test
  void kp1GarbageTruncatedTrailingBytesAndOtherWireFormatsAreRefused() throws Exception {
    byte[] good = spec().bytes();
    assertThat(refused(new byte[] {1, 2, 3, 4, 5})).isEqualTo(KeyPackageRule.FORMAT);
    assertThat(refused(Arrays.copyOf(good, good.length - 1))).isEqualTo(KeyPackageRule.FORMAT);
    assertThat(refused(Arrays.copyOf(good, good.length + 1))).isEqualTo(KeyPackageRule.FORMAT);
    // The bare KeyPackage without its MLSMessage header.
    byte[] bare = Arrays.copyOfRange(good, 4, good.length);
    assertThat(refused(bare)).isEqualTo(KeyPackageRule.FORMAT);
    // A KeyPackage's bytes re-labelled mls_welcome do not decode as a Welcome.
    byte[] relabelled = good.clone();
    relabelled[3] = 3;
    assertThat(refused(relabelled)).isEqualTo(KeyPackageRule.FORMAT);
    // A well-formed MLSMessage of another wire format: a real GroupInfo.
    CipherSuite suite = TestKeyPackages.suite(SUITE_1);
    Group group = Group.create(suite, identity("g"), Group.generateKeyPackage(suite,
        Credential.basic(identity("alice")), device,
        Group.defaultCapabilities(suite, CredentialType.BASIC), TestKeyPackages.around(NOW)),
        List.of(), GroupOptions.defaults());
    byte[] groupInfo = MLSMessage.of(group.groupInfo()).toBytes();
    assertThatThrownBy(() -> validator.checkUpload(List.of(groupInfo), null, alice,
        device.publicKey()))
        .isInstanceOfSatisfying(BadKeyPackageException.class, e -> assertThat(e.getMessage())
            .isEqualTo("oneTime[0]: KP-1 wire_format is MLS_GROUP_INFO, not mls_key_package"));
  }

  @Test
  void kp2VersionOtherThanMls10IsRefused() throws Exception {
    assertThat(refused(spec().withVersion(2).bytes())).isEqualTo(KeyPackageRule.VERSION);
  }

  @Test
  void kp3SuiteTheServerDoesNotAcceptIsRefused() throws Exception {
    SignatureKeyPair p256 = TestKeyPackages.suite(SUITE_2).generateSignatureKeyPair();
    byte[] kp = TestKeyPackages.valid(SUITE_2, "alice", p256, TestKeyPackages.around(NOW));
    assertThat(refused(kp)).isEqualTo(KeyPackageRule.CIPHER_SUITE);
    // A server configured for suite 1 only refuses a suite-3 package signed by the device key.
    KeyPackageValidator only1 = new KeyPackageValidator(List.of(SUITE_1), random,
        Clock.fixed(NOW, ZoneOffset.UTC));
    byte[] suite3 = TestKeyPackages.valid(SUITE_3, "alice", device, TestKeyPackages.around(NOW));
    assertThatThrownBy(() -> only1.checkUpload(List.of(), suite3, alice, device.publicKey()))
        .isInstanceOfSatisfying(BadKeyPackageException.class, e -> {
          assertThat(e.rule()).isEqualTo(KeyPackageRule.CIPHER_SUITE);
          assertThat(e.getMessage()).isEqualTo(
              "lastResort: KP-3 cipher suite 3 is not accepted (accepted: [1])");
        });
  }

  @Test
  void kp4LeafSourceOtherThanKeyPackageIsRefused() throws Exception {
    assertThat(refused(spec().withUpdateSource().bytes())).isEqualTo(KeyPackageRule.LEAF_SOURCE);
  }

  @Test
  void kp5WrongIdentityOrNonBasicCredentialIsRefused() throws Exception {
    assertThat(refused(Spec.of("mallory", device, NOW).bytes()))
        .isEqualTo(KeyPackageRule.CREDENTIAL);
    // Case and spelling matter: the identity is the canonical name, byte for byte.
    assertThat(refused(Spec.of("Alice", device, NOW).bytes()))
        .isEqualTo(KeyPackageRule.CREDENTIAL);
    assertThat(refused(Spec.of("alice@", device, NOW).bytes()))
        .isEqualTo(KeyPackageRule.CREDENTIAL);
    Credential x509 = new Credential.X509(List.of(new byte[] {0x30, 0}));
    assertThat(refused(spec().withCredential(x509, List.of(CredentialType.X509)).bytes()))
        .isEqualTo(KeyPackageRule.CREDENTIAL);
  }

  @Test
  void kp6CapabilitiesWithoutBasicAreRefused() throws Exception {
    assertThat(refused(spec().withCredential(Credential.basic(identity("alice")),
        List.of(CredentialType.X509)).bytes())).isEqualTo(KeyPackageRule.CAPABILITIES);
  }

  @Test
  void kp7AnotherSignatureKeyIsRefusedEvenIfSelfConsistent() throws Exception {
    // Validly signed by `other`, but `other` is not the device's registered key.
    byte[] kp = TestKeyPackages.valid(SUITE_1, "alice", other, TestKeyPackages.around(NOW));
    assertThat(refused(kp)).isEqualTo(KeyPackageRule.SIGNATURE_KEY);
  }

  @Test
  void kp8ExpiredAndNotYetValidLifetimesAreRefused() throws Exception {
    long now = NOW.getEpochSecond();
    assertThat(refused(spec().withLifetime(new Lifetime(now - 7200, now - 1)).bytes()))
        .isEqualTo(KeyPackageRule.LIFETIME);
    assertThat(refused(spec().withLifetime(new Lifetime(now + 1, now + 7200)).bytes()))
        .isEqualTo(KeyPackageRule.LIFETIME);
    // Bounds are inclusive; not_after 2^64-1 (unsigned) is "forever".
    accepts(spec().withLifetime(new Lifetime(now, now)).bytes(),
        spec().withLifetime(new Lifetime(0, -1L)).bytes());
  }

  @Test
  void kp9InitKeyEqualToEncryptionKeyIsRefused() throws Exception {
    assertThat(refused(spec().withInitEqualsEncryption().bytes()))
        .isEqualTo(KeyPackageRule.INIT_KEY);
  }

  @Test
  void kp10TheSameKeyPackageTwiceInOneUploadIsRefused() throws Exception {
    byte[] kp = spec().bytes();
    assertThatThrownBy(() -> validator.checkUpload(List.of(spec().bytes(), kp), kp, alice,
        device.publicKey()))
        .isInstanceOfSatisfying(BadKeyPackageException.class, e -> {
          assertThat(e.rule()).isEqualTo(KeyPackageRule.DISTINCT);
          assertThat(e.where()).isEqualTo("lastResort");
        });
  }

  @Test
  void kp11LeafSignedByAnotherKeyIsRefused() throws Exception {
    byte[] kp = spec().withSigners(other.privateKey(), device.privateKey()).bytes();
    assertThat(refused(kp)).isEqualTo(KeyPackageRule.LEAF_SIGNATURE);
  }

  @Test
  void kp12PackageSignedByAnotherKeyIsRefused() throws Exception {
    byte[] kp = spec().withSigners(device.privateKey(), other.privateKey()).bytes();
    assertThat(refused(kp)).isEqualTo(KeyPackageRule.SIGNATURE);
    // A flipped bit in the signature of an otherwise valid package.
    byte[] flipped = spec().bytes();
    flipped[flipped.length - 1] ^= 1;
    assertThat(refused(flipped)).isEqualTo(KeyPackageRule.SIGNATURE);
  }

  @Test
  void theFailingKeyPackageIsNamedByItsIndex() throws Exception {
    byte[] good = spec().bytes();
    assertThatThrownBy(() -> validator.checkUpload(List.of(good, spec().bytes(), new byte[] {9}),
        spec().bytes(), alice, device.publicKey()))
        .isInstanceOfSatisfying(BadKeyPackageException.class,
            e -> assertThat(e.getMessage()).startsWith("oneTime[2]: KP-1 "));
    assertThat(MLSMessage.fromBytes(good).wireFormat().code()).isEqualTo(5);
  }
}
