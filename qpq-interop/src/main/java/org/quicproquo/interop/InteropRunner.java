package org.quicproquo.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * Runs every interop scenario between qpq-mls and the ts-mls peer for every ciphersuite both
 * support, reporting one {@link ScenarioResult} per scenario and suite.
 */
public final class InteropRunner {
  /** A private-use extension type (RFC 9420 §17.3 reserves 0xF000-0xFFFF) for GroupContextExtensions. */
  static final int CUSTOM_EXTENSION = 0xF0A0;

  private final TsMlsPeer peer;
  private final SecureRandom random;
  private final List<Scenario> scenarios = List.of(
      new Scenario("java-creates/welcome-with-tree", r -> javaCreates(r, true)),
      new Scenario("java-creates/welcome-without-tree", r -> javaCreates(r, false)),
      new Scenario("tsmls-creates/welcome-with-tree", r -> tsCreates(r, true)),
      new Scenario("tsmls-creates/welcome-without-tree", r -> tsCreates(r, false)),
      new Scenario("mixed-group/6-members", InteropRunner::mixedGroup),
      new Scenario("external-join/java-into-tsmls", InteropRunner::javaJoinsTsExternally),
      new Scenario("external-join/tsmls-into-java", InteropRunner::tsJoinsJavaExternally),
      new Scenario("psk-proposal/both-directions", InteropRunner::pskProposals),
      new Scenario("group-context-extensions/java-commits", InteropRunner::gceByJava),
      new Scenario("group-context-extensions/tsmls-commits", InteropRunner::gceByTs),
      new Scenario("update-proposal/from-tsmls", InteropRunner::updateProposalFromTs),
      new Scenario("out-of-order/application-both-ways", InteropRunner::outOfOrder));

  /** A runner on a started peer; {@code random} feeds qpq-mls. */
  public InteropRunner(TsMlsPeer peer, SecureRandom random) {
    this.peer = peer;
    this.random = random;
  }

  /** The scenario names, in run order. */
  public List<String> scenarioNames() {
    return scenarios.stream().map(Scenario::name).toList();
  }

  /**
   * Suite ids ts-mls reports supported by {@code hello} and qpq-mls implements; each suite that
   * only one side has is described in {@code notes}.
   */
  public List<Integer> commonSuites(List<String> notes) throws InteropException {
    JsonNode hello = peer.call("hello", peer.object());
    List<Integer> common = new ArrayList<>();
    List<Integer> tsOnlyUnavailable = new ArrayList<>();
    for (JsonNode s : hello.path("suites")) {
      int id = s.path("id").asInt();
      boolean java = javaSupports(id);
      boolean ts = s.path("supported").asBoolean(false);
      if (java && ts) {
        common.add(id);
      } else if (java) {
        notes.add("suite=" + id + " ts-mls lacks it: " + s.path("error").asText("unsupported"));
      } else {
        tsOnlyUnavailable.add(id);
      }
    }
    for (CipherSuiteId id : CipherSuiteId.values()) {
      if (common.stream().noneMatch(c -> c == id.code())
          && notes.stream().noneMatch(n -> n.startsWith("suite=" + id.code() + " "))) {
        notes.add("suite=" + id.code() + " ts-mls does not list it");
      }
    }
    if (!tsOnlyUnavailable.isEmpty()) {
      notes.add("suites " + tsOnlyUnavailable + " are ts-mls post-quantum suites (not RFC 9420),"
          + " absent from qpq-mls; not tested");
    }
    return common;
  }

  private static boolean javaSupports(int id) {
    try {
      CipherSuiteId.fromCode(id);
      return true;
    } catch (CryptoException e) {
      return false;
    }
  }

