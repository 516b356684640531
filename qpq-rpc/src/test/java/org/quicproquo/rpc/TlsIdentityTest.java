package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
      ZoneOffset.UTC);

  @Test
  void generatesSelfSignedP256CertificateValidFromClock() throws Exception {
    TlsIdentity id = TlsIdentity.generate("chat.example.org", new SecureRandom(), CLOCK);
    assertThat(id.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(id.certificate().getSubjectX500Principal().getName()).isEqualTo(
        "CN=chat.example.org");
    id.certificate().verify(id.certificate().getPublicKey());
    id.certificate().checkValidity(java.util.Date.from(CLOCK.instant()));
    assertThat(id.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void pemRoundTripKeepsFingerprintAndKey() {
    TlsIdentity id = TlsIdentity.generate("a", new SecureRandom(), CLOCK);
    TlsIdentity back = TlsIdentity.fromPem(id.certificatePem(), id.privateKeyPem());
    assertThat(back.fingerprint()).isEqualTo(id.fingerprint());
    assertThat(back.privateKey().getEncoded()).isEqualTo(id.privateKey().getEncoded());
    assertThat(id.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(id.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void saveAndLoadWithOwnerOnlyKeyFile(@TempDir Path dir) throws Exception {
    TlsIdentity id = TlsIdentity.generate("a", new SecureRandom(), CLOCK);
    Path cert = dir.resolve("tls/cert.pem");
    Path key = dir.resolve("tls/key.pem");
    id.save(cert, key);
    assertThat(TlsIdentity.load(cert, key).fingerprint()).isEqualTo(id.fingerprint());
    assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void refusesKeyOfAnotherCertificate() {
    TlsIdentity a = TlsIdentity.generate("a", new SecureRandom(), CLOCK);
    TlsIdentity b = TlsIdentity.generate("b", new SecureRandom(), CLOCK);
    assertThatThrownBy(() -> TlsIdentity.fromPem(a.certificatePem(), b.privateKeyPem()))
        .isInstanceOf(RpcException.class)
        .extracting(e -> ((RpcException) e).code()).isEqualTo(RpcErrors.INVALID_IDENTITY);
  }

  @Test
  void refusesWrongPemKinds() {
    TlsIdentity a = TlsIdentity.generate("a", new SecureRandom(), CLOCK);
    assertThatThrownBy(() -> TlsIdentity.fromPem(a.privateKeyPem(), a.privateKeyPem()))
        .isInstanceOf(RpcException.class);
    assertThatThrownBy(() -> TlsIdentity.fromPem("not pem", a.privateKeyPem()))
        .isInstanceOf(RpcException.class);
  }

  @Test
  void fingerprintParsesItsHexAndOpensslForm() {
    TlsIdentity a = TlsIdentity.generate("a", new SecureRandom(), CLOCK);
    CertificateFingerprint fp = a.fingerprint();
    assertThat(CertificateFingerprint.parse(fp.hex())).isEqualTo(fp);
    String openssl = fp.hex().toUpperCase().replaceAll("(..)(?!$)", "$1:");
    assertThat(CertificateFingerprint.parse(openssl)).isEqualTo(fp);
    assertThatThrownBy(() -> CertificateFingerprint.parse("abcd"))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] raw = fp.sha256();
    raw[0] ^= 1;
    assertThat(fp.sha256()).isNotEqualTo(raw);
  }
}
