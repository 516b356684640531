package org.quicproquo.mls.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.message.ApplicationData;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.Content;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.LeafIndex;

class FramingTest {
  private final CipherSuite suite =
      CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, new SecureRandom());
  private final SignatureKeyPair signer = suite.generateSignatureKeyPair();
  private final GroupContext ctx = new GroupContext(suite.id(), new byte[] {7}, 3, new byte[32],
      new byte[32], List.of());
  private final byte[] membershipKey = suite.randomBytes(32);
  private final byte[] senderDataSecret = suite.randomBytes(32);

  private final byte[] encryptionSecret = suite.randomBytes(32);

  /** A fresh view of the epoch's secret tree, as a sender or a receiver would hold it. */
  private MessageKeySource keys() {
    return MessageKeySource.of(new SecretTree(suite, encryptionSecret, 2));
  }

  private AuthenticatedContent signed(WireFormat wf, Content content, byte[] confirmationTag)
      throws Exception {
    FramedContent fc = new FramedContent(ctx.groupId(), ctx.epoch(), Sender.member(LeafIndex.of(1)),
        new byte[] {42}, content);
    byte[] sig = ContentSignature.sign(suite, wf, fc, ctx, signer.privateKey());
    return new AuthenticatedContent(wf, fc, new FramedContentAuthData(sig, confirmationTag));
  }

  @Test
  void publicMessageRoundTripChecksMembershipTagAndSignature() throws Exception {
    AuthenticatedContent ac = signed(WireFormat.MLS_PUBLIC_MESSAGE, new Proposal.Remove(0), null);
    PublicMessage pm = PublicMessageProtection.protect(suite, ac, ctx, membershipKey);
    AuthenticatedContent back = PublicMessageProtection.unprotect(suite, pm, ctx, membershipKey);
    assertThat(back).isEqualTo(ac);
    assertThat(ContentSignature.verify(suite, back, ctx, signer.publicKey())).isTrue();

    assertThatThrownBy(() -> PublicMessageProtection.unprotect(suite, pm, ctx, new byte[32]))
        .isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.BAD_MEMBERSHIP_TAG));
    GroupContext other = new GroupContext(suite.id(), new byte[] {7}, 3, new byte[32],
        new byte[] {1}, List.of());
    assertThat(ContentSignature.verify(suite, back, other, signer.publicKey())).isFalse();
  }

  @Test
  void applicationDataIsNeverPublic() throws Exception {
    AuthenticatedContent ac =
        signed(WireFormat.MLS_PUBLIC_MESSAGE, new ApplicationData(new byte[] {1}), null);
    assertThatThrownBy(() -> PublicMessageProtection.protect(suite, ac, ctx, membershipKey))
        .isInstanceOfSatisfying(FramingException.class, e -> assertThat(e.reason())
            .isEqualTo(FramingException.Reason.APPLICATION_IN_PUBLIC_MESSAGE));
  }

  @Test
  void privateMessageRoundTripForEveryContentType() throws Exception {
    List<Content> contents = List.of(new ApplicationData(new byte[] {1, 2, 3}),
        new Proposal.Remove(0), new Commit(List.of(), null));
    for (Content c : contents) {
      byte[] tag = c instanceof Commit ? new byte[] {9} : null;
      AuthenticatedContent ac = signed(WireFormat.MLS_PRIVATE_MESSAGE, c, tag);
      PrivateMessage pm = PrivateMessageProtection.protect(suite, ac, senderDataSecret, keys(),
          suite.randomBytes(4), 17);
      AuthenticatedContent back =
          PrivateMessageProtection.unprotect(suite, pm, senderDataSecret, keys());
      assertThat(back).isEqualTo(ac);
      assertThat(ContentSignature.verify(suite, back, ctx, signer.publicKey())).isTrue();
    }
  }

  @Test
  void tamperedPrivateMessageFailsToDecrypt() throws Exception {
    AuthenticatedContent ac =
        signed(WireFormat.MLS_PRIVATE_MESSAGE, new ApplicationData(new byte[] {1}), null);
    PrivateMessage pm = PrivateMessageProtection.protect(suite, ac, senderDataSecret,
        keys(), suite.randomBytes(4), 0);
    PrivateMessage otherAad = new PrivateMessage(pm.groupId(), pm.epoch(), pm.contentType(),
        new byte[] {43}, pm.encryptedSenderData(), pm.ciphertext());
    assertThatThrownBy(() -> PrivateMessageProtection.unprotect(suite, otherAad, senderDataSecret,
        keys())).isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.DECRYPTION_FAILED));
    assertThatThrownBy(() -> PrivateMessageProtection.unprotect(suite, pm, new byte[32],
        keys())).isInstanceOf(FramingException.class);
  }

  /** A forged PrivateMessage (valid sender data, content failing AEAD) must not burn a key. */
  @Test
  void forgedPrivateMessageLeavesTheSecretTreeUnchanged() throws Exception {
    AuthenticatedContent ac =
        signed(WireFormat.MLS_PRIVATE_MESSAGE, new ApplicationData(new byte[] {1}), null);
    MessageKeySource sender = keys();
    PrivateMessage first = PrivateMessageProtection.protect(suite, ac, senderDataSecret, sender,
        suite.randomBytes(4), 0);
    PrivateMessage second = PrivateMessageProtection.protect(suite, ac, senderDataSecret, sender,
        suite.randomBytes(4), 0);
    // Someone who knows the sender data secret but not the sender's ratchet: generation 0 with
    // changed authenticated data, and generation 5 under another epoch's encryption secret.
    PrivateMessage forgedAad = new PrivateMessage(second.groupId(), second.epoch(),
        second.contentType(), new byte[] {43}, second.encryptedSenderData(), second.ciphertext());
    MessageKeySource foreign = MessageKeySource.of(
        new SecretTree(suite, suite.randomBytes(32), 2));
    for (int i = 0; i < 5; i++) {
      foreign.nextKey(LeafIndex.of(1), ContentType.APPLICATION);
    }
    PrivateMessage forgedAhead = PrivateMessageProtection.protect(suite, ac, senderDataSecret,
        foreign, suite.randomBytes(4), 0);

    SecretTree receiverTree = new SecretTree(suite, encryptionSecret, 2);
    MessageKeySource receiver = MessageKeySource.of(receiverTree);
    byte[] before = receiverTree.toBytes();
    for (PrivateMessage forged : List.of(forgedAad, forgedAhead)) {
      assertThatThrownBy(() -> PrivateMessageProtection.unprotect(suite, forged, senderDataSecret,
          receiver)).isInstanceOfSatisfying(FramingException.class,
              e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.DECRYPTION_FAILED));
      assertThat(receiverTree.toBytes()).isEqualTo(before);
    }
    // the genuine messages of those generations still decrypt, in any order
    assertThat(PrivateMessageProtection.unprotect(suite, second, senderDataSecret, receiver))
        .isEqualTo(ac);
    assertThat(PrivateMessageProtection.unprotect(suite, first, senderDataSecret, receiver))
        .isEqualTo(ac);
    assertThat(receiverTree.nextGeneration(LeafIndex.of(1),
        org.quicproquo.mls.schedule.RatchetType.APPLICATION)).isEqualTo(2);
    assertThat(receiverTree.retainedKeyCount()).isZero();
  }

  @Test
  void replayedPrivateMessageFindsNoKey() throws Exception {
    AuthenticatedContent ac =
        signed(WireFormat.MLS_PRIVATE_MESSAGE, new ApplicationData(new byte[] {1}), null);
    PrivateMessage pm = PrivateMessageProtection.protect(suite, ac, senderDataSecret, keys(),
        suite.randomBytes(4), 0);
    MessageKeySource receiver = keys();
    PrivateMessageProtection.unprotect(suite, pm, senderDataSecret, receiver);
    assertThatThrownBy(() -> PrivateMessageProtection.unprotect(suite, pm, senderDataSecret,
        receiver)).isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.NO_KEY));
  }

  @Test
  void nonMembersSendOnlyWhatTheirSenderTypeIsFor() throws Exception {
    FramedContent fc = new FramedContent(ctx.groupId(), ctx.epoch(), new Sender.External(0),
        new byte[0], new Commit(List.of(), null));
    AuthenticatedContent ac = new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE, fc,
        new FramedContentAuthData(new byte[] {1}, new byte[] {2}));
    assertThatThrownBy(() -> PublicMessageProtection.protect(suite, ac, ctx, membershipKey))
        .isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.SENDER_NOT_ALLOWED));
    PublicMessage pm = new PublicMessage(fc, ac.auth(), null);
    assertThatThrownBy(() -> PublicMessageProtection.unprotect(suite, pm, ctx, membershipKey))
        .isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.SENDER_NOT_ALLOWED));
  }

  @Test
  void messagesOfAnotherEpochAreRejected() throws Exception {
    AuthenticatedContent ac =
        signed(WireFormat.MLS_PRIVATE_MESSAGE, new ApplicationData(new byte[] {1}), null);
    PrivateMessage pm = PrivateMessageProtection.protect(suite, ac, senderDataSecret, keys(),
        suite.randomBytes(4), 0);
    GroupContext next = new GroupContext(suite.id(), ctx.groupId(), ctx.epoch() + 1,
        new byte[32], new byte[32], List.of());
    assertThatThrownBy(() -> PrivateMessageProtection.unprotect(suite, pm, next, senderDataSecret,
        keys())).isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.WRONG_GROUP_OR_EPOCH));
    assertThat(PrivateMessageProtection.unprotect(suite, pm, ctx, senderDataSecret, keys()))
        .isEqualTo(ac);
  }

  @Test
  void paddingPolicyFixesTheCiphertextLength() throws Exception {
    for (int len : new int[] {0, 1, 100, 255, 256, 257}) {
      AuthenticatedContent ac =
          signed(WireFormat.MLS_PRIVATE_MESSAGE, new ApplicationData(new byte[len]), null);
      PrivateMessage pm = PrivateMessageProtection.protect(suite, ac, senderDataSecret, keys(),
          PaddingPolicy.toMultipleOf(256));
      // AES-GCM adds a 16-byte tag to the padded plaintext.
      assertThat((pm.ciphertext().length - 16) % 256).isZero();
      assertThat(PrivateMessageProtection.unprotect(suite, pm, senderDataSecret, keys()))
          .isEqualTo(ac);
    }
    assertThat(PaddingPolicy.none().paddingLength(17)).isZero();
    assertThat(PaddingPolicy.toMultipleOf(8).paddingLength(16)).isZero();
    assertThat(PaddingPolicy.toMultipleOf(8).paddingLength(17)).isEqualTo(7);
  }

  @Test
  void reuseGuardChangesOnlyTheFirstFourNonceBytes() {
    byte[] nonce = new byte[12];
    byte[] out = PrivateMessageProtection.guardedNonce(nonce, new byte[] {1, 2, 3, 4});
    assertThat(out).containsExactly(1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void onlyMembersSendPrivateMessages() throws Exception {
    FramedContent fc = new FramedContent(ctx.groupId(), ctx.epoch(), new Sender.External(0),
        new byte[0], new Proposal.Remove(0));
    AuthenticatedContent ac = new AuthenticatedContent(WireFormat.MLS_PRIVATE_MESSAGE, fc,
        new FramedContentAuthData(new byte[] {1}, null));
    assertThatThrownBy(() -> PrivateMessageProtection.protect(suite, ac, senderDataSecret,
        keys(), new byte[4], 0)).isInstanceOfSatisfying(FramingException.class,
            e -> assertThat(e.reason()).isEqualTo(FramingException.Reason.SENDER_NOT_ALLOWED));
  }
}
