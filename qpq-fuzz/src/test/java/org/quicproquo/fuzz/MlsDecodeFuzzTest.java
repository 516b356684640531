package org.quicproquo.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.RequiredCapabilities;
import org.quicproquo.mls.tree.TreeValidator;
import org.quicproquo.mls.tree.ValidationContext;

/**
 * Fuzz targets for the decoders of qpq-mls and what a receiver does right after decoding: every
 * input is either processed or rejected with an {@link MlsException} subclass (the library's own
 * typed error). Anything else escaping a target (a runtime exception, an error, a failed
 * assertion) is a finding.
 *
 * <p>Regression mode (plain {@code mvn test}) runs each target over its committed inputs under
 * {@code src/test/resources/org/quicproquo/fuzz/MlsDecodeFuzzTestInputs/<method>/}; fuzzing mode is
 * {@code .ci/fuzz}.
 */
class MlsDecodeFuzzTest {
  private static final String DURATION = "45s";

  /** Any MLSMessage decodes strictly and re-encodes to exactly the bytes it came from. */
  @FuzzTest(maxDuration = DURATION)
  void mlsMessage(byte[] input) {
    MLSMessage message;
    try {
      message = MLSMessage.fromBytes(input);
    } catch (MlsException e) {
      return;
    }
    assertThat(message.toBytes()).isEqualTo(input);
  }

  /** KeyPackage decode, the group-independent §10.1 checks and §7.3 leaf validation for an Add. */
  @FuzzTest(maxDuration = DURATION)
  void keyPackage(byte[] input) {
    FuzzGroup world = FuzzGroup.get();
    try {
      KeyPackage kp = MLSMessage.fromBytes(input).as(KeyPackage.class);
      kp.ref(world.suite);
      kp.verify(world.suite);
      RatchetTree tree = world.restore(world.bobState).ratchetTree();
      TreeValidator.validateLeaf(tree, tree.leftmostBlankLeaf(), kp.leafNode(),
          LeafNodeSource.KEY_PACKAGE, context());
    } catch (MlsException e) {
      // rejected with the library's typed error: fine
    }
  }

  /** Welcome decode and a full join (§12.4.3.1) with the key package it was made for. */
  @FuzzTest(maxDuration = DURATION)
  void welcome(byte[] input) {
    FuzzGroup world = FuzzGroup.get();
    try {
      Welcome welcome = MLSMessage.fromBytes(input).as(Welcome.class);
      Group.join(FuzzGroup.freshSuite(), welcome, world.dave, Optional.empty(), ExternalPsks.none(),
          GroupOptions.defaults());
    } catch (MlsException e) {
      // rejected with the library's typed error: fine
    }
  }

  /**
   * GroupInfo decode, signature check against alice's key, the ratchet_tree extension's decoding
   * and validation, and an external join (§12.4.3.2) from it.
   */
  @FuzzTest(maxDuration = DURATION)
  void groupInfo(byte[] input) {
    FuzzGroup world = FuzzGroup.get();
    try {
      GroupInfo gi = MLSMessage.fromBytes(input).as(GroupInfo.class);
      gi.verifySignature(world.suite, world.aliceSigner.publicKey());
      Optional<Extension> treeExt = gi.extension(ExtensionType.RATCHET_TREE);
      if (treeExt.isPresent()) {
        RatchetTree tree = RatchetTree.decode(world.suite, treeExt.get().extensionData());
        tree.treeHash();
        TreeValidator.validateTree(tree, new ValidationContext(gi.groupContext().groupId(),
            RequiredCapabilities.NONE, null));
      }
      Group.joinExternal(FuzzGroup.freshSuite(), gi, Optional.empty(),
          new Credential.Basic("mallory".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          world.externalJoiner, GroupOptions.defaults());
    } catch (MlsException e) {
      // rejected with the library's typed error: fine
    }
  }

  /** The ratchet_tree extension payload: decode, tree hash and joiner validation (§12.4.3.1). */
  @FuzzTest(maxDuration = DURATION)
  void ratchetTree(byte[] input) {
    FuzzGroup world = FuzzGroup.get();
    try {
      RatchetTree tree = RatchetTree.decode(world.suite, input);
      tree.treeHash();
      TreeValidator.validateTree(tree, context());
      assertThat(RatchetTree.decode(world.suite, tree.encode()).treeHash())
          .isEqualTo(tree.treeHash());
    } catch (MlsException e) {
      // rejected with the library's typed error: fine
    }
  }

  private static ValidationContext context() {
    return new ValidationContext(FuzzGroup.GROUP_ID, RequiredCapabilities.NONE, null);
  }
}
