package org.quicproquo.mls.compliance;

import static org.quicproquo.mls.compliance.Fixture.SUITE;

import java.util.List;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.framing.ContentSignature;
import org.quicproquo.mls.framing.MembershipTag;
import org.quicproquo.mls.framing.WelcomeProtection;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.Content;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.ProposalRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.SenderData;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.RatchetType;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.schedule.SenderDataKey;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.UpdatePath;

/**
 * A hostile member: everything a joiner legitimately learns about the epoch it joined from its
 * Welcome (joiner_secret, hence membership key, sender-data and encryption secrets, §8), derived
 * with public API only, and used to build messages an honest {@code Group} would never send but
 * a member of the group could. Receivers must reject them on the protocol rule they break, not
 * on a framing check, so they are signed and tagged correctly.
 */
final class Insider {
  private final GroupContext context;
  private final EpochSecrets secrets;
  private final int leafCount;

  private Insider(GroupContext context, EpochSecrets secrets, int leafCount) {
    this.context = context;
    this.secrets = secrets;
    this.leafCount = leafCount;
  }

  /** The epoch {@code welcome} opens, as {@code joiner} derives it (§12.4.3.1; no PSKs). */
  static Insider fromWelcome(Welcome welcome, KeyPackageBundle joiner) throws MlsException {
    GroupSecrets gs = WelcomeProtection.openGroupSecrets(SUITE, welcome,
        joiner.keyPackage().ref(SUITE), joiner.initPrivateKey());
    KeySchedule ks = new KeySchedule(SUITE);
    byte[] welcomeSecret = ks.welcomeSecret(gs.joinerSecret(), ks.zero());
    GroupInfo gi = WelcomeProtection.openGroupInfo(SUITE, welcome, welcomeSecret);
    RatchetTree tree = RatchetTree.decode(SUITE,
        gi.extension(ExtensionType.RATCHET_TREE).orElseThrow().extensionData());
    return new Insider(gi.groupContext(), ks.fromJoinerSecret(gs.joinerSecret(), ks.zero(),
        gi.groupContext()), tree.leafCount());
  }

  GroupContext context() {
    return context;
  }

  /** A PublicMessage of this epoch from member {@code from}, signed and membership-tagged. */
  MLSMessage publicMessage(LeafIndex from, byte[] signatureKey, Content content,
      byte[] confirmationTag) throws MlsException {
    AuthenticatedContent ac = signed(WireFormat.MLS_PUBLIC_MESSAGE, from, signatureKey, content,
        confirmationTag);
    byte[] tag = MembershipTag.compute(SUITE, secrets.membershipKey(), ac, context);
    return MLSMessage.of(new PublicMessage(ac.content(), ac.auth(), tag));
  }

  /**
   * A Commit of this epoch from {@code from}. Its confirmation tag is a placeholder: the rules
   * these tests break are checked before the tag can be (the tag needs the new epoch's secrets).
   */
  MLSMessage commit(LeafIndex from, byte[] signatureKey, List<ProposalOrRef> proposals,
      UpdatePath path) throws MlsException {
    return publicMessage(from, signatureKey, new Commit(proposals, path),
        new byte[SUITE.hashLength()]);
  }

  AuthenticatedContent signed(WireFormat wf, LeafIndex from, byte[] signatureKey,
      Content content, byte[] confirmationTag) throws MlsException {
    FramedContent fc = new FramedContent(context.groupId(), context.epoch(), Sender.member(from),
        new byte[0], content);
    byte[] sig = ContentSignature.sign(SUITE, wf, fc, context, signatureKey);
    return new AuthenticatedContent(wf, fc, new FramedContentAuthData(sig, confirmationTag));
  }

  /** The reference (§5.2) receivers compute for a proposal sent as PublicMessage. */
  static ProposalRef refOf(MLSMessage proposal) throws MlsException {
    PublicMessage pm = proposal.as(PublicMessage.class);
    return ProposalRef.of(SUITE, new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE,
        pm.content(), pm.auth()));
  }

  /**
   * The key and nonce of {@code leaf}'s {@code generation} in this epoch's secret tree (§9), from
   * a fresh tree: as the sender derives it, whatever receivers already consumed.
   */
  RatchetKey key(LeafIndex leaf, RatchetType type, long generation) throws MlsException {
    return new SecretTree(SUITE, secrets.encryptionSecret(), leafCount)
        .receiveKey(leaf, type, generation);
  }

  /**
   * A PrivateMessage (§6.3) of this epoch whose content ciphertext is {@code plaintext} sealed
   * under {@code key} with {@code reuseGuard}, and whose sender data claims {@code leaf} and
   * {@code generation} (which need not match the key: that is the point of some tests).
   */
  PrivateMessage privateMessage(ContentType type, LeafIndex leaf, long generation,
      byte[] reuseGuard, RatchetKey key, byte[] plaintext) throws MlsException {
    byte[] aad = new TlsWriter().opaque(context.groupId()).u64(context.epoch()).u8(type.code())
        .opaque(new byte[0]).toByteArray();
    byte[] nonce = key.nonce();
    for (int i = 0; i < reuseGuard.length; i++) {
      nonce[i] ^= reuseGuard[i];
    }
    byte[] ciphertext = SUITE.aeadSeal(key.key(), nonce, aad, plaintext);
    SenderDataKey sdk = SenderDataKey.derive(SUITE, secrets.senderDataSecret(), ciphertext);
    byte[] sdAad = new TlsWriter().opaque(context.groupId()).u64(context.epoch())
        .u8(type.code()).toByteArray();
    byte[] encryptedSenderData = SUITE.aeadSeal(sdk.key(), sdk.nonce(), sdAad,
        new SenderData(leaf, generation, reuseGuard).toBytes());
    return new PrivateMessage(context.groupId(), context.epoch(), type, new byte[0],
        encryptedSenderData, ciphertext);
  }
}
