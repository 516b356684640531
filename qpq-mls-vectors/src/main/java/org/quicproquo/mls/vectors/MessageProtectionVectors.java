package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.framing.ContentSignature;
import org.quicproquo.mls.framing.FramingException;
import org.quicproquo.mls.framing.MessageKeySource;
import org.quicproquo.mls.framing.PrivateMessageProtection;
import org.quicproquo.mls.framing.PublicMessageProtection;
import org.quicproquo.mls.message.ApplicationData;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.Content;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * {@code message-protection.json} (test-vectors.md, "Message Protection"): with the GroupContext
 * built from the case, a two-leaf secret tree from {@code encryption_secret} and leaf 1 as sender,
 * for proposal, commit and application content:
 * <ul>
 *   <li>the given {@code *_pub} message verifies (membership tag, signature) and yields the raw
 *       content; protecting the raw content as a PublicMessage gives one that verifies too
 *       (application content must be refused as a PublicMessage);
 *   <li>the given {@code *_priv} message decrypts and verifies and yields the raw content;
 *       protecting the raw content as a PrivateMessage gives one that decrypts and verifies.
 * </ul>
 * Commits are protected with the confirmation tag the given public commit carries.
 */
final class MessageProtectionVectors implements VectorKind {
  private static final LeafIndex SENDER = LeafIndex.of(1);

  @Override
  public String name() {
    return "message-protection";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    return VectorKind.indexed(root, Case::new);
  }

  private record Case(int index, JsonNode json) implements VectorCase {
    @Override
    public String name() {
      return "case " + index + " cipher_suite=" + json.path("cipher_suite").asText();
    }

    @Override
    public void check() throws Exception {
      long suiteCode = CryptoJson.number(json, "cipher_suite");
      CipherSuite suite = CryptoJson.suite(suiteCode);
      GroupContext ctx = new GroupContext(CipherSuiteId.fromCode((int) suiteCode),
          CryptoJson.hex(json, "group_id"), CryptoJson.number(json, "epoch"),
          CryptoJson.hex(json, "tree_hash"), CryptoJson.hex(json, "confirmed_transcript_hash"),
          List.of());
      Keys keys = new Keys(suite, ctx, CryptoJson.hex(json, "signature_priv"),
          CryptoJson.hex(json, "signature_pub"), CryptoJson.hex(json, "encryption_secret"),
          CryptoJson.hex(json, "sender_data_secret"), CryptoJson.hex(json, "membership_key"));

      Proposal proposal = TlsReader.decodeAll(CryptoJson.hex(json, "proposal"), Proposal::decode);
      checkPublic("proposal_pub", keys, proposal);
      checkPrivate("proposal_priv", keys, proposal, null);

      Commit commit = TlsReader.decodeAll(CryptoJson.hex(json, "commit"), Commit::decode);
      byte[] tag = checkPublic("commit_pub", keys, commit);
      checkPrivate("commit_priv", keys, commit, tag);

      ApplicationData app = new ApplicationData(CryptoJson.hex(json, "application"));
      checkPrivate("application_priv", keys, app, null);
      try {
        PublicMessageProtection.protect(suite, keys.sign(WireFormat.MLS_PUBLIC_MESSAGE, app, null),
            ctx, keys.membershipKey());
        throw new VectorMismatch("application: protecting as a PublicMessage must fail");
      } catch (FramingException e) {
        VectorMismatch.expect("application as PublicMessage",
            FramingException.Reason.APPLICATION_IN_PUBLIC_MESSAGE, e.reason());
      }
    }

    /** Checks {@code field} and a fresh protection; returns the given message's confirmation tag. */
    private byte[] checkPublic(String field, Keys k, Content raw) throws Exception {
      PublicMessage given = MLSMessage.fromBytes(CryptoJson.hex(json, field)).as(PublicMessage.class);
      AuthenticatedContent ac = k.unprotectPublic(field, given);
      expectContent(field, raw, ac);
      byte[] tag = ac.auth().confirmationTag();

      AuthenticatedContent mine = k.sign(WireFormat.MLS_PUBLIC_MESSAGE, raw, tag);
      PublicMessage fresh = PublicMessageProtection.protect(k.suite(), mine, k.ctx(),
          k.membershipKey());
      byte[] wire = MLSMessage.of(fresh).toBytes();
      PublicMessage back = MLSMessage.fromBytes(wire).as(PublicMessage.class);
      expectContent(field + " (re-protected)", raw, k.unprotectPublic(field + " (re-protected)", back));
      return tag;
    }

    private void checkPrivate(String field, Keys k, Content raw, byte[] tag) throws Exception {
      PrivateMessage given =
          MLSMessage.fromBytes(CryptoJson.hex(json, field)).as(PrivateMessage.class);
      expectContent(field, raw, k.unprotectPrivate(field, given));

      AuthenticatedContent mine = k.sign(WireFormat.MLS_PRIVATE_MESSAGE, raw, tag);
      PrivateMessage fresh = PrivateMessageProtection.protect(k.suite(), mine, k.senderDataSecret(),
          k.tree(), k.suite().randomBytes(4), 8);
      byte[] wire = MLSMessage.of(fresh).toBytes();
      PrivateMessage back = MLSMessage.fromBytes(wire).as(PrivateMessage.class);
      AuthenticatedContent again = k.unprotectPrivate(field + " (re-protected)", back);
      expectContent(field + " (re-protected)", raw, again);
      VectorMismatch.expect(field + " (re-protected) equals the signed content", mine, again);
    }

    private static void expectContent(String field, Content raw, AuthenticatedContent ac) {
      VectorMismatch.expect(field + " sender", Sender.member(SENDER), ac.sender());
      VectorMismatch.expectHex(field + " content", Hex.encode(raw.toBytes()),
          ac.content().content().toBytes());
    }
  }

  /** The case's keys and the operations over them. */
  private record Keys(CipherSuite suite, GroupContext ctx, byte[] signaturePriv,
      byte[] signaturePub, byte[] encryptionSecret, byte[] senderDataSecret,
      byte[] membershipKey) {
    /** A fresh two-leaf secret tree, as a new receiver or sender of this epoch holds it. */
    MessageKeySource tree() {
      return MessageKeySource.of(new SecretTree(suite, encryptionSecret, 2));
    }

    AuthenticatedContent sign(WireFormat wf, Content content, byte[] confirmationTag)
        throws Exception {
      FramedContent fc = new FramedContent(ctx.groupId(), ctx.epoch(), Sender.member(SENDER),
          new byte[0], content);
      byte[] sig = ContentSignature.sign(suite, wf, fc, ctx, signaturePriv);
      return new AuthenticatedContent(wf, fc, new FramedContentAuthData(sig, confirmationTag));
    }

    AuthenticatedContent unprotectPublic(String field, PublicMessage msg) throws Exception {
      AuthenticatedContent ac = PublicMessageProtection.unprotect(suite, msg, ctx, membershipKey);
      verify(field, ac);
      return ac;
    }

    AuthenticatedContent unprotectPrivate(String field, PrivateMessage msg) throws Exception {
      VectorMismatch.expect(field + " group_id", Hex.encode(ctx.groupId()), Hex.encode(msg.groupId()));
      VectorMismatch.expect(field + " epoch", ctx.epoch(), msg.epoch());
      AuthenticatedContent ac =
          PrivateMessageProtection.unprotect(suite, msg, senderDataSecret, tree());
      verify(field, ac);
      return ac;
    }

    private void verify(String field, AuthenticatedContent ac) {
      VectorMismatch.expect(field + " signature verifies", true,
          ContentSignature.verify(suite, ac, ctx, signaturePub));
    }
  }
}