  /** Runs every scenario on every suite in {@code suites}, handing each result to {@code sink}. */
  public List<ScenarioResult> run(List<Integer> suites, Consumer<ScenarioResult> sink)
      throws InteropException {
    List<ScenarioResult> results = new ArrayList<>();
    int n = 0;
    for (int id : suites) {
      CipherSuite suite;
      try {
        suite = CipherSuites.of(CipherSuiteId.fromCode(id), random);
      } catch (CryptoException e) {
        throw new InteropException("qpq-mls has no suite " + id, e);
      }
      for (Scenario sc : scenarios) {
        SuiteRun run = new SuiteRun(peer, suite, random, "s" + id + "-" + (n++) + "-");
        ScenarioResult res;
        try {
          res = new ScenarioResult(ScenarioResult.Status.PASS, sc.name(), id,
              (sc.body().run(run) + " " + run.summary()).strip());
        } catch (Scenario.Skip s) {
          res = new ScenarioResult(ScenarioResult.Status.SKIP, sc.name(), id, s.getMessage());
        } catch (Exception e) {
          res = new ScenarioResult(ScenarioResult.Status.FAIL, sc.name(), id, String.valueOf(
              e.getMessage()).replace('\n', ' ') + " (after " + run.summary() + ")");
        } finally {
          run.cleanup();
        }
        results.add(res);
        sink.accept(res);
      }
    }
    return results;
  }

  // ------------------------------------------------------------------ scenarios

  /** Java creates, adds a ts-mls member; messages both ways; a commit from each side. */
  private static String javaCreates(SuiteRun r, boolean treeInWelcome) throws InteropException {
    JavaParticipant alice = r.java("alice", false, treeInWelcome);
    alice.createGroup(r.random(16));
    TsParticipant bob = r.ts("bob");
    byte[] kp = bob.keyPackage();
    Participant.Committed c = alice.commit(List.of(new Proposal.Add(decodeKeyPackage(kp))));
    r.check(c.welcome() != null, "no Welcome for an Add");
    bob.join(c.welcome(), treeInWelcome ? null : c.ratchetTree());
    Roster g = new Roster(r, alice, bob);
    g.agree();
    g.messagesAllWays();
    g.commit(bob, bob.update(false).commit());
    g.commit(alice, alice.commit(List.of()).commit());
    g.messagesAllWays();
    return "";
  }

  /** ts-mls creates, adds a Java member; messages both ways; a commit from each side. */
  private static String tsCreates(SuiteRun r, boolean treeInWelcome) throws InteropException {
    TsParticipant alice = r.ts("alice");
    alice.createGroup();
    JavaParticipant bob = r.java("bob", true, true);
    Participant.Committed c = alice.commit(addProposals(alice, bob.keyPackage()), false,
        treeInWelcome);
    r.check(c.welcome() != null, "no Welcome for an Add");
    bob.join(c.welcome(), treeInWelcome ? null : c.ratchetTree());
    Roster g = new Roster(r, alice, bob);
    g.agree();
    g.messagesAllWays();
    g.commit(bob, bob.commit(List.of()).commit());
    g.commit(alice, alice.update(true).commit());
    g.messagesAllWays();
    return "";
  }

