package org.quicproquo.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeviceCertificateTest {
  private final SecureRandom random = new SecureRandom();
  private final IdentityKeyPair identity = IdentityKeyPair.generate(random);
  private final DevicePublicKey device = DeviceKeyPair.generate(random).publicKey();
  private final UserName alice = new UserName("alice@example.org");

  @Test
  void issuedCertificateVerifiesWithTheIdentityKeyOnly() {
    DeviceCertificate cert = DeviceCertificate.issue(identity, alice, device, Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(cert.verify(identity.publicKey())).isTrue();
    assertThat(cert.verify(IdentityKeyPair.generate(random).publicKey())).isFalse();
  }

  @Test
  void signedLayoutIsAsDocumented() {
    Instant at = Instant.ofEpochMilli(0x0102030405L);
    byte[] tbs = DeviceCertificate.toBeSigned(alice, device, at);
    byte[] name = alice.toBytes();
    ByteBuffer expected = ByteBuffer.allocate(28 + 1 + name.length + 32 + 8);
    expected.put("qpq/device-certificate/v1".getBytes()).put(new byte[3]);
    expected.put((byte) name.length).put(name).put(device.bytes()).putLong(0x0102030405L);
    assertThat(tbs).isEqualTo(expected.array());
    assertThat(identity.publicKey().verify(tbs, DeviceCertificate.issue(identity, alice, device, at).signature()))
        .isTrue();
  }

  @Test
  void issueTruncatesToMilliseconds() {
    DeviceCertificate cert = DeviceCertificate.issue(identity, alice, device, Instant.ofEpochSecond(10, 123_456_789));
    assertThat(cert.createdAt()).isEqualTo(Instant.ofEpochMilli(10_123));
    assertThat(cert.verify(identity.publicKey())).isTrue();
  }

  @Test
  void changingAnyFieldBreaksTheSignature() throws Exception {
    DeviceCertificate cert = DeviceCertificate.issue(identity, alice, device, Instant.ofEpochMilli(5));
    assertThat(new DeviceCertificate(new UserName("mallory@example.org"), device, cert.createdAt(), cert.signature())
        .verify(identity.publicKey())).isFalse();
    assertThat(new DeviceCertificate(alice, DeviceKeyPair.generate(random).publicKey(), cert.createdAt(),
        cert.signature()).verify(identity.publicKey())).isFalse();
    assertThat(new DeviceCertificate(alice, device, Instant.ofEpochMilli(6), cert.signature())
        .verify(identity.publicKey())).isFalse();
  }

  @Test
  void encodeDecodeRoundTrip() throws Exception {
    DeviceCertificate cert = DeviceCertificate.issue(identity, alice, device, Instant.ofEpochMilli(42));
    DeviceCertificate decoded = DeviceCertificate.decode(cert.encode());
    assertThat(decoded).isEqualTo(cert);
    assertThat(decoded.verify(identity.publicKey())).isTrue();
  }

  @Test
  void decodeRejectsMalformedInput() {
    byte[] good = DeviceCertificate.issue(identity, alice, device, Instant.ofEpochMilli(42)).encode();
    assertThatThrownBy(() -> DeviceCertificate.decode(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(InvalidIdentityException.class);
    assertThatThrownBy(() -> DeviceCertificate.decode(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(InvalidIdentityException.class);
    byte[] label = good.clone();
    label[0] ^= 1;
    assertThatThrownBy(() -> DeviceCertificate.decode(label)).hasMessageContaining("label");
    byte[] upper = good.clone();
    upper[29] = 'A';
    assertThatThrownBy(() -> DeviceCertificate.decode(upper)).isInstanceOf(InvalidIdentityException.class);
    byte[] negative = good.clone();
    negative[29 + alice.toBytes().length + 32] = (byte) 0x80;
    assertThatThrownBy(() -> DeviceCertificate.decode(negative)).hasMessageContaining("negative");
    assertThatThrownBy(() -> DeviceCertificate.decode(new byte[0])).isInstanceOf(InvalidIdentityException.class);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      assertThatThrownBy(() -> DeviceCertificate.decode(junk)).isInstanceOf(InvalidIdentityException.class);
    }
  }
}
