package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.GroupSecrets;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.tree.RatchetTree;

/**
 * {@code messages.json}: every field is one serialized struct; each must decode strictly (no
 * trailing bytes) and re-encode to exactly the same bytes. MLSMessage fields must also carry the
 * wire format their name says.
 */
final class MessagesVectors implements VectorKind {
  @Override
  public String name() {
    return "messages";
  }

  /** How to decode one field and re-encode the result. */
  @FunctionalInterface
  interface RoundTrip {
    byte[] apply(byte[] in) throws Exception;
  }

  static Map<String, RoundTrip> fields() {
    Map<String, RoundTrip> m = new LinkedHashMap<>();
    m.put("mls_welcome", mls(WireFormat.MLS_WELCOME));
    m.put("mls_group_info", mls(WireFormat.MLS_GROUP_INFO));
    m.put("mls_key_package", mls(WireFormat.MLS_KEY_PACKAGE));
    m.put("ratchet_tree", MessagesVectors::ratchetTree);
    m.put("group_secrets", of(GroupSecrets::decode));
    m.put("add_proposal", body(Proposal.Add::decodeBody));
    m.put("update_proposal", body(Proposal.Update::decodeBody));
    m.put("remove_proposal", body(Proposal.Remove::decodeBody));
    m.put("pre_shared_key_proposal", body(Proposal.PreSharedKey::decodeBody));
    m.put("re_init_proposal", body(Proposal.ReInit::decodeBody));
    m.put("external_init_proposal", body(Proposal.ExternalInit::decodeBody));
    m.put("group_context_extensions_proposal", body(Proposal.GroupContextExtensions::decodeBody));
    m.put("commit", of(Commit::decode));
    m.put("public_message_application", mls(WireFormat.MLS_PUBLIC_MESSAGE));
    m.put("public_message_proposal", mls(WireFormat.MLS_PUBLIC_MESSAGE));
    m.put("public_message_commit", mls(WireFormat.MLS_PUBLIC_MESSAGE));
    m.put("private_message", mls(WireFormat.MLS_PRIVATE_MESSAGE));
    return m;
  }

  private static RoundTrip of(TlsReader.Decoder<? extends TlsEncodable> decoder) {
    return in -> TlsReader.decodeAll(in, decoder).toBytes();
  }

  /** A proposal variant struct, without the proposal_type tag. */
  private static RoundTrip body(TlsReader.Decoder<? extends Proposal> decoder) {
    return in -> TlsReader.decodeAll(in, decoder).bodyBytes();
  }

  private static RoundTrip mls(WireFormat expected) {
    return in -> {
      MLSMessage msg = MLSMessage.fromBytes(in);
      VectorMismatch.expect("wire_format", expected, msg.wireFormat());
      return msg.toBytes();
    };
  }

  /**
   * {@code optional<Node> ratchet_tree<V>}, through {@link RatchetTree} (which also enforces the
   * node layout rules). The struct carries no suite; the suite only matters for hashing, which this
   * round trip does not do, so suite 1 is used.
   */
  private static byte[] ratchetTree(byte[] in) throws Exception {
    return RatchetTree.decode(CryptoJson.suite(1), in).encode();
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    int i = 0;
    for (JsonNode c : root) {
      for (String f : fields().keySet()) {
        CryptoJson.hex(c, f);
      }
      out.add(new Case(i++, c));
    }
    return out;
  }

  private record Case(int index, JsonNode json) implements VectorCase {
    @Override
    public String name() {
      return "case " + index;
    }

    @Override
    public void check() throws Exception {
      for (Map.Entry<String, RoundTrip> f : fields().entrySet()) {
        String hex = CryptoJson.text(json, f.getKey());
        byte[] again;
        try {
          again = f.getValue().apply(Hex.decode(hex));
        } catch (Exception e) {
          throw new VectorMismatch(f.getKey() + ": does not decode: " + e.getMessage());
        }
        VectorMismatch.expectHex(f.getKey(), hex, again);
      }
    }
  }
}
