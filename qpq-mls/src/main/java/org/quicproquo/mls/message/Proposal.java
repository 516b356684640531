package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;

/**
 * RFC 9420 §12.1:
 *
 * <pre>
 * struct {
 *     ProposalType proposal_type;
 *     select (Proposal.proposal_type) {
 *         case add:                      Add;
 *         case update:                   Update;
 *         case remove:                   Remove;
 *         case psk:                      PreSharedKey;
 *         case reinit:                   ReInit;
 *         case external_init:            ExternalInit;
 *         case group_context_extensions: GroupContextExtensions;
 *     };
 * } Proposal;
 * </pre>
 *
 * Each variant's {@link #encodeBody} / {@code decodeBody} handle the variant struct alone (what the
 * {@code messages.json} vectors carry); {@link #encode} / {@link #decode} add the type tag.
 */
public sealed interface Proposal extends Content {
  @Override
  default ContentType contentType() {
    return ContentType.PROPOSAL;
  }

  /** The uint16 proposal_type code. */
  int typeCode();

  /** Writes the variant struct without the proposal_type tag. */
  void encodeBody(TlsWriter w);

  /** The variant struct's encoding without the proposal_type tag. */
  default byte[] bodyBytes() {
    TlsWriter w = new TlsWriter();
    encodeBody(w);
    return w.toByteArray();
  }

  @Override
  default void encode(TlsWriter w) {
    w.u16(typeCode());
    encodeBody(w);
  }

  /**
   * Decodes a tagged Proposal. RFC 9420 gives no length for the body of a proposal type it does
   * not define, so such bodies are read as one {@code opaque<V>} ({@link Custom}), the framing the
   * MLS extensions work and other implementations use for custom proposals.
   */
  static Proposal decode(TlsReader r) throws DecodeException {
    int type = r.u16();
    if (ProposalType.isReserved(type)) {
      throw new DecodeException("reserved proposal type 0");
    }
    var known = ProposalType.lookup(type);
    if (known.isEmpty()) {
      return new Custom(type, r.opaque());
    }
    return switch (known.get()) {
      case ADD -> Add.decodeBody(r);
      case UPDATE -> Update.decodeBody(r);
      case REMOVE -> Remove.decodeBody(r);
      case PSK -> PreSharedKey.decodeBody(r);
      case REINIT -> ReInit.decodeBody(r);
      case EXTERNAL_INIT -> ExternalInit.decodeBody(r);
      case GROUP_CONTEXT_EXTENSIONS -> GroupContextExtensions.decodeBody(r);
    };
  }

  /**
   * RFC 9420 §12.1.1:
   *
   * <pre>
   * struct {
   *     KeyPackage key_package;
   * } Add;
   * </pre>
   */
  record Add(KeyPackage keyPackage) implements Proposal {
    public Add {
      Objects.requireNonNull(keyPackage, "keyPackage");
    }

    @Override
    public int typeCode() {
      return ProposalType.ADD.code();
    }

    @Override
    public void encodeBody(TlsWriter w) {
      keyPackage.encode(w);
    }

    /**
     * Reads the {@code Add} struct without the proposal_type tag;
     * throws {@link DecodeException} on malformed input.
     */
    public static Add decodeBody(TlsReader r) throws DecodeException {
      return new Add(KeyPackage.decode(r));
    }
  }

  /**
   * RFC 9420 §12.1.2:
   *
   * <pre>
   * struct {
   *     LeafNode leaf_node;
   * } Update;
   * </pre>
   */
  record Update(LeafNode leafNode) implements Proposal {
    public Update {
      Objects.requireNonNull(leafNode, "leafNode");
    }

    @Override
    public int typeCode() {
      return ProposalType.UPDATE.code();
    }

    @Override
    public void encodeBody(TlsWriter w) {
      leafNode.encode(w);
    }

    /**
     * Reads the {@code Update} struct without the proposal_type tag;
     * throws {@link DecodeException} on malformed input.
     */
    public static Update decodeBody(TlsReader r) throws DecodeException {
      return new Update(LeafNode.decode(r));
    }
  }

  /**
   * RFC 9420 §12.1.3:
   *
   * <pre>
   * struct {
   *     uint32 removed;
   * } Remove;
   * </pre>
   */
  record Remove(long removed) implements Proposal {
    public Remove {
      if (removed < 0 || removed > 0xffff_ffffL) {
        throw new IllegalArgumentException("removed out of uint32 range: " + removed);
      }
    }

    /** A Remove of {@code leaf}. */
    public static Remove of(LeafIndex leaf) {
      return new Remove(leaf.value());
    }

    /**
     * The removed leaf, or empty when the uint32 lies beyond any leaf index this library
     * supports (such a Remove can never be valid against a tree, but it decodes).
     */
    public Optional<LeafIndex> leafIndex() {
      return removed <= LeafIndex.MAX ? Optional.of(new LeafIndex((int) removed)) : Optional.empty();
    }

    @Override
    public int typeCode() {
      return ProposalType.REMOVE.code();
    }

    @Override
    public void encodeBody(TlsWriter w) {
      w.u32(removed);
    }

    /**
     * Reads the {@code Remove} struct without the proposal_type tag;
     * throws {@link DecodeException} on malformed input.
     */
    public static Remove decodeBody(TlsReader r) throws DecodeException {
      return new Remove(r.u32());
    }
  }

