package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.NodeIndex;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.RequiredCapabilities;
import org.quicproquo.mls.tree.TreeKem;
import org.quicproquo.mls.tree.TreePrivateKeys;
import org.quicproquo.mls.tree.TreeValidator;
import org.quicproquo.mls.tree.UpdatePath;
import org.quicproquo.mls.tree.ValidationContext;

/**
 * {@code treekem.json}. For every given UpdatePath: merge it into the tree, compare the tree hash,
 * and let every other member with private state decrypt it, comparing the path secret at the
 * common ancestor and the commit secret. Then the first and the last member with private state each
 * create a fresh UpdatePath, and all others must process it to the same commit secret and tree hash.
 */
final class TreeKemVectors implements VectorKind {
  @Override
  public String name() {
    return "treekem";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    return VectorKind.indexed(root, Case::new);
  }

  private record Member(LeafIndex leaf, TreePrivateKeys keys, byte[] signaturePriv) {}

  private record Case(int index, JsonNode json) implements VectorCase {
    @Override
    public String name() {
      return "#" + index + " cipher_suite=" + json.path("cipher_suite").asText() + " members="
          + json.path("leaves_private").size();
    }

    @Override
    public void check() throws Exception {
      CipherSuite suite = CryptoJson.suite(CryptoJson.number(json, "cipher_suite"));
      byte[] groupId = CryptoJson.hex(json, "group_id");
      long epoch = CryptoJson.number(json, "epoch");
      byte[] cth = CryptoJson.hex(json, "confirmed_transcript_hash");
      byte[] treeBytes = CryptoJson.hex(json, "ratchet_tree");
      RatchetTree tree = RatchetTree.decode(suite, treeBytes);
      ValidationContext vctx = new ValidationContext(groupId, RequiredCapabilities.NONE, null);
      TreeValidator.validateTree(tree, vctx);

      List<Member> members = new ArrayList<>();
      for (JsonNode lp : CryptoJson.array(json, "leaves_private")) {
        LeafIndex leaf = LeafIndex.of((int) CryptoJson.number(lp, "index"));
        TreePrivateKeys keys = TreePrivateKeys.ofLeaf(leaf, CryptoJson.hex(lp, "encryption_priv"));
        for (JsonNode ps : CryptoJson.array(lp, "path_secrets")) {
          byte[] secret = CryptoJson.hex(ps, "path_secret");
          NodeIndex node = NodeIndex.of((int) CryptoJson.number(ps, "node"));
          keys = keys.with(node, suite.deriveHpkeKeyPair(suite.deriveSecret(secret, "node"))
              .privateKey());
        }
        if (!keys.matches(tree)) {
          throw new VectorMismatch("leaves_private[" + members.size()
              + "]: private keys do not match the tree");
        }
        members.add(new Member(leaf, keys, CryptoJson.hex(lp, "signature_priv")));
      }

      int u = 0;
      for (JsonNode up : CryptoJson.array(json, "update_paths")) {
        String at = "update_paths[" + u++ + "]";
        LeafIndex sender = LeafIndex.of((int) CryptoJson.number(up, "sender"));
        UpdatePath path = TlsReader.decodeAll(CryptoJson.hex(up, "update_path"),
            UpdatePath::decode);
        RatchetTree after = RatchetTree.decode(suite, treeBytes);
        TreeKem.Merged merged = TreeKem.merge(after, sender, path, vctx, List.of());
        VectorMismatch.expectHex(at + ".tree_hash_after", CryptoJson.text(up, "tree_hash_after"),
            after.treeHash());
        after.verifyParentHashes();
        GroupContext ctx = new GroupContext(suite.id(), groupId, epoch, after.treeHash(), cth,
            List.of());
        JsonNode expectedSecrets = CryptoJson.array(up, "path_secrets");
        for (int m = 0; m < members.size(); m++) {
          Member me = members.get(m);
          // path_secrets is indexed by leaf index, null for the sender and blank leaves.
          int l = me.leaf().value();
          JsonNode exp = expectedSecrets.get(l);
          if (exp == null) {
            throw new VectorFormatException(at + ".path_secrets has no entry for leaf " + l);
          }
          if (me.leaf().equals(sender)) {
            VectorMismatch.expect(at + ".path_secrets[" + l + "] (sender)", true, exp.isNull());
            continue;
          }
          TreeKem.Received got = merged.decrypt(ctx, me.keys());
          VectorMismatch.expectHex(at + ".path_secrets[" + l + "]", exp.asText(),
              got.pathSecret().secret());
          VectorMismatch.expectHex(at + ".commit_secret", CryptoJson.text(up, "commit_secret"),
              got.commitSecret());
        }
      }

      // Fresh paths from the first and the last member with private state (each sender costs
      // one HPKE decryption per other member; P-521 makes all senders too slow for a unit run).
      for (Member sender : List.of(members.get(0), members.get(members.size() - 1))) {
        RatchetTree senderTree = RatchetTree.decode(suite, treeBytes);
        TreeKem.Prepared prepared = TreeKem.prepare(senderTree, sender.leaf(),
            senderTree.leaf(sender.leaf()), sender.signaturePriv(), groupId, List.of());
        GroupContext ctx = new GroupContext(suite.id(), groupId, epoch, senderTree.treeHash(),
            cth, List.of());
        UpdatePath path = prepared.encrypt(ctx);
        senderTree.verifyParentHashes();
        for (Member receiver : members) {
          if (receiver == sender) {
            continue;
          }
          RatchetTree receiverTree = RatchetTree.decode(suite, treeBytes);
          TreeKem.Received got = TreeKem.merge(receiverTree, sender.leaf(),
              TlsReader.decodeAll(path.toBytes(), UpdatePath::decode), vctx, List.of())
              .decrypt(ctx, receiver.keys());
          VectorMismatch.expectHex("own path from " + sender.leaf() + ": tree hash at "
              + receiver.leaf(), Hex.encode(senderTree.treeHash()), receiverTree.treeHash());
          VectorMismatch.expectHex("own path from " + sender.leaf() + ": commit secret at "
              + receiver.leaf(), Hex.encode(prepared.commitSecret()), got.commitSecret());
        }
      }
    }
  }
}
