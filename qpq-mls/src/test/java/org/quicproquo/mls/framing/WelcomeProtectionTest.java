package org.quicproquo.mls.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupInfoTBS;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.PathSecret;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.Lifetime;

class WelcomeProtectionTest {
  private final CipherSuite suite =
      CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, new SecureRandom());
  private final KeySchedule ks = new KeySchedule(suite);
  private final SignatureKeyPair committer = suite.generateSignatureKeyPair();

  private KeyPackage keyPackage(HpkeKeyPair init) {
    LeafNode leaf = new LeafNode(suite.generateHpkeKeyPair().publicKey(),
        suite.generateSignatureKeyPair().publicKey(), new Credential.Basic(new byte[] {1}),
        new Capabilities(List.of(1), List.of(1), List.of(), List.of(), List.of(1)),
        LeafNodeSource.KEY_PACKAGE, new Lifetime(0, Long.MAX_VALUE), null, List.of(), new byte[] {0});
    return new KeyPackage(1, suite.id(), init.publicKey(), leaf, List.of(), new byte[] {0});
  }

  @Test
  void joinerOpensWhatTheCommitterSealed() throws Exception {
    byte[] joiner = suite.randomBytes(32);
    GroupContext ctx = new GroupContext(suite.id(), new byte[] {5}, 1, suite.randomBytes(32),
        suite.randomBytes(32), List.of());
    EpochSecrets epoch = ks.fromJoinerSecret(joiner, ks.zero(), ctx);
    byte[] tag = TranscriptHash.confirmationTag(suite, epoch.confirmationKey(),
        ctx.confirmedTranscriptHash());
    GroupInfo gi = GroupInfo.sign(suite, new GroupInfoTBS(ctx, List.of(), tag, LeafIndex.of(0)),
        committer.privateKey());
    HpkeKeyPair initA = suite.generateHpkeKeyPair();
    HpkeKeyPair initB = suite.generateHpkeKeyPair();
    KeyPackage a = keyPackage(initA);
    KeyPackage b = keyPackage(initB);
    GroupSecrets forB = new GroupSecrets(joiner, new PathSecret(new byte[] {3}), List.of());
    Welcome w = WelcomeProtection.seal(suite, gi, ks.welcomeSecret(joiner, ks.zero()), List.of(
        new WelcomeProtection.NewMember(a, new GroupSecrets(joiner, null, List.of())),
        new WelcomeProtection.NewMember(b, forB)));

    GroupSecrets got = WelcomeProtection.openGroupSecrets(suite, w, b.ref(suite), initB.privateKey());
    assertThat(got).isEqualTo(forB);
    GroupInfo opened = WelcomeProtection.openGroupInfo(suite, w,
        ks.welcomeSecret(got.joinerSecret(), ks.zero()));
    assertThat(opened).isEqualTo(gi);
    WelcomeProtection.verifyGroupInfo(suite, opened, committer.publicKey(),
        ks.fromJoinerSecret(got.joinerSecret(), ks.zero(), opened.groupContext()).confirmationKey());

    assertThatThrownBy(() -> WelcomeProtection.openGroupSecrets(suite, w, b.ref(suite),
        initA.privateKey())).isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.DECRYPTION_FAILED));
    KeyPackage stranger = keyPackage(suite.generateHpkeKeyPair());
    assertThatThrownBy(() -> WelcomeProtection.openGroupSecrets(suite, w, stranger.ref(suite),
        initA.privateKey())).isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.NOT_ADDRESSED_TO_US));
    assertThatThrownBy(() -> WelcomeProtection.verifyGroupInfo(suite, opened,
        suite.generateSignatureKeyPair().publicKey(), epoch.confirmationKey()))
        .isInstanceOfSatisfying(FramingException.class, e -> assertThat(e.reason())
            .isEqualTo(FramingException.Reason.BAD_GROUP_INFO_SIGNATURE));
    assertThatThrownBy(() -> WelcomeProtection.verifyGroupInfo(suite, opened,
        committer.publicKey(), new byte[32])).isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.BAD_CONFIRMATION_TAG));
  }
}
