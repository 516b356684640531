package org.quicproquo.interop;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.group.GroupOptions;

/**
 * The state of one scenario on one ciphersuite: the peer, the qpq-mls suite, unique member
 * names, and the counts of checks that held.
 */
final class SuiteRun {
  private final TsMlsPeer peer;
  private final CipherSuite suite;
  private final SecureRandom random;
  private final String prefix;
  private final List<TsParticipant> tsMembers = new ArrayList<>();
  private int checks;
  private int epochs;
  private int messages;

  SuiteRun(TsMlsPeer peer, CipherSuite suite, SecureRandom random, String prefix) {
    this.peer = peer;
    this.suite = suite;
    this.random = random;
    this.prefix = prefix;
  }

  TsMlsPeer peer() {
    return peer;
  }

  CipherSuite suite() {
    return suite;
  }

  int suiteId() {
    return suite.id().code();
  }

  byte[] random(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A ts-mls member with a name unique to this scenario and suite. */
  TsParticipant ts(String name) {
    TsParticipant t = new TsParticipant(peer, prefix + name, suiteId());
    tsMembers.add(t);
    return t;
  }

  /** A qpq-mls client; handshake messages encrypted when {@code encrypt}, tree in Welcomes when {@code tree}. */
  JavaParticipant java(String name, boolean encrypt, boolean tree, int... extensionTypes)
      throws InteropException {
    return new JavaParticipant(suite, prefix + name, new GroupOptions(encrypt, tree, 0),
        extensionTypes);
  }

  /** Fails the scenario with {@code message} unless {@code ok}. */
  void check(boolean ok, String message) throws InteropException {
    if (!ok) {
      throw new InteropException("check failed: " + message);
    }
    checks++;
  }

  void epochChecked() {
    epochs++;
  }

  void messageChecked() {
    messages++;
  }

  String summary() {
    return "checks=" + checks + " epochs=" + epochs + " messages=" + messages;
  }

  /** Frees the ts-mls members of this scenario in the peer (best effort). */
  void cleanup() {
    for (TsParticipant t : tsMembers) {
      try {
        t.delete();
      } catch (InteropException e) {
        // A member that was never created is unknown to the peer; nothing to free.
      }
    }
  }
}
