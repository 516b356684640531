package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertRejected;
import static org.quicproquo.mls.compliance.Fixture.assertStillWorks;
import static org.quicproquo.mls.compliance.Fixture.wire;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.ApplicationData;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.PrivateMessageContent;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.RatchetType;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * Malformed and hostile input (RFC 9420 §2.1.2, §6, §6.2, §6.3): bytes the strict decoder must
 * refuse, and well-formed PrivateMessages from a hostile member whose sender data, padding,
 * reuse guard or generation are wrong. Every case leaves the receiver byte for byte unchanged
 * and able to read the next genuine message, including one of the generation a forgery claimed.
 */
class MalformedInputTest {
  private Fixture.Party p;
  private Group alice;
  private Group bob;
  private Group carol;
  private Insider insider;
  private int groupIdLength;

  @BeforeEach
  void setUp() throws Exception {
    p = Fixture.group(3);
    alice = p.get(0);
    bob = p.get(1);
    carol = p.get(2);
    insider = p.insider(1);
    groupIdLength = alice.groupId().length;
    assertThat(groupIdLength).isLessThan(64);
  }

  /** A genuine proposal of alice as bytes: version, wire format, then FramedContent. */
  private byte[] publicMessageBytes() throws Exception {
    return alice.proposeUpdate().toBytes();
  }

  /** Offset of the sender_type byte of a PublicMessage's FramedContent. */
  private int senderTypeOffset() {
    return 4 + 1 + groupIdLength + 8;
  }

  /** Offset of content_type (member sender, empty authenticated_data). */
  private int contentTypeOffset() {
    return senderTypeOffset() + 1 + 4 + 1;
  }

  /** The strict decoder refuses {@code bad}; bob is unchanged and still reads carol. */
  private void assertUndecodable(byte[] bad) throws Exception {
    byte[] before = bob.save();
    assertThatThrownBy(() -> MLSMessage.fromBytes(bad)).isInstanceOf(DecodeException.class);
    assertThat(bob.save()).isEqualTo(before);
    assertStillWorks(bob, carol);
  }

