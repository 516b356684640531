package org.quicproquo.mls.group;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalRef;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.schedule.EpochSecrets;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.NodeIndex;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.TreePrivateKeys;

/**
 * The saved form of a {@link Group} ({@link Group#save()}), in TLS presentation language:
 *
 * <pre>
 * struct { uint32 node; opaque private_key&lt;V&gt;; } NodeKey;
 * struct { ProposalRef ref; Proposal proposal; Sender sender;
 *          optional&lt;opaque&gt; own_leaf_private_key; } CachedProposal;
 * struct { uint64 epoch; opaque psk&lt;V&gt;; } ResumptionPsk;
 * struct { GroupContext context; opaque ratchet_tree&lt;V&gt;; opaque sender_data_secret&lt;V&gt;;
 *          opaque secret_tree&lt;V&gt;; } PastEpoch;
 * struct {
 *   uint16 cipher_suite;
 *   GroupContext context;
 *   opaque ratchet_tree&lt;V&gt;;          // optional&lt;Node&gt; ratchet_tree&lt;V&gt; as in §12.4.3.3
 *   uint32 own_leaf;
 *   opaque signature_private_key&lt;V&gt;;
 *   NodeKey private_keys&lt;V&gt;;       // the own leaf's key first
 *   EpochSecrets secrets;             // encryption, joiner and welcome secrets empty
 *   opaque secret_tree&lt;V&gt;;           // SecretTree.toBytes(): consumed keys are gone
 *   opaque interim_transcript_hash&lt;V&gt;;
 *   opaque confirmation_tag&lt;V&gt;;
 *   CachedProposal proposals&lt;V&gt;;
 *   ResumptionPsk resumption_psks&lt;V&gt;;
 *   PastEpoch past_epochs&lt;V&gt;;       // for late application messages
 *   bool encrypt_handshake; bool ratchet_tree_in_welcome; uint32 padding;
 *   bool active;
 * } SavedState;
 * struct { opaque id&lt;V&gt;; opaque secret&lt;V&gt;; } SavedPsk;
 * struct {
 *   uint16 format = 1;
 *   SavedState state;
 *   optional&lt;SavedState&gt; pending_commit;
 *   SavedPsk external_psks&lt;V&gt;;
 * } SavedGroup;
 * </pre>
 *
 * Decoding is strict: unknown format, trailing bytes, or any malformed field fail.
 */
final class StateCodec {
  private StateCodec() {}

  static final int FORMAT = 1;

  record Saved(GroupState state, GroupState pending, ExternalPsks psks) {}

  static byte[] encode(GroupState state, GroupState pending, ExternalPsks psks) {
    TlsWriter w = new TlsWriter(4096);
    w.u16(FORMAT);
    encodeState(w, state);
    w.optional(pending, StateCodec::encodeState);
    w.vector(psks.entries(), (ww, e) -> ww.opaque(e[0]).opaque(e[1]));
    return w.toByteArray();
  }

  private static void encodeState(TlsWriter w, GroupState s) {
    w.u16(s.suite().id().code());
    s.context().encode(w);
    w.opaque(s.tree().encode());
    w.u32(s.ownLeaf().value());
    w.opaque(s.signaturePrivateKey());
    TreePrivateKeys keys = s.privateKeys();
    // The own leaf's key comes first: it is the one every member always holds.
    List<NodeIndex> order = new ArrayList<>();
    order.add(s.ownLeaf().node());
    keys.nodes().stream().filter(n -> !n.equals(s.ownLeaf().node())).forEach(order::add);
    w.vector(order, (ww, n) -> ww.u32(n.value()).opaque(keys.privateKey(n).orElseThrow()));
    s.secrets().encode(w);
    w.opaque(s.secretTree().toBytes());
    w.opaque(s.interimTranscriptHash());
    w.opaque(s.confirmationTag());
    w.vector(s.proposals().entries(), (ww, e) -> {
      e.ref().encode(ww);
      e.proposal().encode(ww);
      e.sender().encode(ww);
      ww.optional(e.ownLeafPrivateKey(), TlsWriter::opaque);
    });
    w.vector(s.resumptionPsks(), (ww, r) -> ww.u64(r.epoch()).opaque(r.psk()));
    w.vector(s.pastEpochs(), (ww, p) -> {
      p.context().encode(ww);
      ww.opaque(p.tree().encode()).opaque(p.senderDataSecret()).opaque(p.secretTree().toBytes());
    });
    w.bool(s.options().encryptHandshake()).bool(s.options().ratchetTreeInWelcome())
        .u32(s.options().paddingLength());
    w.bool(s.active());
  }

