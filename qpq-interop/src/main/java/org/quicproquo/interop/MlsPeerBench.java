package org.quicproquo.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.Lifetime;

/**
 * Side-by-side timings of the same MLS operations in qpq-mls and in ts-mls (the peer's
 * {@code bench} command), on groups built as interop/README.md ("bench") describes: member 0
 * creates group {@code qpq-bench-group} and adds members 1..M-1 in one add commit sent as
 * PrivateMessage; member 1 joins from its Welcome (ratchet_tree extension).
 *
 * <p>Both sides build and commit the same way: like ts-mls, qpq-mls here leaves the UpdatePath out
 * of Add-only commits ({@code Group.commit(proposals, false)}), so after the build every parent
 * node is blank in both groups, and add commits carry no path on either side; update and remove
 * commits carry one on both. Each iteration starts from the same built state (qpq-mls:
 * {@link Group#restore}).
 */
public final class MlsPeerBench {
  /** Operations timed on both sides, named as the peer names them. */
  static final List<String> OPS = List.of("createAddCommit", "processAddCommit",
      "createUpdateCommit", "processUpdateCommit", "createRemoveCommit", "processRemoveCommit",
      "joinFromWelcome", "encrypt", "decrypt");
  private static final int MESSAGE_SIZE = 100;
  /**
   * Untimed runs of each op before the timed ones, on both sides (both have JIT compilers): at
   * least {@value #WARMUP} runs and at least {@link #DEFAULT_WARMUP_MILLIS} ms of them, so that each
   * side is measured in its steady state whether one run takes 3 ms or 3 s (with 3 runs only, the
   * Java side of a 5 ms operation was timed while its code was still being compiled).
   */
  private static final int WARMUP = 3;
  public static final int DEFAULT_WARMUP_MILLIS = 5_000;

  private final SecureRandom random;
  private final CipherSuite suite;

