package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertRefused;
import static org.quicproquo.mls.compliance.Fixture.assertRejected;
import static org.quicproquo.mls.compliance.Fixture.commitAll;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.RequiredCapabilities;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.UpdatePath;

/**
 * GroupContextExtensions and required_capabilities (RFC 9420 §11.1, §12.1.7, §13.4): a group
 * cannot require or use what a member lacks, and cannot admit a member that lacks what it
 * requires or uses.
 */
class GroupContextExtensionsTest {
  /** A non-default extension type our test members may advertise. */
  private static final int EXT = 0xff00;
  private static final int OTHER_EXT = 0xff01;

  private static final Capabilities WITH_EXT = Fixture.capabilities(List.of(EXT));

  private static Extension requiring(int extensionType) {
    return new RequiredCapabilities(List.of(extensionType), List.of(), List.of()).toExtension();
  }

  private static Proposal gce(Extension... extensions) {
    return new Proposal.GroupContextExtensions(List.of(extensions));
  }

  private static UpdatePath pathOf(Group g) throws Exception {
    CommitResult r = g.commit(List.of());
    g.discardPendingCommit();
    return ((Commit) r.commit().as(PublicMessage.class).content().content()).path();
  }

  @Test
  @DisplayName("§11.1 §12.1.7 a committer refuses GroupContextExtensions requiring an extension a member lacks")
  void committerRefusesUnmetRequirement() throws Exception {
    Fixture.Party p = Fixture.group(3);
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(gce(requiring(EXT)))),
        RejectReason.INVALID_PROPOSAL, p.get(1));
  }

  @Test
  @DisplayName("§11.1 §12.1.7 a commit of GroupContextExtensions requiring an extension a member lacks is rejected")
  void unmetRequirementIsRejected() throws Exception {
    Fixture.Party p = Fixture.group(3);
    MLSMessage c = p.insider(1).commit(new LeafIndex(0), p.signatureKey(0),
        List.of(new ProposalOrRef.ByValue(gce(requiring(EXT)))), pathOf(p.get(0)));
    assertRejected(p.get(1), c, RejectReason.INVALID_PROPOSAL, p.get(2));
  }

  @Test
  @DisplayName("§11.1 §12.1.7 a commit requiring a proposal type a member lacks is refused")
  void unmetProposalRequirement() throws Exception {
    Fixture.Party p = Fixture.group(3);
    Extension req = new RequiredCapabilities(List.of(), List.of(0x0a0a), List.of()).toExtension();
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(gce(req))),
        RejectReason.INVALID_PROPOSAL, p.get(2));
  }

  @Test
  @DisplayName("§11.1 §12.1.7 GroupContextExtensions requiring what every member supports are applied by all")
  void metRequirementIsApplied() throws Exception {
    Fixture.Party p = Fixture.group(3, GroupOptions.defaults(), WITH_EXT);
    commitAll(p.members(), p.get(1), List.of(gce(requiring(EXT), new Extension(EXT,
        new byte[] {42}))));
    assertAgree(p.members());
    for (Group m : p.members()) {
      assertThat(m.groupContext().extensions()).extracting(Extension::extensionType)
          .containsExactly(ExtensionType.REQUIRED_CAPABILITIES, EXT);
    }
  }

  @Test
  @DisplayName("§12.1.7 GroupContextExtensions replace the whole list: an extension left out is gone for everyone")
  void gceReplacesTheWholeList() throws Exception {
    Fixture.Party p = Fixture.group(3, GroupOptions.defaults(), WITH_EXT);
    commitAll(p.members(), p.get(0), List.of(gce(requiring(EXT), new Extension(EXT,
        new byte[] {1}))));
    commitAll(p.members(), p.get(2), List.of(gce(new Extension(EXT, new byte[] {2}))));
    assertAgree(p.members());
    for (Group m : p.members()) {
      assertThat(m.groupContext().extensions()).containsExactly(new Extension(EXT,
          new byte[] {2}));
    }
  }

  @Test
  @DisplayName("§12.1.7 a committer refuses a group extension that a member does not list in its capabilities")
  void committerRefusesUnsupportedExtension() throws Exception {
    Fixture.Party p = Fixture.group(3, GroupOptions.defaults(), WITH_EXT);
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(gce(new Extension(OTHER_EXT,
        new byte[0])))), RejectReason.INVALID_PROPOSAL, p.get(1));
  }

  @Test
  @DisplayName("§12.2 two GroupContextExtensions proposals in one commit are refused")
  void twoGceProposals() throws Exception {
    Fixture.Party p = Fixture.group(3, GroupOptions.defaults(), WITH_EXT);
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(gce(new Extension(EXT, new byte[0])),
        gce())), RejectReason.INVALID_PROPOSAL, p.get(1));
  }

  @Test
  @DisplayName("§12.4 a GroupContextExtensions commit without a path is rejected (path required)")
  void gceWithoutPath() throws Exception {
    Fixture.Party p = Fixture.group(3, GroupOptions.defaults(), WITH_EXT);
    MLSMessage c = p.insider(2).commit(new LeafIndex(0), p.signatureKey(0),
        List.of(new ProposalOrRef.ByValue(gce(new Extension(EXT, new byte[0])))), null);
    assertRejected(p.get(1), c, RejectReason.INVALID_PATH, p.get(2));
  }

  /**
   * Members 0-2 support EXT; member 0 commits required_capabilities(EXT) together with adding
   * eve (who supports it), so eve's Welcome opens the epoch that requires EXT.
   */
  private record Required(Fixture.Party party, Group eve, Insider insider) {}

  private static Required requiringGroup() throws Exception {
    Fixture.Party p = Fixture.group(3, GroupOptions.defaults(), WITH_EXT);
    KeyPackageBundle eve = Fixture.bundle("eve", WITH_EXT);
    CommitResult r = commitAll(p.members(), p.get(0), List.of(gce(requiring(EXT)),
        new Proposal.Add(eve.keyPackage())));
    Group e = Group.join(SUITE, r.welcome().orElseThrow(), eve, Optional.empty(),
        ExternalPsks.none(), GroupOptions.defaults());
    return new Required(p, e, Insider.fromWelcome(r.welcome().orElseThrow(), eve));
  }

  @Test
  @DisplayName("§11.1 §12.2 once required_capabilities is set, adding a member lacking the required extension is refused and rejected")
  void addLackingRequiredExtension() throws Exception {
    Required q = requiringGroup();
    Fixture.Party p = q.party();
    KeyPackageBundle plain = Fixture.bundle("plain");
    assertRefused(p.get(1), () -> p.get(1).commit(List.of(new Proposal.Add(
        plain.keyPackage()))), RejectReason.INVALID_PROPOSAL, q.eve());
    MLSMessage c = q.insider().commit(new LeafIndex(0), p.signatureKey(0),
        List.of(new ProposalOrRef.ByValue(new Proposal.Add(plain.keyPackage()))),
        pathOf(p.get(0)));
    assertRejected(p.get(2), c, RejectReason.INVALID_PROPOSAL, q.eve());
    assertRejected(q.eve(), c, RejectReason.INVALID_PROPOSAL, p.get(1));
  }

  @Test
  @DisplayName("§11.1 §7.3 an Update dropping a capability the group requires is rejected on receipt")
  void updateDroppingARequiredCapability() throws Exception {
    Required q = requiringGroup();
    Fixture.Party p = q.party();
    Group bob = p.get(1);
    LeafNode now = bob.ratchetTree().leaf(new LeafIndex(1));
    LeafNode dropped = new LeafNode(SUITE.generateHpkeKeyPair().publicKey(), now.signatureKey(),
        now.credential(), Group.defaultCapabilities(SUITE, CredentialType.BASIC),
        LeafNodeSource.UPDATE, null, null, List.of(), new byte[0])
        .sign(SUITE, p.signatureKey(1), bob.groupId(), new LeafIndex(1));
    MLSMessage u = q.insider().publicMessage(new LeafIndex(1), p.signatureKey(1),
        new Proposal.Update(dropped), null);
    assertRejected(p.get(2), u, RejectReason.INVALID_PROPOSAL, q.eve());
  }

  @Test
  @DisplayName("§12.1.7 §12.2 a member that does not support a group's extension cannot be added")
  void addLackingAGroupExtension() throws Exception {
    Fixture.Party p = Fixture.group(3, GroupOptions.defaults(), WITH_EXT);
    commitAll(p.members(), p.get(0), List.of(gce(new Extension(EXT, new byte[] {7}))));
    KeyPackageBundle plain = Fixture.bundle("plain");
    assertRefused(p.get(2), () -> p.get(2).commit(List.of(new Proposal.Add(
        plain.keyPackage()))), RejectReason.INVALID_PROPOSAL, p.get(0));
    // With support it works.
    KeyPackageBundle fine = Fixture.bundle("fine", WITH_EXT);
    CommitResult r = commitAll(p.members(), p.get(2), List.of(new Proposal.Add(
        fine.keyPackage())));
    Group f = Group.join(SUITE, r.welcome().orElseThrow(), fine, Optional.empty(),
        ExternalPsks.none(), GroupOptions.defaults());
    assertAgree(List.of(p.get(0), p.get(1), p.get(2), f));
  }
}