  static Saved decode(byte[] bytes, SecureRandom random) throws GroupStateException {
    try {
      return TlsReader.decodeAll(bytes, r -> {
        int format = r.u16();
        if (format != FORMAT) {
          throw new DecodeException("unknown saved-group format " + format);
        }
        GroupState state = decodeState(r, random);
        GroupState pending = r.optional(rr -> decodeState(rr, random));
        ExternalPsks psks = ExternalPsks.none();
        for (byte[][] e : r.vector(rr -> new byte[][] {rr.opaque(), rr.opaque()})) {
          psks = psks.with(e[0], e[1]);
        }
        return new Saved(state, pending, psks);
      });
    } catch (DecodeException | RuntimeException e) {
      throw new GroupStateException("saved group state is invalid: " + e.getMessage(), e);
    }
  }

  private static GroupState decodeState(TlsReader r, SecureRandom random) throws DecodeException {
    CipherSuite suite;
    try {
      suite = CipherSuites.of(CipherSuiteId.fromCode(r.u16()), random);
    } catch (CryptoException e) {
      throw new DecodeException(e.getMessage());
    }
    GroupContext ctx = GroupContext.decode(r);
    if (ctx.cipherSuite() != suite.id()) {
      throw new DecodeException("group context suite differs from the saved suite");
    }
    RatchetTree tree = RatchetTree.decode(suite, r.opaque());
    long ownValue = r.u32();
    if (ownValue >= tree.leafCount() || tree.leaf(new LeafIndex((int) ownValue)) == null) {
      throw new DecodeException("own leaf " + ownValue + " is not in the tree");
    }
    LeafIndex own = new LeafIndex((int) ownValue);
    byte[] sigPriv = r.opaque();
    TreePrivateKeys keys = null;
    List<Object[]> rawKeys = r.vector(rr -> new Object[] {rr.u32(), rr.opaque()});
    for (Object[] k : rawKeys) {
      long node = (Long) k[0];
      if (node >= tree.nodeCount()) {
        throw new DecodeException("private key for node " + node + " outside the tree");
      }
      NodeIndex n = new NodeIndex((int) node);
      keys = keys == null && n.equals(own.node())
          ? TreePrivateKeys.ofLeaf(own, (byte[]) k[1])
          : keys == null ? null : keys.with(n, (byte[]) k[1]);
      if (keys == null) {
        throw new DecodeException("private keys must start with the own leaf's key");
      }
    }
    if (keys == null) {
      throw new DecodeException("no private key for the own leaf");
    }
    EpochSecrets secrets = EpochSecrets.decode(r);
    SecretTree secretTree = SecretTree.fromBytes(suite, r.opaque());
    byte[] interim = r.opaque();
    byte[] tag = r.opaque();
    List<ProposalCache.Entry> entries = r.vector(rr -> new ProposalCache.Entry(
        ProposalRef.decode(rr), Proposal.decode(rr), Sender.decode(rr), rr.optional(TlsReader::opaque)));
    if (entries.size() > ProposalCache.MAX_ENTRIES) {
      throw new DecodeException("too many cached proposals");
    }
    List<GroupState.ResumptionPsk> res = r.vector(rr -> new GroupState.ResumptionPsk(rr.u64(),
        rr.opaque()));
    List<GroupState.PastEpoch> past = r.vector(rr -> {
      GroupContext pc = GroupContext.decode(rr);
      if (pc.cipherSuite() != suite.id() || pc.epoch() >= ctx.epoch()) {
        throw new DecodeException("past epoch " + pc.epoch() + " is not before " + ctx.epoch());
      }
      return new GroupState.PastEpoch(pc, RatchetTree.decode(suite, rr.opaque()), rr.opaque(),
          SecretTree.fromBytes(suite, rr.opaque()));
    });
    if (past.size() > GroupState.PAST_EPOCHS_KEPT) {
      throw new DecodeException("too many past epochs");
    }
    boolean encryptHandshake = r.bool();
    boolean treeInWelcome = r.bool();
    long padding = r.u32();
    if (padding > GroupOptions.MAX_PADDING) {
      throw new DecodeException("padding out of range");
    }
    boolean active = r.bool();
    return new GroupState(suite, ctx, tree, own, sigPriv, keys, secrets, secretTree, interim, tag,
        new ProposalCache(entries), res, past,
        new GroupOptions(encryptHandshake, treeInWelcome, (int) padding), active);
  }
}
