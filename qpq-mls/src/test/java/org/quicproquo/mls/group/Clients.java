package org.quicproquo.mls.group;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.Lifetime;

/** Test fixture: fresh clients and whole groups of them in one JVM. */
final class Clients {
  static final CipherSuite SUITE = CipherSuites.of(
      CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, new SecureRandom());

  private Clients() {}

  static KeyPackageBundle bundle(String name) throws MlsException {
    return bundle(SUITE, name);
  }

  static KeyPackageBundle bundle(CipherSuite suite, String name) throws MlsException {
    SignatureKeyPair sig = suite.generateSignatureKeyPair();
    Credential cred = Credential.basic(name.getBytes(StandardCharsets.UTF_8));
    return Group.generateKeyPackage(suite, cred, sig,
        Group.defaultCapabilities(suite, CredentialType.BASIC), new Lifetime(0, Long.MAX_VALUE));
  }

  static Group create(String name, GroupOptions options) throws MlsException {
    return Group.create(SUITE, ("group-of-" + name).getBytes(StandardCharsets.UTF_8),
        bundle(name), List.of(), options);
  }

  /**
   * A group of {@code n} members: member 0 creates it and adds the others in one commit; every
   * joiner joins from the Welcome. Index i of the result is the member at leaf i.
   */
  static List<Group> group(int n, GroupOptions options) throws MlsException {
    List<Group> members = new ArrayList<>();
    members.add(create("m0", options));
    if (n == 1) {
      return members;
    }
    List<Proposal> adds = new ArrayList<>();
    List<KeyPackageBundle> bundles = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      KeyPackageBundle b = bundle("m" + i);
      bundles.add(b);
      adds.add(new Proposal.Add(b.keyPackage()));
    }
    CommitResult r = members.get(0).commit(adds);
    members.get(0).mergePendingCommit();
    for (KeyPackageBundle b : bundles) {
      members.add(Group.join(SUITE, r.welcome().orElseThrow(), b, Optional.empty(),
          ExternalPsks.none(), options));
    }
    return members;
  }

  /** Delivers {@code msg} from {@code sender} to every other active member. */
  static List<GroupEvent> deliver(List<Group> members, Group sender, MLSMessage msg)
      throws MlsException {
    List<GroupEvent> events = new ArrayList<>();
    byte[] wire = msg.toBytes();
    for (Group g : members) {
      if (g != sender && g.isActive()) {
        events.add(g.process(MLSMessage.fromBytes(wire)));
      }
    }
    return events;
  }

  static boolean sameAuthenticator(List<Group> members) {
    byte[] first = members.get(0).epochAuthenticator();
    return members.stream().allMatch(g -> Arrays.equals(first, g.epochAuthenticator()));
  }
}