  /**
   * Six members (three per side) with adds, removes, updates and commits from both sides, each
   * commit processed by all; agreement after every epoch.
   */
  private static String mixedGroup(SuiteRun r) throws InteropException {
    JavaParticipant j0 = r.java("j0", false, true);
    JavaParticipant j1 = r.java("j1", true, true);
    JavaParticipant j2 = r.java("j2", false, true);
    JavaParticipant j3 = r.java("j3", true, false);
    TsParticipant t0 = r.ts("t0");
    TsParticipant t1 = r.ts("t1");
    TsParticipant t2 = r.ts("t2");
    TsParticipant t3 = r.ts("t3");
    j0.createGroup(r.random(16));
    Roster g = new Roster(r, j0);
    // Java adds one member per side.
    Participant.Committed c = j0.commit(List.of(new Proposal.Add(decodeKeyPackage(t0.keyPackage())),
        new Proposal.Add(j1.rawKeyPackage())));
    g.commit(j0, c.commit());
    t0.join(c.welcome(), null);
    j1.join(c.welcome(), null);
    g.add(t0);
    g.add(j1);
    g.agree();
    // ts-mls adds one ts-mls and two Java members.
    c = t0.commit(addProposals(t0, t1.keyPackage(), j2.keyPackage(), j3.keyPackage()), false,
        true);
    g.commit(t0, c.commit());
    t1.join(c.welcome(), null);
    j2.join(c.welcome(), null);
    j3.join(c.welcome(), null);
    g.add(t1);
    g.add(j2);
    g.add(j3);
    g.agree();
    r.check(g.size() == 6, "expected 6 members, have " + g.size());
    g.messagesAllWays();
    // A Java Update proposal, committed by ts-mls (by reference).
    g.proposal(j1, j1.propose(grp -> grp.proposeUpdate()));
    g.commit(t1, t1.commit(t1.proposals(), true, true).commit());
    // Full-path updates from each side.
    g.commit(t1, t1.update(false).commit());
    g.commit(j2, j2.commit(List.of()).commit());
    // A ts-mls Remove proposal (of a ts-mls member), committed by Java.
    ObjectNode remove = r.peer().object();
    remove.put("type", "remove");
    remove.put("leafIndex", t1.leafIndex());
    g.proposal(t0, t0.propose(remove));
    g.commit(j3, j3.commit(List.of()).commit(), t1);
    // Java adds a ts-mls member and removes a Java member in one commit.
    c = j0.commit(List.of(new Proposal.Add(decodeKeyPackage(t2.keyPackage())),
        Proposal.Remove.of(new LeafIndex(j1.leafIndex()))));
    g.commit(j0, c.commit(), j1);
    t2.join(c.welcome(), null);
    g.add(t2);
    g.agree();
    // ts-mls adds (PublicMessage, tree out of band), then the new ts-mls member removes the
    // Java creator.
    c = t2.commit(addProposals(t2, t3.keyPackage()), true, false);
    g.commit(t2, c.commit());
    t3.join(c.welcome(), c.ratchetTree());
    g.add(t3);
    g.agree();
    ObjectNode removeJ0 = r.peer().object();
    removeJ0.put("type", "remove");
    removeJ0.put("leafIndex", j0.leafIndex());
    Participant.Committed rm = t3.commit(t3.proposals().add(removeJ0), false, true);
    g.commit(t3, rm.commit(), j0);
    g.messagesAllWays();
    return "members-at-end=" + g.size();
  }

  /** A Java client joins a ts-mls group by external commit. */
  private static String javaJoinsTsExternally(SuiteRun r) throws InteropException {
    TsParticipant t0 = r.ts("t0");
    TsParticipant t1 = r.ts("t1");
    t0.createGroup();
    Participant.Committed c = t0.commit(addProposals(t0, t1.keyPackage()), false, true);
    t1.join(c.welcome(), null);
    Roster g = new Roster(r, t0, t1);
    g.agree();
    JavaParticipant j = r.java("j", false, true);
    byte[] commit = j.externalJoin(t0.groupInfo());
    g.commit(j, commit);
    g.add(j);
    g.agree();
    g.messagesAllWays();
    g.commit(t1, t1.update(false).commit());
    return "";
  }

  /** A ts-mls client joins a Java group by external commit. */
  private static String tsJoinsJavaExternally(SuiteRun r) throws InteropException {
    JavaParticipant j0 = r.java("j0", false, true);
    JavaParticipant j1 = r.java("j1", true, true);
    j0.createGroup(r.random(16));
    Participant.Committed c = j0.commit(List.of(new Proposal.Add(j1.rawKeyPackage())));
    j1.join(c.welcome(), null);
    Roster g = new Roster(r, j0, j1);
    g.agree();
    TsParticipant t = r.ts("t");
    byte[] commit = t.externalJoin(j0.groupInfo());
    g.commit(t, commit);
    g.add(t);
    g.agree();
    g.messagesAllWays();
    g.commit(j1, j1.commit(List.of()).commit());
    return "";
  }

  /** External PSK proposals by reference from each side, committed by the other side. */
  private static String pskProposals(SuiteRun r) throws InteropException {
    byte[] pskId = "qpq-interop-psk".getBytes(UTF_8);
    byte[] secret = r.random(32);
    JavaParticipant j = r.java("j", false, true);
    TsParticipant t = r.ts("t");
    j.addExternalPsk(pskId, secret);
    t.addExternalPsk(pskId, secret);
    j.createGroup(r.random(16));
    Participant.Committed c = j.commit(List.of(new Proposal.Add(decodeKeyPackage(t.keyPackage()))));
    t.join(c.welcome(), null);
    Roster g = new Roster(r, j, t);
    g.agree();
    // Java proposes, ts-mls commits (as PrivateMessage, then as PublicMessage below).
    byte[] nonce = r.random(r.suite().hashLength());
    g.proposal(j, j.propose(grp -> grp.proposePsk(new PreSharedKeyId.External(pskId, nonce))));
    g.commit(t, t.commit(t.proposals(), false, true).commit());
    // ts-mls proposes, Java commits.
    ObjectNode psk = r.peer().object();
    psk.put("type", "psk");
    psk.put("pskId", TsParticipant.hex(pskId));
    g.proposal(t, t.propose(psk));
    g.commit(j, j.commit(List.of()).commit());
    // Inline PSK in a Java commit, and in a ts-mls commit.
    g.commit(j, j.commit(List.of(new Proposal.PreSharedKey(
        new PreSharedKeyId.External(pskId, r.random(r.suite().hashLength()))))).commit());
    g.commit(t, t.commit(t.proposals().add(psk), true, true).commit());
    g.messagesAllWays();
    return "";
  }