  MlsPeerBench(SecureRandom random) {
    this.random = random;
    this.suite = CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
        random);
  }

  /**
   * Runs every op at every size in {@code sizes} on both sides (suite 1), printing one line per
   * op and size, then the JSON report; returns the report.
   */
  public static JsonNode run(List<Integer> sizes, int iterations, PrintWriter out)
      throws InteropException {
    return run(sizes, iterations, DEFAULT_WARMUP_MILLIS, out);
  }

  /** As {@link #run(List, int, PrintWriter)} with the minimum warm-up time per op and side. */
  public static JsonNode run(List<Integer> sizes, int iterations, int warmupMillis,
      PrintWriter out) throws InteropException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode report = json.createObjectNode();
    report.put("suite", 1);
    report.put("iterations", iterations);
    report.put("warmup", "at least " + WARMUP + " runs and " + warmupMillis + " ms per op and side");
    report.put("note", "wall-clock medians in ms on the same machine and run; ratio = ts-mls / qpq-mls");
    ArrayNode rows = report.putArray("results");
    MlsPeerBench bench = new MlsPeerBench(new SecureRandom());
    try (TsMlsPeer peer = TsMlsPeer.start(TsMlsPeer.findRoot(), Duration.ofMinutes(10))) {
      for (int m : sizes) {
        ObjectNode req = peer.object();
        req.put("suite", 1);
        req.put("groupSize", m);
        req.put("iterations", iterations);
        req.put("warmup", WARMUP);
        req.put("warmupMs", warmupMillis);
        req.put("messageSize", MESSAGE_SIZE);
        ArrayNode ops = req.putArray("ops");
        OPS.forEach(ops::add);
        JsonNode ts = peer.call("bench", req);
        double[] java;
        try {
          java = bench.javaMedians(m, iterations, warmupMillis);
        } catch (MlsException e) {
          throw new InteropException("qpq-mls bench at size " + m + ": " + e, e);
        }
        for (int i = 0; i < OPS.size(); i++) {
          JsonNode t = ts.get("results").get(i);
          double tsMs = t.get("medianMs").asDouble();
          ObjectNode row = rows.addObject();
          row.put("groupSize", m);
          row.put("op", OPS.get(i));
          row.put("qpqMlsMedianMs", round(java[i]));
          row.put("tsMlsMedianMs", round(tsMs));
          row.put("ratio", java[i] > 0 ? round(tsMs / java[i]) : null);
          out.printf("size=%-5d %-20s qpq-mls %10.3f ms   ts-mls %10.3f ms   ratio %.2f%n", m,
              OPS.get(i), java[i], tsMs, java[i] > 0 ? tsMs / java[i] : Double.NaN);
          out.flush();
        }
      }
    }
    try {
      out.println(json.writeValueAsString(report));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InteropException("cannot write the report", e);
    }
    out.flush();
    return report;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private KeyPackageBundle keyPackage(String identity) throws MlsException {
    return Group.generateKeyPackage(suite, Credential.basic(identity.getBytes(UTF_8)),
        suite.generateSignatureKeyPair(),
        Group.defaultCapabilities(suite, CredentialType.BASIC), new Lifetime(0, Long.MAX_VALUE));
  }

  /** Median ms of each op in {@link #OPS} on a qpq-mls group of {@code m} members. */
  double[] javaMedians(int m, int iterations, int warmupMillis) throws MlsException {
    GroupOptions opts = new GroupOptions(true, true, 0);
    Group g0 = Group.create(suite, "qpq-bench-group".getBytes(UTF_8), keyPackage("member-0"),
        List.of(), opts);
    KeyPackageBundle kp1 = keyPackage("member-1");
    List<Proposal> adds = new ArrayList<>();
    adds.add(new Proposal.Add(kp1.keyPackage()));
    for (int i = 2; i < m; i++) {
      adds.add(new Proposal.Add(keyPackage("member-" + i).keyPackage()));
    }
    CommitResult built = g0.commit(adds, false);
    g0.mergePendingCommit();
    Group g1 = Group.join(suite, built.welcome().orElseThrow(), kp1, Optional.empty(),
        ExternalPsks.none(), opts);
    byte[] s0 = g0.save();
    byte[] s1 = g1.save();
    double[] medians = new double[OPS.size()];
    for (int op = 0; op < OPS.size(); op++) {
      double[] times = new double[iterations];
      long warmStart = System.nanoTime();
      for (int w = 0; w < WARMUP
          || System.nanoTime() - warmStart < warmupMillis * 1_000_000L; w++) {
        timeOnce(OPS.get(op), s0, s1, m - 1);
      }
      for (int it = 0; it < iterations; it++) {
        times[it] = timeOnce(OPS.get(op), s0, s1, m - 1);
      }
      Arrays.sort(times);
      medians[op] = iterations % 2 == 1 ? times[iterations / 2]
          : (times[iterations / 2 - 1] + times[iterations / 2]) / 2;
    }
    return medians;
  }

  private double timeOnce(String op, byte[] s0, byte[] s1, int lastLeaf) throws MlsException {
    Group g0 = Group.restore(s0, random);
    long t0;
    switch (op) {
      case "createAddCommit" -> {
        KeyPackage kp = keyPackage("member-new").keyPackage();
        t0 = System.nanoTime();
        g0.commit(List.of(new Proposal.Add(kp)), false);
        return (System.nanoTime() - t0) / 1e6;
      }
      case "createRemoveCommit" -> {
        t0 = System.nanoTime();
        g0.commit(List.of(new Proposal.Remove(lastLeaf)));
        return (System.nanoTime() - t0) / 1e6;
      }
      case "processRemoveCommit" -> {
        MLSMessage commit = MLSMessage.fromBytes(
            g0.commit(List.of(new Proposal.Remove(lastLeaf))).commit().toBytes());
        Group g1 = Group.restore(s1, random);
        t0 = System.nanoTime();
        g1.process(commit);
        return (System.nanoTime() - t0) / 1e6;
      }
      case "joinFromWelcome" -> {
        KeyPackageBundle kp = keyPackage("member-new");
        // Like the peer, which passes the Welcome object createCommit returned.
        Welcome welcome = g0.commit(List.of(new Proposal.Add(kp.keyPackage())), false).welcome()
            .orElseThrow();
        t0 = System.nanoTime();
        Group.join(suite, welcome, kp, Optional.empty(), ExternalPsks.none(),
            new GroupOptions(true, true, 0));
        return (System.nanoTime() - t0) / 1e6;
      }
      case "createUpdateCommit" -> {
        t0 = System.nanoTime();
        g0.commit(List.of());
        return (System.nanoTime() - t0) / 1e6;
      }
      case "processAddCommit", "processUpdateCommit" -> {
        List<Proposal> props = op.equals("processAddCommit")
            ? List.of(new Proposal.Add(keyPackage("member-new").keyPackage())) : List.of();
        boolean path = op.equals("processUpdateCommit");
        MLSMessage commit = MLSMessage.fromBytes(g0.commit(props, path).commit().toBytes());
        Group g1 = Group.restore(s1, random);
        t0 = System.nanoTime();
        g1.process(commit);
        return (System.nanoTime() - t0) / 1e6;
      }
      case "encrypt" -> {
        byte[] data = new byte[MESSAGE_SIZE];
        random.nextBytes(data);
        t0 = System.nanoTime();
        g0.encrypt(data);
        return (System.nanoTime() - t0) / 1e6;
      }
      case "decrypt" -> {
        byte[] data = new byte[MESSAGE_SIZE];
        random.nextBytes(data);
        MLSMessage msg = MLSMessage.fromBytes(g0.encrypt(data).toBytes());
        Group g1 = Group.restore(s1, random);
        t0 = System.nanoTime();
        g1.process(msg);
        return (System.nanoTime() - t0) / 1e6;
      }
      default -> throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /** {@code MlsPeerBench [iterations] [size...]}: defaults 5 iterations, sizes 10 100 1000. */
  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    run(sizes.isEmpty() ? List.of(10, 100, 1000) : sizes, iterations,
        new PrintWriter(System.out, true, UTF_8));
  }
}
