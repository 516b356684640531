package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertJoinRejected;
import static org.quicproquo.mls.compliance.Fixture.assertStillWorks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.framing.WelcomeProtection;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.MessageRejectedException;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupInfoTBS;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.PathSecret;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.RatchetTree;

/**
 * Welcome processing (RFC 9420 §12.4.3.1): each check a joiner makes, with a Welcome that breaks
 * exactly that check. Tampered Welcomes are rebuilt the way a hostile committer would: the
 * joiner's GroupSecrets and GroupInfo opened, changed, re-signed with the committer's key and
 * sealed again. After every rejection the genuine Welcome still works with the same
 * KeyPackage (a failed join leaves nothing behind to corrupt).
 */
class WelcomeTest {
  private KeyPackageBundle aliceKp;
  private KeyPackageBundle bobKp;
  private Group alice;
  private CommitResult added;

  @BeforeEach
  void setUp() throws Exception {
    aliceKp = Fixture.bundle("alice");
    bobKp = Fixture.bundle("bob");
    alice = Group.create(SUITE, "welcome-tests".getBytes(StandardCharsets.UTF_8), aliceKp,
        List.of(), GroupOptions.defaults());
    added = alice.commit(List.of(new Proposal.Add(Fixture.bundle("carol").keyPackage()),
        new Proposal.Add(bobKp.keyPackage())));
    alice.mergePendingCommit();
  }

  private Welcome welcome() {
    return added.welcome().orElseThrow();
  }

  /** The genuine Welcome still brings bob in, in agreement with alice. */
  private void assertGenuineWelcomeWorks() throws Exception {
    Group bob = Group.join(SUITE, welcome(), bobKp, Optional.empty(), ExternalPsks.none(),
        GroupOptions.defaults());
    assertAgree(List.of(alice, bob));
    assertStillWorks(bob, alice);
  }

  private record Opened(GroupSecrets secrets, GroupInfo info, byte[] welcomeSecret) {}

  private Opened open(Welcome w, KeyPackageBundle b) throws Exception {
    GroupSecrets gs = WelcomeProtection.openGroupSecrets(SUITE, w, b.keyPackage().ref(SUITE),
        b.initPrivateKey());
    KeySchedule ks = new KeySchedule(SUITE);
    byte[] ws = ks.welcomeSecret(gs.joinerSecret(), ks.zero());
    return new Opened(gs, WelcomeProtection.openGroupInfo(SUITE, w, ws), ws);
  }

  private Welcome reseal(GroupInfo gi, GroupSecrets gs, byte[] welcomeSecret) throws Exception {
    return WelcomeProtection.seal(SUITE, gi, welcomeSecret,
        List.of(new WelcomeProtection.NewMember(bobKp.keyPackage(), gs)));
  }

  private static GroupInfo signed(GroupInfoTBS tbs, KeyPackageBundle signer) throws Exception {
    return GroupInfo.sign(SUITE, tbs, signer.signatureKeyPair().privateKey());
  }

  private static List<Extension> withTree(List<Extension> exts, byte[] tree) {
    List<Extension> out = new ArrayList<>();
    for (Extension e : exts) {
      out.add(e.extensionType() == ExtensionType.RATCHET_TREE
          ? new Extension(ExtensionType.RATCHET_TREE, tree) : e);
    }
    return out;
  }

