package org.quicproquo.mls.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.tree.LeafIndex;

class MessageCodecTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static FramedContent proposalContent() {
    return new FramedContent(new byte[] {1, 2}, 7, Sender.member(LeafIndex.of(3)), new byte[0],
        new Proposal.Remove(5));
  }

  @Test
  void enumsRejectUnknownCodes() {
    assertThatThrownBy(() -> WireFormat.fromCode(0)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> WireFormat.fromCode(6)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ContentType.fromCode(4)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> SenderType.fromCode(0)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ProposalType.fromCode(8)).isInstanceOf(DecodeException.class);
  }

  @Test
  void senderRoundTripsEveryType() throws Exception {
    for (Sender s : List.of(Sender.member(LeafIndex.of(9)), new Sender.External(0xffff_fffeL),
        new Sender.NewMemberProposal(), new Sender.NewMemberCommit())) {
      assertThat(TlsReader.decodeAll(s.toBytes(), Sender::decode)).isEqualTo(s);
    }
  }

  @Test
  void customProposalTypesStayOpaque() throws Exception {
    Proposal p = new Proposal.Custom(0xf001, new byte[] {9, 8, 7});
    byte[] enc = p.toBytes();
    assertThat(enc).isEqualTo(hex("f00103090807"));
    assertThat(TlsReader.decodeAll(enc, Proposal::decode)).isEqualTo(p);
    assertThatThrownBy(() -> TlsReader.decodeAll(hex("0000"), Proposal::decode))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void removeKeepsAnyUint32ButOnlyMapsRealLeaves() {
    assertThat(new Proposal.Remove(0xffff_ffffL).leafIndex()).isEmpty();
    assertThat(new Proposal.Remove(4).leafIndex()).contains(LeafIndex.of(4));
  }

  @Test
  void confirmationTagOnlyForCommits() throws Exception {
    FramedContent fc = proposalContent();
    assertThatThrownBy(() -> new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE, fc,
        new FramedContentAuthData(new byte[] {1}, new byte[] {2})))
        .isInstanceOf(IllegalArgumentException.class);
    FramedContent commit = new FramedContent(new byte[] {1}, 1, Sender.member(LeafIndex.of(0)),
        new byte[0], new Commit(List.of(), null));
    assertThatThrownBy(() -> new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE, commit,
        new FramedContentAuthData(new byte[] {1}, null)))
        .isInstanceOf(IllegalArgumentException.class);
    AuthenticatedContent ok = new AuthenticatedContent(WireFormat.MLS_PRIVATE_MESSAGE, commit,
        new FramedContentAuthData(new byte[] {1}, new byte[] {2}));
    assertThat(TlsReader.decodeAll(ok.toBytes(), AuthenticatedContent::decode)).isEqualTo(ok);
  }

  @Test
  void publicMessageMembershipTagOnlyForMembers() throws Exception {
    FramedContent fc = proposalContent();
    FramedContentAuthData auth = new FramedContentAuthData(new byte[] {1}, null);
    assertThatThrownBy(() -> new PublicMessage(fc, auth, null))
        .isInstanceOf(IllegalArgumentException.class);
    PublicMessage pm = new PublicMessage(fc, auth, new byte[] {4, 4});
    MLSMessage m = MLSMessage.of(pm);
    assertThat(MLSMessage.fromBytes(m.toBytes()).as(PublicMessage.class)).isEqualTo(pm);
    assertThatThrownBy(() -> MLSMessage.fromBytes(m.toBytes()).as(Welcome.class))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void mlsMessageRejectsOtherVersionsAndTrailingBytes() throws Exception {
    PublicMessage pm = new PublicMessage(proposalContent(),
        new FramedContentAuthData(new byte[] {1}, null), new byte[] {4});
    byte[] enc = MLSMessage.of(pm).toBytes();
    byte[] v2 = enc.clone();
    v2[1] = 2;
    assertThatThrownBy(() -> MLSMessage.fromBytes(v2)).isInstanceOf(DecodeException.class);
    byte[] longer = java.util.Arrays.copyOf(enc, enc.length + 1);
    assertThatThrownBy(() -> MLSMessage.fromBytes(longer)).isInstanceOf(DecodeException.class);
  }

  @Test
  void privateMessageContentPaddingMustBeZero() throws Exception {
    PrivateMessageContent pmc = new PrivateMessageContent(new ApplicationData(new byte[] {5}),
        new FramedContentAuthData(new byte[] {6}, null), 3);
    byte[] enc = pmc.toBytes();
    assertThat(enc).isEqualTo(hex("0105" + "0106" + "000000"));
    assertThat(PrivateMessageContent.decode(enc, ContentType.APPLICATION).paddingLength())
        .isEqualTo(3);
    enc[enc.length - 1] = 1;
    assertThatThrownBy(() -> PrivateMessageContent.decode(enc, ContentType.APPLICATION))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void truncatedInputFailsCleanly() {
    byte[] enc = MLSMessage.of(new PublicMessage(proposalContent(),
        new FramedContentAuthData(new byte[] {1}, null), new byte[] {4})).toBytes();
    for (int n = 0; n < enc.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(enc, n);
      assertThatThrownBy(() -> MLSMessage.fromBytes(cut)).isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void requiredCapabilitiesExtensionRoundTrip() throws Exception {
    RequiredCapabilities rc = new RequiredCapabilities(List.of(2, 0xff00), List.of(7), List.of(1));
    Extension e = rc.toExtension();
    assertThat(e.extensionType()).isEqualTo(ExtensionType.REQUIRED_CAPABILITIES);
    assertThat(RequiredCapabilities.fromExtension(e)).isEqualTo(rc);
    assertThatThrownBy(() -> ExternalPub.fromExtension(e)).isInstanceOf(DecodeException.class);
  }
}
