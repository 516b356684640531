package org.quicproquo.mls.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.crypto.HpkeExport;
import org.quicproquo.mls.message.GroupContext;

class KeyScheduleTest {
  private static GroupContext context(CipherSuite cs, long epoch) {
    return new GroupContext(cs.id(), new byte[] {1, 2, 3}, epoch, new byte[cs.hashLength()],
        new byte[cs.hashLength()], List.of());
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void externalInitAgreesOnBothSides(CipherSuiteId id) throws Exception {
    CipherSuite cs = CipherSuites.of(id, new SecureRandom());
    KeySchedule ks = new KeySchedule(cs);
    EpochSecrets s = ks.advance(ks.randomInitSecret(), ks.zero(), ks.zero(), context(cs, 0));
    HpkeExport joiner = ks.externalInitSender(ks.externalPub(s.externalSecret()));
    assertThat(ks.externalInitReceiver(s.externalSecret(), joiner.kemOutput()))
        .isEqualTo(joiner.secret())
        .hasSize(cs.hashLength());
    assertThatThrownBy(() -> ks.externalInitReceiver(s.externalSecret(), new byte[3]))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void epochsChainAndDiffer() {
    CipherSuite cs = CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
        new SecureRandom());
    KeySchedule ks = new KeySchedule(cs);
    byte[] init = ks.randomInitSecret();
    EpochSecrets e0 = ks.advance(init, ks.zero(), ks.zero(), context(cs, 0));
    EpochSecrets e1 = ks.advance(e0.initSecret(), cs.randomBytes(32), ks.zero(), context(cs, 1));
    assertThat(e1.encryptionSecret()).isNotEqualTo(e0.encryptionSecret());
    assertThat(ks.fromJoinerSecret(e1.joinerSecret(), ks.zero(), context(cs, 1))).isEqualTo(e1);
    // a different GroupContext gives a different epoch
    assertThat(ks.fromJoinerSecret(e1.joinerSecret(), ks.zero(), context(cs, 2))).isNotEqualTo(e1);
    assertThat(ks.welcomeKey(e1.welcomeSecret())).hasSize(cs.aeadKeyLength());
    assertThat(ks.welcomeNonce(e1.welcomeSecret())).hasSize(cs.aeadNonceLength());
    assertThat(ks.export(e1.exporterSecret(), "qpq file key", new byte[] {7}, 32))
        .hasSize(32)
        .isNotEqualTo(ks.export(e1.exporterSecret(), "qpq call key", new byte[] {7}, 32));
    assertThat(e1.withoutWelcomeSecrets().joinerSecret()).isEmpty();
    assertThat(e1.toString()).doesNotContain(java.util.HexFormat.of().formatHex(e1.initSecret()));
  }

  @Test
  void epochSecretsEncodingRoundTrips() throws DecodeException {
    CipherSuite cs = CipherSuites.of(CipherSuiteId.MLS_256_DHKEMP384_AES256GCM_SHA384_P384,
        new SecureRandom());
    KeySchedule ks = new KeySchedule(cs);
    EpochSecrets s = ks.advance(ks.randomInitSecret(), ks.zero(), ks.zero(), context(cs, 0));
    assertThat(TlsReader.decodeAll(s.toBytes(), EpochSecrets::decode)).isEqualTo(s);
  }
}
