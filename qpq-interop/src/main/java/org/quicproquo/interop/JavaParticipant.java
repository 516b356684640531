package org.quicproquo.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalJoin;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.mls.tree.RatchetTree;

/** A qpq-mls client: a KeyPackage until it creates or joins a group, then a {@link Group}. */
final class JavaParticipant implements Participant {
  private static final Lifetime FOREVER = new Lifetime(0, Long.MAX_VALUE);

  private final CipherSuite suite;
  private final String name;
  private final GroupOptions options;
  private final List<Integer> extensionTypes;
  private KeyPackageBundle bundle;
  private ExternalPsks psks = ExternalPsks.none();
  /** The PSKs as given, because Group.create takes none: they are added to the new group. */
  private final List<byte[][]> pskList = new ArrayList<>();
  private Group group;

  /**
   * A client named {@code name} whose leaf lists {@code extensionTypes} in its capabilities, with
   * handshake messages encrypted or not and the tree in its Welcomes or not.
   */
  JavaParticipant(CipherSuite suite, String name, GroupOptions options, int... extensionTypes)
      throws InteropException {
    this.suite = suite;
    this.name = name;
    this.options = options;
    List<Integer> ext = new ArrayList<>();
    for (int t : extensionTypes) {
      ext.add(t);
    }
    this.extensionTypes = List.copyOf(ext);
    this.bundle = freshKeyPackage();
  }

  private KeyPackageBundle freshKeyPackage() throws InteropException {
    Capabilities def = Group.defaultCapabilities(suite, credentialType());
    Capabilities caps = new Capabilities(def.versions(), def.cipherSuites(), extensionTypes,
        def.proposals(), def.credentials());
    try {
      return Group.generateKeyPackage(suite, Credential.basic(name.getBytes(UTF_8)),
          suite.generateSignatureKeyPair(), caps, FOREVER);
    } catch (MlsException e) {
      throw new InteropException(label() + ": key package: " + e.getMessage(), e);
    }
  }

  private static int credentialType() {
    return CredentialType.BASIC;
  }

  @Override
  public String label() {
    return "java:" + name;
  }

  Group group() {
    return group;
  }

  /** The KeyPackage (MLSMessage bytes) a group uses to add this client. */
  byte[] keyPackage() {
    return MLSMessage.of(bundle.keyPackage()).toBytes();
  }

  KeyPackage rawKeyPackage() {
    return bundle.keyPackage();
  }

  void createGroup(byte[] groupId) throws InteropException {
    try {
      group = Group.create(suite, groupId, bundle, List.of(), options);
      for (byte[][] psk : pskList) {
        group.addExternalPsk(psk[0], psk[1]);
      }
    } catch (MlsException e) {
      throw fail("create", e);
    }
  }

  void join(byte[] welcome, byte[] ratchetTree) throws InteropException {
    try {
      Welcome w = MLSMessage.fromBytes(welcome).as(Welcome.class);
      Optional<RatchetTree> tree = ratchetTree == null ? Optional.empty()
          : Optional.of(RatchetTree.decode(suite, ratchetTree));
      group = Group.join(suite, w, bundle, tree, psks, options);
    } catch (MlsException e) {
      throw fail("join", e);
    }
  }

  /** Joins by external commit from a GroupInfo (tree inside it); returns the commit. */
  byte[] externalJoin(byte[] groupInfo) throws InteropException {
    try {
      GroupInfo gi = MLSMessage.fromBytes(groupInfo).as(GroupInfo.class);
      ExternalJoin ej = Group.joinExternal(suite, gi, Optional.empty(),
          Credential.basic(name.getBytes(UTF_8)), bundle.signatureKeyPair(), options);
      group = ej.group();
      return ej.commit().toBytes();
    } catch (MlsException e) {
      throw fail("external join", e);
    }
  }

  byte[] groupInfo() throws InteropException {
    try {
      return MLSMessage.of(group.groupInfo()).toBytes();
    } catch (MlsException e) {
      throw fail("group info", e);
    }
  }

  void addExternalPsk(byte[] pskId, byte[] secret) {
    psks = psks.with(pskId, secret);
    pskList.add(new byte[][] {pskId.clone(), secret.clone()});
    if (group != null) {
      group.addExternalPsk(pskId, secret);
    }
  }

  /** Commits {@code inline} plus the cached proposals and merges at once. */
  Committed commit(List<Proposal> inline) throws InteropException {
    try {
      CommitResult r = group.commit(inline);
      group.mergePendingCommit();
      return new Committed(r.commit().toBytes(),
          r.welcome().map(w -> MLSMessage.of(w).toBytes()).orElse(null),
          group.ratchetTree().encode());
    } catch (MlsException e) {
      throw fail("commit", e);
    }
  }

  /** Proposals by reference: returns the MLSMessage to deliver. */
  interface Proposer {
    MLSMessage propose(Group g) throws MlsException;
  }

  byte[] propose(Proposer p) throws InteropException {
    try {
      return p.propose(group).toBytes();
    } catch (MlsException e) {
      throw fail("propose", e);
    }
  }

  List<Extension> groupContextExtensions() {
    return group.groupContext().extensions();
  }

  @Override
  public int leafIndex() {
    return group.ownLeafIndex().value();
  }

  @Override
  public long epoch() {
    return group.epoch();
  }

  @Override
  public byte[] epochAuthenticator() {
    return group.epochAuthenticator();
  }

  @Override
  public byte[] exportSecret(String label, byte[] context, int length) {
    return group.exportSecret(label, context, length);
  }

  @Override
  public Received process(byte[] message) throws InteropException {
    try {
      GroupEvent e = group.process(MLSMessage.fromBytes(message));
      if (e instanceof GroupEvent.ApplicationMessage a) {
        return new Received("application", a.data(), true);
      }
      if (e instanceof GroupEvent.CommitApplied c) {
        return new Received("commit", new byte[0], !c.selfRemoved());
      }
      return new Received("proposal", new byte[0], true);
    } catch (MlsException e) {
      throw fail("process", e);
    }
  }

  @Override
  public byte[] encrypt(byte[] data) throws InteropException {
    try {
      return group.encrypt(data).toBytes();
    } catch (MlsException e) {
      throw fail("encrypt", e);
    }
  }

  private InteropException fail(String what, MlsException e) {
    return new InteropException(label() + ": " + what + ": " + e, e);
  }
}