  @Test
  @DisplayName("§12.4.3.1 a Welcome that holds no GroupSecrets for the joiner's KeyPackage is rejected")
  void welcomeForAnotherKeyPackage() throws Exception {
    assertJoinRejected(welcome(), Fixture.bundle("stranger"), ExternalPsks.none(),
        RejectReason.INVALID_WELCOME);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 a Welcome opened with the right KeyPackage but another init private key is rejected")
  void wrongInitPrivateKey() throws Exception {
    KeyPackageBundle wrong = new KeyPackageBundle(bobKp.keyPackage(),
        SUITE.generateHpkeKeyPair().privateKey(), bobKp.encryptionPrivateKey(),
        bobKp.signatureKeyPair());
    assertJoinRejected(welcome(), wrong, ExternalPsks.none(), RejectReason.INVALID_WELCOME);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 a Welcome claiming another cipher suite than the joiner's is rejected")
  void welcomeOfAnotherSuite() throws Exception {
    Welcome w = welcome();
    Welcome other = new Welcome(CipherSuiteId.MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519,
        w.secrets(), w.encryptedGroupInfo());
    assertJoinRejected(other, bobKp, ExternalPsks.none(), RejectReason.INVALID_WELCOME);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 §8.4 a Welcome naming an external PSK the joiner lacks is rejected as MISSING_PSK; with it the joiner agrees")
  void missingPsk() throws Exception {
    byte[] id = "welcome psk".getBytes(StandardCharsets.UTF_8);
    byte[] secret = SUITE.randomBytes(32);
    alice.addExternalPsk(id, secret);
    KeyPackageBundle dave = Fixture.bundle("dave");
    CommitResult r = alice.commit(List.of(new Proposal.PreSharedKey(
        new PreSharedKeyId.External(id, SUITE.randomBytes(32))),
        new Proposal.Add(dave.keyPackage())));
    alice.mergePendingCommit();
    Welcome w = r.welcome().orElseThrow();
    assertJoinRejected(w, dave, ExternalPsks.none(), RejectReason.MISSING_PSK);
    assertJoinRejected(w, dave, ExternalPsks.none().with(id, SUITE.randomBytes(32)),
        RejectReason.INVALID_WELCOME);
    Group d = Group.join(SUITE, w, dave, Optional.empty(), ExternalPsks.none().with(id, secret),
        GroupOptions.defaults());
    assertAgree(List.of(alice, d));
  }

  @Test
  @DisplayName("§12.4.3.1 a GroupInfo whose signature does not verify is rejected")
  void badGroupInfoSignature() throws Exception {
    Opened o = open(welcome(), bobKp);
    byte[] sig = o.info().signature();
    sig[sig.length / 2] ^= 1;
    GroupInfo gi = new GroupInfo(o.info().groupContext(), o.info().extensions(),
        o.info().confirmationTag(), o.info().signer(), sig);
    assertJoinRejected(reseal(gi, o.secrets(), o.welcomeSecret()), bobKp, ExternalPsks.none(),
        RejectReason.BAD_SIGNATURE);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 a GroupInfo naming a signer leaf that is not a member is rejected")
  void groupInfoSignerNotAMember() throws Exception {
    Opened o = open(welcome(), bobKp);
    GroupInfoTBS tbs = new GroupInfoTBS(o.info().groupContext(), o.info().extensions(),
        o.info().confirmationTag(), new LeafIndex(3));
    assertJoinRejected(reseal(signed(tbs, aliceKp), o.secrets(), o.welcomeSecret()), bobKp,
        ExternalPsks.none(), RejectReason.BAD_SIGNATURE);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 a tampered confirmation tag, even re-signed by the committer, is rejected")
  void tamperedConfirmationTag() throws Exception {
    Opened o = open(welcome(), bobKp);
    byte[] tag = o.info().confirmationTag();
    tag[0] ^= 1;
    GroupInfoTBS tbs = new GroupInfoTBS(o.info().groupContext(), o.info().extensions(), tag,
        o.info().signer());
    assertJoinRejected(reseal(signed(tbs, aliceKp), o.secrets(), o.welcomeSecret()), bobKp,
        ExternalPsks.none(), RejectReason.BAD_CONFIRMATION_TAG);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 §7.8 a valid ratchet tree that does not match the GroupContext's tree hash is rejected")
  void treeNotMatchingTheTreeHash() throws Exception {
    Opened o = open(welcome(), bobKp);
    // A structurally valid tree with valid parent hashes: the group's tree one commit later.
    Group later = Group.restore(alice.save(), new java.security.SecureRandom());
    later.commit(List.of());
    later.mergePendingCommit();
    GroupInfoTBS tbs = new GroupInfoTBS(o.info().groupContext(),
        withTree(o.info().extensions(), later.ratchetTree().encode()),
        o.info().confirmationTag(), o.info().signer());
    Welcome w = reseal(signed(tbs, aliceKp), o.secrets(), o.welcomeSecret());
    assertThatThrownBy(() -> Group.join(SUITE, w, bobKp, Optional.empty(), ExternalPsks.none(),
        GroupOptions.defaults()))
        .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
          assertThat(e.reason()).isEqualTo(RejectReason.INVALID_TREE);
          assertThat(e.getMessage()).contains("tree hash");
        });
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 GroupSecrets whose path_secret does not match the tree are rejected")
  void pathSecretNotMatchingTheTree() throws Exception {
    Opened o = open(welcome(), bobKp);
    GroupSecrets gs = new GroupSecrets(o.secrets().joinerSecret(),
        new PathSecret(SUITE.randomBytes(SUITE.hashLength())), o.secrets().psks());
    assertJoinRejected(reseal(o.info(), gs, o.welcomeSecret()), bobKp, ExternalPsks.none(),
        RejectReason.INVALID_WELCOME);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 §8 GroupSecrets with a joiner_secret of another epoch fail the confirmation tag")
  void joinerSecretOfAnotherEpoch() throws Exception {
    Opened o = open(welcome(), bobKp);
    byte[] joiner = SUITE.randomBytes(SUITE.hashLength());
    KeySchedule ks = new KeySchedule(SUITE);
    byte[] ws = ks.welcomeSecret(joiner, ks.zero());
    GroupSecrets gs = new GroupSecrets(joiner, o.secrets().pathSecret(), o.secrets().psks());
    assertJoinRejected(reseal(o.info(), gs, ws), bobKp, ExternalPsks.none(),
        RejectReason.BAD_CONFIRMATION_TAG);
    assertGenuineWelcomeWorks();
  }

  @Test
  @DisplayName("§12.4.3.1 a GroupInfo re-signed by a member other than the committer puts the path secret at the wrong node and is rejected")
  void groupInfoResignedByAnotherMember() throws Exception {
    // Five members in an 8-leaf tree: the committer (leaf 0) and joiner 1 meet at node 1, while
    // member 4 and joiner 1 meet only at the root, where the path secret then does not fit.
    Fixture.Party p = Fixture.group(5);
    KeyPackageBundle joiner = p.bundles().get(1);
    Opened o = open(p.welcome(), joiner);
    GroupInfoTBS tbs = new GroupInfoTBS(o.info().groupContext(), o.info().extensions(),
        o.info().confirmationTag(), new LeafIndex(4));
    Welcome forged = WelcomeProtection.seal(SUITE, signed(tbs, p.bundles().get(4)),
        o.welcomeSecret(), List.of(new WelcomeProtection.NewMember(joiner.keyPackage(),
            o.secrets())));
    assertJoinRejected(forged, joiner, ExternalPsks.none(), RejectReason.INVALID_WELCOME);
    Group genuine = Group.join(SUITE, p.welcome(), joiner, Optional.empty(), ExternalPsks.none(),
        GroupOptions.defaults());
    assertAgree(List.of(p.get(0), genuine));
  }

  @Test
  @DisplayName("§12.4.3.1 without a ratchet_tree extension the joiner needs the tree out of band, and it must be the right one")
  void outOfBandTree() throws Exception {
    GroupOptions noTree = new GroupOptions(false, false, 0);
    KeyPackageBundle a = Fixture.bundle("a");
    KeyPackageBundle b = Fixture.bundle("b");
    Group ga = Group.create(SUITE, "no-tree".getBytes(StandardCharsets.UTF_8), a, List.of(),
        noTree);
    CommitResult r = ga.commit(List.of(new Proposal.Add(b.keyPackage())));
    ga.mergePendingCommit();
    Welcome w = r.welcome().orElseThrow();
    assertThat(open(w, b).info().extension(ExtensionType.RATCHET_TREE)).isEmpty();
    assertJoinRejected(w, b, ExternalPsks.none(), RejectReason.INVALID_WELCOME);
    RatchetTree stale = Group.create(SUITE, "x".getBytes(StandardCharsets.UTF_8),
        Fixture.bundle("x"), List.of(), noTree).ratchetTree();
    assertThatThrownBy(() -> Group.join(SUITE, w, b, Optional.of(stale), ExternalPsks.none(),
        noTree)).isInstanceOfSatisfying(MessageRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_TREE));
    Group gb = Group.join(SUITE, w, b, Optional.of(ga.ratchetTree()), ExternalPsks.none(),
        noTree);
    assertAgree(List.of(ga, gb));
    assertStillWorks(gb, ga);
  }
}