  /** GroupContextExtensions committed by Java, inline and from a ts-mls proposal. */
  private static String gceByJava(SuiteRun r) throws InteropException {
    JavaParticipant j = r.java("j", false, true, CUSTOM_EXTENSION);
    TsParticipant t = r.ts("t");
    j.createGroup(r.random(16));
    Participant.Committed c = j.commit(List.of(new Proposal.Add(
        decodeKeyPackage(t.keyPackage(CUSTOM_EXTENSION)))));
    t.join(c.welcome(), null);
    Roster g = new Roster(r, j, t);
    g.agree();
    byte[] v1 = "java-set".getBytes(UTF_8);
    g.commit(j, j.commit(List.of(new Proposal.GroupContextExtensions(
        List.of(new Extension(CUSTOM_EXTENSION, v1))))).commit());
    checkExtension(r, j, t, v1);
    byte[] v2 = "tsmls-proposed".getBytes(UTF_8);
    ObjectNode gce = r.peer().object();
    gce.put("type", "groupContextExtensions");
    ObjectNode ext = gce.putArray("extensions").addObject();
    ext.put("type", CUSTOM_EXTENSION);
    ext.put("data", TsParticipant.hex(v2));
    g.proposal(t, t.propose(gce));
    g.commit(j, j.commit(List.of()).commit());
    checkExtension(r, j, t, v2);
    g.messagesAllWays();
    return "";
  }

  private static void checkExtension(SuiteRun r, JavaParticipant j, TsParticipant t, byte[] value)
      throws InteropException {
    List<Extension> javaExt = j.groupContextExtensions();
    r.check(javaExt.size() == 1 && javaExt.get(0).extensionType() == CUSTOM_EXTENSION
        && Arrays.equals(javaExt.get(0).extensionData(), value), "Java GroupContext extensions");
    JsonNode tsExt = t.groupContextExtensions();
    r.check(tsExt.size() == 1 && tsExt.get(0).path("type").asInt() == CUSTOM_EXTENSION
        && tsExt.get(0).path("data").asText().equalsIgnoreCase(TsParticipant.hex(value)),
        "ts-mls GroupContext extensions " + tsExt);
  }

  /**
   * GroupContextExtensions committed by ts-mls. interop/README.md documents that ts-mls 1.6.4
   * sends such commits without the UpdatePath §12.4 requires; if qpq-mls rejects it for exactly
   * that, the scenario is a SKIP naming the defect; if ts-mls ever sends a valid one it must pass.
   */
  private static String gceByTs(SuiteRun r) throws InteropException {
    TsParticipant t = r.ts("t");
    t.createGroup(CUSTOM_EXTENSION);
    JavaParticipant j = r.java("j", false, true, CUSTOM_EXTENSION);
    Participant.Committed c = t.commit(addProposals(t, j.keyPackage()), false, true);
    j.join(c.welcome(), null);
    Roster g = new Roster(r, t, j);
    g.agree();
    ObjectNode gce = r.peer().object();
    gce.put("type", "groupContextExtensions");
    ObjectNode ext = gce.putArray("extensions").addObject();
    ext.put("type", CUSTOM_EXTENSION);
    ext.put("data", TsParticipant.hex("tsmls-set".getBytes(UTF_8)));
    byte[] commit = t.commit(t.proposals().add(gce), true, true).commit();
    try {
      g.commit(t, commit);
    } catch (InteropException e) {
      if (e.getMessage().contains("PATH_REQUIRED") || e.getMessage().contains("INVALID_PATH")) {
        throw new Scenario.Skip("ts-mls 1.6.4 commits GroupContextExtensions without an"
            + " UpdatePath (RFC 9420 §12.4 requires one); qpq-mls rejects it: " + e.getMessage());
      }
      throw e;
    }
    checkExtension(r, j, t, "tsmls-set".getBytes(UTF_8));
    return "";
  }

