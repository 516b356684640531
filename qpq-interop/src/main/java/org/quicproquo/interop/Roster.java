package org.quicproquo.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The members of one interop group on both sides: delivers each message to every member but its
 * sender and checks that all members agree on the epoch after every commit.
 */
final class Roster {
  private final List<Participant> members = new ArrayList<>();
  private final SuiteRun run;

  Roster(SuiteRun run, Participant... initial) {
    this.run = run;
    members.addAll(List.of(initial));
  }

  void add(Participant p) {
    members.add(p);
  }

  List<Participant> members() {
    return List.copyOf(members);
  }

  int size() {
    return members.size();
  }

  /**
   * Delivers a commit from {@code sender} to all others; exactly {@code removed} must learn they
   * were removed (they leave the roster), then everyone left must agree on the new epoch.
   */
  void commit(Participant sender, byte[] commit, Participant... removed) throws InteropException {
    Set<Participant> expectRemoved = Set.of(removed);
    List<Participant> gone = new ArrayList<>();
    for (Participant p : members) {
      if (p == sender) {
        continue;
      }
      Participant.Received r = p.process(commit);
      run.check(r.kind().equals("commit"), p.label() + " got " + r.kind() + " for a commit");
      run.check(r.active() != expectRemoved.contains(p),
          p.label() + (r.active() ? " still active after its removal" : " removed unexpectedly"));
      if (!r.active()) {
        gone.add(p);
      }
    }
    members.removeAll(gone);
    agree();
  }

  /** Delivers a proposal by reference from {@code sender} to all others. */
  void proposal(Participant sender, byte[] proposal) throws InteropException {
    for (Participant p : members) {
      if (p != sender) {
        Participant.Received r = p.process(proposal);
        run.check(r.kind().equals("proposal"), p.label() + " got " + r.kind() + " for a proposal");
      }
    }
  }

  /** Every member's epoch, epoch_authenticator and an exporter value are equal. */
  void agree() throws InteropException {
    Participant first = members.get(0);
    long epoch = first.epoch();
    byte[] auth = first.epochAuthenticator();
    byte[] ctx = "interop".getBytes(StandardCharsets.UTF_8);
    byte[] exported = first.exportSecret("qpq interop", ctx, 32);
    for (Participant p : members.subList(1, members.size())) {
      run.check(p.epoch() == epoch, p.label() + " epoch " + p.epoch() + " vs " + first.label()
          + " " + epoch);
      run.check(Arrays.equals(p.epochAuthenticator(), auth), p.label()
          + " epoch_authenticator differs from " + first.label() + " in epoch " + epoch + " ("
          + HexFormat.of().formatHex(p.epochAuthenticator()) + " vs "
          + HexFormat.of().formatHex(auth) + ")");
      run.check(Arrays.equals(p.exportSecret("qpq interop", ctx, 32), exported),
          p.label() + " MLS-Exporter differs in epoch " + epoch);
    }
    run.epochChecked();
  }

  /** Each member sends one application message, which every other member must read back. */
  void messagesAllWays() throws InteropException {
    for (Participant sender : members) {
      byte[] data = ("from " + sender.label() + " in epoch " + sender.epoch())
          .getBytes(StandardCharsets.UTF_8);
      byte[] msg = sender.encrypt(data);
      for (Participant p : members) {
        if (p != sender) {
          Participant.Received r = p.process(msg);
          run.check(r.kind().equals("application") && Arrays.equals(r.data(), data),
              p.label() + " did not read " + sender.label() + "'s application message");
          run.messageChecked();
        }
      }
    }
  }
}