  /**
   * RFC 9420 §12.1.4:
   *
   * <pre>
   * struct {
   *     PreSharedKeyID psk;
   * } PreSharedKey;
   * </pre>
   */
  record PreSharedKey(PreSharedKeyId psk) implements Proposal {
    public PreSharedKey {
      Objects.requireNonNull(psk, "psk");
    }

    @Override
    public int typeCode() {
      return ProposalType.PSK.code();
    }

    @Override
    public void encodeBody(TlsWriter w) {
      psk.encode(w);
    }

    /**
     * Reads the {@code PreSharedKey} struct without the proposal_type tag;
     * throws {@link DecodeException} on malformed input.
     */
    public static PreSharedKey decodeBody(TlsReader r) throws DecodeException {
      return new PreSharedKey(PreSharedKeyId.decode(r));
    }
  }

  /**
   * RFC 9420 §12.1.5:
   *
   * <pre>
   * struct {
   *     opaque group_id&lt;V&gt;;
   *     ProtocolVersion version;
   *     CipherSuite cipher_suite;
   *     Extension extensions&lt;V&gt;;
   * } ReInit;
   * </pre>
   *
   * Version and suite stay raw uint16 codes: they describe a future group, which may use values
   * this library does not implement; whether to follow such a ReInit is the application's call.
   */
  record ReInit(byte[] groupId, int version, int cipherSuite, List<Extension> extensions)
      implements Proposal {
    public ReInit {
      groupId = groupId.clone();
      if (version < 0 || version > 0xffff || cipherSuite < 0 || cipherSuite > 0xffff) {
        throw new IllegalArgumentException("version/cipher_suite out of uint16 range");
      }
      extensions = List.copyOf(extensions);
    }

    @Override
    public byte[] groupId() {
      return groupId.clone();
    }

    @Override
    public int typeCode() {
      return ProposalType.REINIT.code();
    }

    @Override
    public void encodeBody(TlsWriter w) {
      w.opaque(groupId).u16(version).u16(cipherSuite).vector(extensions);
    }

    /**
     * Reads the {@code ReInit} struct without the proposal_type tag;
     * throws {@link DecodeException} on malformed input.
     */
    public static ReInit decodeBody(TlsReader r) throws DecodeException {
      return new ReInit(r.opaque(), r.u16(), r.u16(), Extension.decodeList(r));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ReInit x && Arrays.equals(x.groupId, groupId) && x.version == version
          && x.cipherSuite == cipherSuite && x.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(groupId) * 31 + cipherSuite;
    }
  }

  /**
   * RFC 9420 §12.1.6:
   *
   * <pre>
   * struct {
   *   opaque kem_output&lt;V&gt;;
   * } ExternalInit;
   * </pre>
   */
  record ExternalInit(byte[] kemOutput) implements Proposal {
    public ExternalInit {
      kemOutput = kemOutput.clone();
    }

    @Override
    public byte[] kemOutput() {
      return kemOutput.clone();
    }

    @Override
    public int typeCode() {
      return ProposalType.EXTERNAL_INIT.code();
    }

    @Override
    public void encodeBody(TlsWriter w) {
      w.opaque(kemOutput);
    }

    /**
     * Reads the {@code ExternalInit} struct without the proposal_type tag;
     * throws {@link DecodeException} on malformed input.
     */
    public static ExternalInit decodeBody(TlsReader r) throws DecodeException {
      return new ExternalInit(r.opaque());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ExternalInit x && Arrays.equals(x.kemOutput, kemOutput);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(kemOutput);
    }
  }

  /**
   * RFC 9420 §12.1.7:
   *
   * <pre>
   * struct {
   *   Extension extensions&lt;V&gt;;
   * } GroupContextExtensions;
   * </pre>
   */
  record GroupContextExtensions(List<Extension> extensions) implements Proposal {
    public GroupContextExtensions {
      extensions = List.copyOf(extensions);
    }

    @Override
    public int typeCode() {
      return ProposalType.GROUP_CONTEXT_EXTENSIONS.code();
    }

    @Override
    public void encodeBody(TlsWriter w) {
      w.vector(extensions);
    }

    /**
     * Reads the {@code GroupContextExtensions} struct without the proposal_type tag;
     * throws {@link DecodeException} on malformed input.
     */
    public static GroupContextExtensions decodeBody(TlsReader r) throws DecodeException {
      return new GroupContextExtensions(Extension.decodeList(r));
    }
  }

  /**
   * A proposal type RFC 9420 does not define, kept opaque so it can be relayed, referenced and
   * hashed unchanged. Its body is framed as {@code opaque data<V>} (see {@link Proposal#decode}).
   */
  record Custom(int proposalType, byte[] data) implements Proposal {
    public Custom {
      if (proposalType <= 0 || proposalType > 0xffff || ProposalType.lookup(proposalType).isPresent()) {
        throw new IllegalArgumentException("not a custom proposal type: " + proposalType);
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public int typeCode() {
      return proposalType;
    }

    @Override
    public void encodeBody(TlsWriter w) {
      w.opaque(data);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Custom c && c.proposalType == proposalType && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
      return proposalType * 31 + Arrays.hashCode(data);
    }
  }
}
