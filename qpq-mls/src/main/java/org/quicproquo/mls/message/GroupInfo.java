package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * RFC 9420 §12.4.3:
 *
 * <pre>
 * struct {
 *     GroupContext group_context;
 *     Extension extensions&lt;V&gt;;
 *     MAC confirmation_tag;
 *     uint32 signer;
 *     // SignWithLabel(., "GroupInfoTBS", GroupInfoTBS)
 *     opaque signature&lt;V&gt;;
 * } GroupInfo;
 * </pre>
 *
 * A decoded GroupInfo is unverified: check {@link #verifySignature} with the signer's key and the
 * confirmation tag against the key schedule before trusting it.
 */
public record GroupInfo(GroupContext groupContext, List<Extension> extensions,
    byte[] confirmationTag, LeafIndex signer, byte[] signature) implements TlsEncodable {
  /** The SignWithLabel label of GroupInfo signatures. */
  public static final String SIGN_LABEL = "GroupInfoTBS";

  public GroupInfo {
    java.util.Objects.requireNonNull(groupContext, "groupContext");
    extensions = List.copyOf(extensions);
    confirmationTag = confirmationTag.clone();
    java.util.Objects.requireNonNull(signer, "signer");
    signature = signature.clone();
  }

  @Override
  public byte[] confirmationTag() {
    return confirmationTag.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The part of this GroupInfo covered by the signature. */
  public GroupInfoTBS tbs() {
    return new GroupInfoTBS(groupContext, extensions, confirmationTag, signer);
  }

  /** Signs {@code tbs} with the signer's private key. */
  public static GroupInfo sign(CipherSuite suite, GroupInfoTBS tbs, byte[] signaturePrivateKey)
      throws CryptoException {
    byte[] sig = suite.signWithLabel(signaturePrivateKey, SIGN_LABEL, tbs.toBytes());
    return new GroupInfo(tbs.groupContext(), tbs.extensions(), tbs.confirmationTag(), tbs.signer(),
        sig);
  }

  /** True if the signature verifies under {@code signerPublicKey}. */
  public boolean verifySignature(CipherSuite suite, byte[] signerPublicKey) {
    return suite.verifyWithLabel(signerPublicKey, SIGN_LABEL, tbs().toBytes(), signature);
  }

  /** The first extension of {@code type} among the GroupInfo extensions. */
  public Optional<Extension> extension(int type) {
    return extensions.stream().filter(e -> e.extensionType() == type).findFirst();
  }

  @Override
  public void encode(TlsWriter w) {
    tbs().encode(w);
    w.opaque(signature);
  }

  /**
   * Reads one {@code GroupInfo} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static GroupInfo decode(TlsReader r) throws DecodeException {
    GroupContext ctx = GroupContext.decode(r);
    List<Extension> ext = Extension.decodeList(r);
    byte[] tag = r.opaque();
    LeafIndex signer = LeafIndex.decode(r);
    return new GroupInfo(ctx, ext, tag, signer, r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupInfo g && g.tbs().equals(tbs()) && Arrays.equals(g.signature, signature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signature);
  }
}