  /** ts-mls 1.6.4 cannot create Update proposals; the peer says so with kind Unsupported. */
  private static String updateProposalFromTs(SuiteRun r) throws InteropException {
    TsParticipant t = r.ts("t");
    t.createGroup();
    ObjectNode update = r.peer().object();
    update.put("type", "update");
    try {
      t.propose(update);
    } catch (PeerException e) {
      if (e.kind().equals("Unsupported")) {
        throw new Scenario.Skip("ts-mls 1.6.4 has no API for an update-source LeafNode, so it"
            + " cannot send Update proposals (it applies others'; its self-updates are full-path"
            + " commits, tested above)");
      }
      throw e;
    }
    throw new InteropException("the peer now sends Update proposals: add a real scenario");
  }

  /** Application messages delivered out of order within one epoch, both directions. */
  private static String outOfOrder(SuiteRun r) throws InteropException {
    JavaParticipant j = r.java("j", true, true);
    TsParticipant t = r.ts("t");
    j.createGroup(r.random(16));
    Participant.Committed c = j.commit(List.of(new Proposal.Add(decodeKeyPackage(t.keyPackage()))));
    t.join(c.welcome(), null);
    Roster g = new Roster(r, j, t);
    g.agree();
    int[] order = {4, 0, 2, 5, 1, 3};
    deliverShuffled(r, j, t, order);
    deliverShuffled(r, t, j, order);
    // Messages sent just before a commit, read after it (previous epoch, §14).
    byte[] lateFromJava = j.encrypt("late-java".getBytes(UTF_8));
    byte[] lateFromTs = t.encrypt("late-ts".getBytes(UTF_8));
    g.commit(j, j.commit(List.of()).commit());
    r.check(Arrays.equals(t.process(lateFromJava).data(), "late-java".getBytes(UTF_8)),
        "ts-mls read a previous-epoch message");
    r.check(Arrays.equals(j.process(lateFromTs).data(), "late-ts".getBytes(UTF_8)),
        "Java read a previous-epoch message");
    deliverShuffled(r, j, t, order);
    deliverShuffled(r, t, j, order);
    return "order=" + Arrays.toString(order) + " plus previous-epoch";
  }

  private static void deliverShuffled(SuiteRun r, Participant from, Participant to, int[] order)
      throws InteropException {
    byte[][] data = new byte[order.length][];
    byte[][] msgs = new byte[order.length][];
    for (int i = 0; i < order.length; i++) {
      data[i] = ("msg " + i + " " + from.label()).getBytes(UTF_8);
      msgs[i] = from.encrypt(data[i]);
    }
    for (int i : order) {
      Participant.Received got = to.process(msgs[i]);
      r.check(got.kind().equals("application") && Arrays.equals(got.data(), data[i]),
          to.label() + " misread out-of-order message " + i + " of " + from.label());
      r.messageChecked();
    }
    try {
      to.process(msgs[order[0]]);
    } catch (InteropException e) {
      r.check(true, "replay refused");
      return;
    }
    r.check(false, to.label() + " accepted a replayed application message");
  }

  // ------------------------------------------------------------------ helpers

  private static com.fasterxml.jackson.databind.node.ArrayNode addProposals(TsParticipant t,
      byte[]... keyPackages) {
    com.fasterxml.jackson.databind.node.ArrayNode a = t.proposals();
    for (byte[] kp : keyPackages) {
      ObjectNode add = a.addObject();
      add.put("type", "add");
      add.put("keyPackage", HexFormat.of().formatHex(kp));
    }
    return a;
  }

  private static org.quicproquo.mls.tree.KeyPackage decodeKeyPackage(byte[] mlsMessage)
      throws InteropException {
    try {
      return MLSMessage.fromBytes(mlsMessage).as(org.quicproquo.mls.tree.KeyPackage.class);
    } catch (org.quicproquo.mls.MlsException e) {
      throw new InteropException("ts-mls KeyPackage does not decode: " + e.getMessage(), e);
    }
  }

}