  private static byte[] insert(byte[] b, int at, byte... extra) {
    byte[] out = new byte[b.length + extra.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(b, at, out, at + extra.length, b.length - at);
    return out;
  }

  /** carol's signed application content for a PrivateMessage, as its plaintext. */
  private byte[] carolsPlaintext(byte[] data, int padding) throws Exception {
    var ac = insider.signed(WireFormat.MLS_PRIVATE_MESSAGE, new LeafIndex(2), p.signatureKey(2),
        new ApplicationData(data), null);
    return new PrivateMessageContent(ac.content().content(), ac.auth(), padding).toBytes();
  }

  private static RatchetKey randomKey(long generation) {
    return new RatchetKey(generation, SUITE.randomBytes(SUITE.aeadKeyLength()),
        SUITE.randomBytes(SUITE.aeadNonceLength()));
  }

  @Test
  @DisplayName("§6 a Welcome, GroupInfo or KeyPackage handed to a group as a group message is rejected as MALFORMED")
  void nonGroupWireFormats() throws Exception {
    assertRejected(bob, MLSMessage.of(p.welcome()), RejectReason.MALFORMED, carol);
    assertRejected(bob, MLSMessage.of(alice.groupInfo()), RejectReason.MALFORMED, carol);
    assertRejected(bob, MLSMessage.of(Fixture.bundle("kp").keyPackage()), RejectReason.MALFORMED,
        carol);
  }

  @Test
  @DisplayName("§6 an MLSMessage with an unknown or reserved wire format is refused by the decoder")
  void unknownWireFormat() throws Exception {
    for (int wf : new int[] {0, 6, 0xffff}) {
      byte[] b = publicMessageBytes();
      b[2] = (byte) (wf >>> 8);
      b[3] = (byte) wf;
      assertUndecodable(b);
    }
  }

  @Test
  @DisplayName("§6 an MLSMessage of another protocol version is refused by the decoder")
  void otherProtocolVersion() throws Exception {
    for (int version : new int[] {0, 2}) {
      byte[] b = publicMessageBytes();
      b[0] = (byte) (version >>> 8);
      b[1] = (byte) version;
      assertUndecodable(b);
    }
  }

  @Test
  @DisplayName("§2.1.2 a vector length with the reserved varint prefix 0b11 is refused")
  void reservedVarintPrefix() throws Exception {
    byte[] b = publicMessageBytes();
    b[4] = (byte) (0xc0 | b[4]);
    assertUndecodable(b);
  }

  @Test
  @DisplayName("§2.1.2 a vector length encoded with more bytes than needed is refused")
  void nonMinimalVarint() throws Exception {
    byte[] b = publicMessageBytes();
    // group_id's one-byte length L becomes the two-byte form 0x40 L.
    byte[] two = insert(b, 4, (byte) 0x40);
    assertUndecodable(two);
  }

  @Test
  @DisplayName("§6 a vector length running past the end of the message is refused without allocating it")
  void overlongVectorLength() throws Exception {
    byte[] b = publicMessageBytes();
    // Replace group_id's length with the largest 4-byte varint, 2^30 - 1.
    byte[] huge = insert(Arrays.copyOf(b, b.length), 5, (byte) 0xff, (byte) 0xff, (byte) 0xff);
    huge[4] = (byte) 0xbf;
    assertUndecodable(huge);
  }

  @Test
  @DisplayName("§6 trailing bytes after a complete MLSMessage are refused")
  void trailingBytes() throws Exception {
    byte[] b = publicMessageBytes();
    assertUndecodable(Arrays.copyOf(b, b.length + 1));
    assertUndecodable(insert(b, b.length, (byte) 0, (byte) 0, (byte) 0, (byte) 0));
  }

  @Test
  @DisplayName("§6 every truncation of a PublicMessage and of a PrivateMessage is refused")
  void everyTruncation() throws Exception {
    for (byte[] b : new byte[][] {publicMessageBytes(), alice.encrypt(new byte[] {1}).toBytes()}) {
      byte[] before = bob.save();
      for (int len = 0; len < b.length; len++) {
        byte[] cut = Arrays.copyOf(b, len);
        assertThatThrownBy(() -> MLSMessage.fromBytes(cut)).as("length %d", len)
            .isInstanceOf(DecodeException.class);
      }
      assertThat(bob.save()).isEqualTo(before);
    }
    assertStillWorks(bob, carol);
  }

  @Test
  @DisplayName("§6 an unknown or reserved content type is refused")
  void unknownContentType() throws Exception {
    for (int ct : new int[] {0, 4, 255}) {
      byte[] b = publicMessageBytes();
      assertThat(b[contentTypeOffset()]).isEqualTo((byte) ContentType.PROPOSAL.code());
      b[contentTypeOffset()] = (byte) ct;
      assertUndecodable(b);
    }
  }

  @Test
  @DisplayName("§6 an unknown or reserved sender type is refused")
  void unknownSenderType() throws Exception {
    for (int st : new int[] {0, 5}) {
      byte[] b = publicMessageBytes();
      assertThat(b[senderTypeOffset()]).isEqualTo((byte) 1);
      b[senderTypeOffset()] = (byte) st;
      assertUndecodable(b);
    }
  }

  @Test
  @DisplayName("§6.2 application data sent as a PublicMessage is rejected")
  void applicationDataInPublicMessage() throws Exception {
    MLSMessage m = insider.publicMessage(new LeafIndex(2), p.signatureKey(2),
        new ApplicationData(new byte[] {1}), null);
    assertRejected(bob, m, RejectReason.SENDER_NOT_ALLOWED, carol);
  }

  @Test
  @DisplayName("§6.3.1 a PrivateMessage whose padding is not all zero bytes is rejected and burns nothing")
  void nonZeroPadding() throws Exception {
    byte[] plain = carolsPlaintext(new byte[] {1, 2, 3}, 8);
    plain[plain.length - 1] = 1;
    RatchetKey key = insider.key(new LeafIndex(2), RatchetType.APPLICATION, 0);
    PrivateMessage pm = insider.privateMessage(ContentType.APPLICATION, new LeafIndex(2), 0,
        new byte[4], key, plain);
    // carol's genuine generation 0 still decrypts afterwards (assertRejected sends it).
    assertRejected(bob, MLSMessage.of(pm), RejectReason.MALFORMED, carol);
  }

  @Test
  @DisplayName("§6.3.1 the same content with all-zero padding from the same hostile member is accepted (control)")
  void zeroPaddingControl() throws Exception {
    byte[] plain = carolsPlaintext(new byte[] {1, 2, 3}, 8);
    RatchetKey key = insider.key(new LeafIndex(2), RatchetType.APPLICATION, 0);
    PrivateMessage pm = insider.privateMessage(ContentType.APPLICATION, new LeafIndex(2), 0,
        new byte[4], key, plain);
    GroupEvent e = bob.process(wire(MLSMessage.of(pm)));
    assertThat(e).isInstanceOfSatisfying(GroupEvent.ApplicationMessage.class,
        am -> assertThat(am.data()).containsExactly(1, 2, 3));
  }

  @Test
  @DisplayName("§6.3.2 sender data naming a leaf beyond the tree is rejected as NOT_A_MEMBER")
  void senderDataLeafOutOfRange() throws Exception {
    for (int leaf : new int[] {3, 50, LeafIndex.MAX}) {
      PrivateMessage pm = insider.privateMessage(ContentType.APPLICATION, new LeafIndex(leaf), 0,
          new byte[4], randomKey(0), carolsPlaintext(new byte[] {1}, 0));
      assertRejected(bob, MLSMessage.of(pm), RejectReason.NOT_A_MEMBER, carol);
    }
  }

  @Test
  @DisplayName("§6.3.2 §9.2 a generation replayed under a fresh reuse guard is rejected")
  void generationReplayWithAnotherReuseGuard() throws Exception {
    bob.process(wire(carol.encrypt(new byte[] {5})));
    RatchetKey key = insider.key(new LeafIndex(2), RatchetType.APPLICATION, 0);
    PrivateMessage pm = insider.privateMessage(ContentType.APPLICATION, new LeafIndex(2), 0,
        new byte[] {9, 9, 9, 9}, key, carolsPlaintext(new byte[] {6}, 0));
    assertRejected(bob, MLSMessage.of(pm), RejectReason.GENERATION_REUSED_OR_TOO_FAR, carol);
  }

  @Test
  @DisplayName("§6.3.1 a content nonce built with another reuse guard than the sender data's fails decryption and burns nothing")
  void reuseGuardMismatch() throws Exception {
    RatchetKey key = insider.key(new LeafIndex(2), RatchetType.APPLICATION, 0);
    byte[] guard = {1, 2, 3, 4};
    PrivateMessage sealed = insider.privateMessage(ContentType.APPLICATION, new LeafIndex(2), 0,
        guard, key, carolsPlaintext(new byte[] {6}, 0));
    // Same ciphertext, sender data re-encrypted with another guard.
    PrivateMessage other = insider.privateMessage(ContentType.APPLICATION, new LeafIndex(2), 0,
        new byte[] {4, 3, 2, 1}, key, carolsPlaintext(new byte[] {6}, 0));
    PrivateMessage mixed = new PrivateMessage(sealed.groupId(), sealed.epoch(),
        sealed.contentType(), sealed.authenticatedData(), other.encryptedSenderData(),
        sealed.ciphertext());
    assertRejected(bob, MLSMessage.of(mixed), RejectReason.DECRYPTION_FAILED, carol);
  }

  @Test
  @DisplayName("§6.3.2 §9.2 a generation far beyond the forward window is rejected before any key is derived")
  void generationBeyondTheWindow() throws Exception {
    for (long gen : new long[] {5_000, 0xffff_ffffL}) {
      PrivateMessage pm = insider.privateMessage(ContentType.APPLICATION, new LeafIndex(2), gen,
          new byte[4], randomKey(gen), carolsPlaintext(new byte[] {1}, 0));
      assertRejected(bob, MLSMessage.of(pm), RejectReason.GENERATION_REUSED_OR_TOO_FAR, carol);
    }
  }

  @Test
  @DisplayName("§6.3.2 a PrivateMessage whose header content_type was changed no longer decrypts")
  void contentTypeSwappedInHeader() throws Exception {
    PrivateMessage pm = carol.encrypt(new byte[] {1}).as(PrivateMessage.class);
    PrivateMessage swapped = new PrivateMessage(pm.groupId(), pm.epoch(), ContentType.PROPOSAL,
        pm.authenticatedData(), pm.encryptedSenderData(), pm.ciphertext());
    assertRejected(bob, MLSMessage.of(swapped), RejectReason.DECRYPTION_FAILED, alice);
    // The genuine message, whose generation the forgery named, is still readable.
    assertThat(bob.process(wire(MLSMessage.of(pm)))).isInstanceOf(
        GroupEvent.ApplicationMessage.class);
  }

  @Test
  @DisplayName("§6.1 §6.3.1 authenticated_data is authenticated in both framings")
  void authenticatedDataIsCovered() throws Exception {
    PublicMessage pub = alice.proposeUpdate().as(PublicMessage.class);
    FramedContent fc = pub.content();
    FramedContent changed = new FramedContent(fc.groupId(), fc.epoch(), fc.sender(),
        new byte[] {1}, fc.content());
    assertRejected(bob, MLSMessage.of(new PublicMessage(changed, pub.auth(),
        pub.membershipTag())), RejectReason.BAD_MEMBERSHIP_TAG, carol);
    PrivateMessage pm = alice.encrypt(new byte[] {1}).as(PrivateMessage.class);
    PrivateMessage withAad = new PrivateMessage(pm.groupId(), pm.epoch(), pm.contentType(),
        new byte[] {1}, pm.encryptedSenderData(), pm.ciphertext());
    assertRejected(bob, MLSMessage.of(withAad), RejectReason.DECRYPTION_FAILED, carol);
  }
}
