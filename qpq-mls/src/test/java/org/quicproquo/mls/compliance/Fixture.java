package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.MessageRejectedException;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.Lifetime;

/**
 * Members of test groups built through the public {@link Group} API, with the key material
 * (KeyPackage bundles, Welcomes) the edge-case tests need to play a hostile member or joiner, and
 * the assertions every rejection test shares: a typed {@link MessageRejectedException}, a state
 * that is byte for byte what it was, and a group that still accepts a genuine message afterwards.
 */
final class Fixture {
  static final CipherSuite SUITE = CipherSuites.of(
      CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, new SecureRandom());
  static final Lifetime FOREVER = new Lifetime(0, Long.MAX_VALUE);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Fixture() {}

  /** Capabilities of this library's default leaf plus support for the given extension types. */
  static Capabilities capabilities(List<Integer> extensionTypes) {
    Capabilities d = Group.defaultCapabilities(SUITE, CredentialType.BASIC);
    return new Capabilities(d.versions(), d.cipherSuites(), extensionTypes, d.proposals(),
        d.credentials());
  }

  static KeyPackageBundle bundle(String name) throws MlsException {
    return bundle(name, Group.defaultCapabilities(SUITE, CredentialType.BASIC));
  }

  static KeyPackageBundle bundle(String name, Capabilities caps) throws MlsException {
    return Group.generateKeyPackage(SUITE, basic(name), SUITE.generateSignatureKeyPair(), caps,
        FOREVER);
  }

  static Credential basic(String name) {
    return Credential.basic(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A group whose member {@code i} sits at leaf {@code i}; {@code bundles.get(i)} is its key
   * material and {@code welcome} the Welcome that brought members 1..n-1 in (epoch 1).
   */
  record Party(List<Group> members, List<KeyPackageBundle> bundles, Welcome welcome) {
    Group get(int i) {
      return members.get(i);
    }

    /** Signature private key of the member created as number {@code i}. */
    byte[] signatureKey(int i) {
      return bundles.get(i).signatureKeyPair().privateKey();
    }

    /** What member {@code i} (i >= 1) can derive about epoch 1 from the Welcome it joined with. */
    Insider insider(int i) throws MlsException {
      return Insider.fromWelcome(welcome, bundles.get(i));
    }
  }

  static Party group(int n) throws MlsException {
    return group(n, GroupOptions.defaults(), Group.defaultCapabilities(SUITE,
        CredentialType.BASIC));
  }

  /** A group of {@code n}: member 0 creates it and adds the others in one commit (epoch 1). */
  static Party group(int n, GroupOptions options, Capabilities caps) throws MlsException {
    List<KeyPackageBundle> bundles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bundles.add(bundle("m" + i, caps));
    }
    List<Group> members = new ArrayList<>();
    members.add(Group.create(SUITE, ("group-" + RANDOM.nextLong()).getBytes(
        StandardCharsets.UTF_8), bundles.get(0), List.of(), options));
    Welcome welcome = null;
    if (n > 1) {
      List<Proposal> adds = new ArrayList<>();
      for (int i = 1; i < n; i++) {
        adds.add(new Proposal.Add(bundles.get(i).keyPackage()));
      }
      CommitResult r = members.get(0).commit(adds);
      members.get(0).mergePendingCommit();
      welcome = r.welcome().orElseThrow();
      for (int i = 1; i < n; i++) {
        members.add(Group.join(SUITE, welcome, bundles.get(i), Optional.empty(),
            ExternalPsks.none(), options));
      }
    }
    return new Party(members, bundles, welcome);
  }

  /** {@code msg} as another member receives it: re-encoded and strictly decoded. */
  static MLSMessage wire(MLSMessage msg) throws MlsException {
    return MLSMessage.fromBytes(msg.toBytes());
  }

  /** Delivers {@code msg} from {@code sender} to every other active member. */
  static List<GroupEvent> deliver(List<Group> members, Group sender, MLSMessage msg)
      throws MlsException {
    List<GroupEvent> events = new ArrayList<>();
    for (Group g : members) {
      if (g != sender && g.isActive()) {
        events.add(g.process(wire(msg)));
      }
    }
    return events;
  }

  /** {@code committer} commits {@code inline} (plus its cached proposals); everyone applies it. */
  static CommitResult commitAll(List<Group> members, Group committer, List<Proposal> inline)
      throws MlsException {
    CommitResult r = committer.commit(inline);
    deliver(members, committer, r.commit());
    committer.mergePendingCommit();
    return r;
  }

  /** The active members of {@code members} share epoch and epoch_authenticator (§8.7). */
  static void assertAgree(List<Group> members) {
    List<Group> active = members.stream().filter(Group::isActive).toList();
    Group first = active.get(0);
    for (Group g : active) {
      assertThat(g.epoch()).isEqualTo(first.epoch());
      assertThat(g.epochAuthenticator()).isEqualTo(first.epochAuthenticator());
      assertThat(g.groupContext().treeHash()).isEqualTo(first.groupContext().treeHash());
    }
  }

  /** {@code receiver} reads a fresh application message of {@code sender}. */
  static void assertStillWorks(Group receiver, Group sender) throws MlsException {
    byte[] text = new byte[12];
    RANDOM.nextBytes(text);
    GroupEvent e = receiver.process(wire(sender.encrypt(text)));
    assertThat(e).isInstanceOfSatisfying(GroupEvent.ApplicationMessage.class,
        am -> assertThat(am.data()).isEqualTo(text));
  }

  /**
   * {@code receiver} rejects {@code msg} for {@code reason}, its complete saved state, epoch and
   * epoch authenticator are unchanged, and it still reads a genuine message of {@code liveSender}.
   */
  static void assertRejected(Group receiver, MLSMessage msg, RejectReason reason,
      Group liveSender) throws MlsException {
    byte[] before = receiver.save();
    long epoch = receiver.epoch();
    byte[] authenticator = receiver.epochAuthenticator();
    byte[] wire = msg.toBytes();
    assertThatThrownBy(() -> receiver.process(MLSMessage.fromBytes(wire)))
        .isInstanceOfSatisfying(MessageRejectedException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    assertThat(receiver.save()).isEqualTo(before);
    assertThat(receiver.epoch()).isEqualTo(epoch);
    assertThat(receiver.epochAuthenticator()).isEqualTo(authenticator);
    assertStillWorks(receiver, liveSender);
  }

  /**
   * {@code member}'s own action (e.g. a commit) is refused for {@code reason} with its state
   * unchanged and no commit pending; it can still send to {@code liveReceiver} afterwards.
   */
  static void assertRefused(Group member, ThrowingCallable action, RejectReason reason,
      Group liveReceiver) throws MlsException {
    byte[] before = member.save();
    assertThatThrownBy(action).isInstanceOfSatisfying(MessageRejectedException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    assertThat(member.save()).isEqualTo(before);
    assertThat(member.hasPendingCommit()).isFalse();
    assertStillWorks(liveReceiver, member);
  }

  /** Joining from {@code welcome} with {@code bundle} fails for {@code reason}. */
  static void assertJoinRejected(Welcome welcome, KeyPackageBundle bundle, ExternalPsks psks,
      RejectReason reason) {
    assertThatThrownBy(() -> Group.join(SUITE, welcome, bundle, Optional.empty(), psks,
        GroupOptions.defaults()))
        .isInstanceOfSatisfying(MessageRejectedException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }
}
