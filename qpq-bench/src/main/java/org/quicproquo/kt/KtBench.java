package org.quicproquo.kt;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Random;
import org.quicproquo.bench.BenchReport;
import org.quicproquo.bench.Latencies;

/**
 * {@code qpq bench kt}: the key-transparency log at scale. Builds a log of {@code entries}
 * REGISTER entries (encode + leaf hash + subtree caching per append) and reports appends per
 * second; then, against the full tree, times inclusion-proof generation and verification for
 * {@code samples} random leaves and consistency-proof generation and verification from
 * {@code samples} random earlier sizes (median and p99, each operation timed alone), plus
 * tree-head signing and signature verification. Verification times cover what a client does:
 * leaf hash (inclusion) and the RFC 9162 §2.1.3.2 / §2.1.4.2 walks; tree heads are signed
 * outside the timed region.
 *
 * <p>Run: {@code ./qpq bench kt [--json FILE] [--entries N] [--samples N]}.
 */
public final class KtBench {
  /** Settings of one run. */
  public record Settings(int entries, int samples, long seed) {
    /** Checks bounds: at least 2 entries, at least 10 samples. */
    public Settings {
      if (entries < 2 || samples < 10) {
        throw new IllegalArgumentException("entries >= 2 and samples >= 10");
      }
    }
  }

  private static final int WARMUP = 2_000;

  private final Settings settings;
  private final BenchReport report;

  /** A run with {@code settings}, reporting into {@code report}. */
  public KtBench(Settings settings, BenchReport report) {
    this.settings = settings;
    this.report = report;
  }

  /** Runs every measurement and reports it. */
  public void run() throws KtException {
    int n = settings.entries();
    String scenario = String.format(Locale.ROOT, "kt %,d entries", n);
    Random random = new Random(settings.seed());
    LogSigningKey key = LogSigningKey.generate(new SecureRandom());
    byte[] identityKey = new byte[LogEntry.KEY_LENGTH];

    // Build: the time of every append, including encoding the entry.
    MerkleLog log = new MerkleLog();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      identityKey[0] = (byte) i;
      identityKey[1] = (byte) (i >>> 8);
      identityKey[2] = (byte) (i >>> 16);
      log.append(entry(i, identityKey));
    }
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    report.result(scenario, "qpq-kt", "appends/s", n / buildSeconds, "1/s");
    report.result(scenario, "qpq-kt", "build time", buildSeconds, "s");
    Runtime rt = Runtime.getRuntime();
    System.gc();
    report.result(scenario, "qpq-kt", "heap in use", (rt.totalMemory() - rt.freeMemory()) / 1e6,
        "MB (approx.)");

    byte[] root = log.rootHash();
    SignedTreeHead sth = key.sign(n, root, System.currentTimeMillis());

    // Tree head signing and verification.
    Latencies sign = new Latencies(settings.samples());
    Latencies verifySth = new Latencies(settings.samples());
    for (int s = -WARMUP / 4; s < settings.samples(); s++) {
      long t0 = System.nanoTime();
      SignedTreeHead h = key.sign(n, root, s + 1_000_000L);
      long t1 = System.nanoTime();
      LogVerifier.verifyTreeHead(h, key.publicKey());
      long t2 = System.nanoTime();
      if (s >= 0) {
        sign.record(t1 - t0);
        verifySth.record(t2 - t1);
      }
    }
    latency(scenario, "STH sign", sign);
    latency(scenario, "STH verify", verifySth);

    // Inclusion proofs for random leaves of the full tree.
    Latencies incGen = new Latencies(settings.samples());
    Latencies incVerify = new Latencies(settings.samples());
    long pathHashes = 0;
    for (int s = -WARMUP; s < settings.samples(); s++) {
      int index = random.nextInt(n);
      identityKey[0] = (byte) index;
      identityKey[1] = (byte) (index >>> 8);
      identityKey[2] = (byte) (index >>> 16);
      byte[] entryBytes = entry(index, identityKey).encode();
      long t0 = System.nanoTime();
      InclusionProof proof = log.inclusionProof(index, n);
      long t1 = System.nanoTime();
      LogVerifier.verifyInclusion(entryBytes, index, proof, sth);
      long t2 = System.nanoTime();
      if (s >= 0) {
        incGen.record(t1 - t0);
        incVerify.record(t2 - t1);
        pathHashes += proof.path().size();
      }
    }
    latency(scenario, "inclusion gen", incGen);
    latency(scenario, "inclusion verify", incVerify);
    report.result(scenario, "qpq-kt", "inclusion hashes", (double) pathHashes / settings.samples(),
        "avg");

    // Consistency proofs from random earlier sizes to the full tree.
    Latencies conGen = new Latencies(settings.samples());
    Latencies conVerify = new Latencies(settings.samples());
    long conHashes = 0;
    for (int s = -WARMUP; s < settings.samples(); s++) {
      int m = 1 + random.nextInt(n - 1);
      SignedTreeHead old = key.sign(m, log.rootHash(m), 1);
      long t0 = System.nanoTime();
      ConsistencyProof proof = log.consistencyProof(m, n);
      long t1 = System.nanoTime();
      LogVerifier.verifyConsistency(old, sth, proof);
      long t2 = System.nanoTime();
      if (s >= 0) {
        conGen.record(t1 - t0);
        conVerify.record(t2 - t1);
        conHashes += proof.path().size();
      }
    }
    latency(scenario, "consistency gen", conGen);
    latency(scenario, "consistency verify", conVerify);
    report.result(scenario, "qpq-kt", "consistency hashes", (double) conHashes / settings.samples(),
        "avg");
  }

  private static LogEntry entry(int i, byte[] identityKey) {
    return LogEntry.register(i, 1_700_000_000_000L + i, "user" + i + "@example.org", identityKey);
  }

  private void latency(String scenario, String op, Latencies l) {
    report.result(scenario, "qpq-kt", op + " p50", l.percentile(50) / 1e3, "us");
    report.result(scenario, "qpq-kt", op + " p99", l.percentile(99) / 1e3, "us");
  }
}
