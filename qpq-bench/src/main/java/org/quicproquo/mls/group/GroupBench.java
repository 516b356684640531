package org.quicproquo.mls.group;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.KeyPackage;

/**
 * JMH benchmarks of the MLS group operations (RFC 9420, ciphersuite 1) in groups of
 * {@code size} members whose tree has the given {@link TreeShape}.
 *
 * <p>Method, per (size, shape) trial:
 * <ul>
 *   <li>The group is built once per trial by {@link BenchGroup} (see its javadoc for how each
 *       shape is built); with the system property {@value #CACHE_PROPERTY} set to a directory,
 *       the first fork writes it there and the other forks read it, so a 10,000-member group is
 *       built once per run, not once per benchmark.</li>
 *   <li>{@code create*Commit}: the creator (leaf 0) makes the commit, serialises it (and the
 *       Welcome) and discards it, so every invocation starts from the same epoch. Measured:
 *       proposal validation, tree update, UpdatePath encryption, signing, key schedule, GroupInfo
 *       and Welcome.</li>
 *   <li>{@code process*Commit}: the commit is made once per trial; before each invocation the
 *       receiver (last leaf) is reset to its state at the start of the trial (see
 *       {@link Receiver}; excluded from the time by {@code @Setup(Level.Invocation)}), then the
 *       invocation decodes the wire bytes and processes them: every §12.4.2 check, path decryption, tree hash and parent
 *       hash verification, key schedule, confirmation tag. The prepared commits are processed
 *       once during setup and checked to move the receiver to the next epoch.</li>
 *   <li>{@code encryptDecrypt1KiB}: the creator encrypts 1,024 bytes into a PrivateMessage,
 *       serialises it, and the receiver decodes and decrypts it. Both keep advancing their
 *       secret trees (a long conversation), nothing is restored.</li>
 *   <li>Besides JMH's wall-clock samples, {@link CpuMeter} records the benchmark thread's CPU
 *       time per operation over the measurement iterations (the machine these run on is shared,
 *       and a loaded scheduler inflates wall-clock figures but not a thread's CPU time; GC and
 *       JIT threads are not included; the common fork-join pool's workers, which share a
 *       committer's HPKE encryptions, are).</li>
 * </ul>
 * An add commit adds one new member; an update commit has no proposals and only an UpdatePath
 * (the committer's own key refresh); a remove commit removes the middle leaf
 * ({@link BenchGroup#removeTarget}). Every commit carries an UpdatePath.
 *
 * <p>Run: {@code ./qpq bench mls [--json FILE] [--sizes 2,10,100,1000,10000] [--quick]}
 * (see {@link MlsBench}), or with any JMH runner, e.g. {@code java -cp ... org.openjdk.jmh.Main
 * GroupBench -p size=1000 -p shape=FULL -f 1}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GroupBench {
  /** System property naming a directory where built groups are cached between forks. */
  public static final String CACHE_PROPERTY = "qpq.bench.mls.cache";

  /** {@code Group.state}: the handle's private field, reset by {@link Receiver}. */
  private static final VarHandle GROUP_STATE = groupStateHandle();

  private static VarHandle groupStateHandle() {
    try {
      return MethodHandles.privateLookupIn(Group.class, MethodHandles.lookup())
          .findVarHandle(Group.class, "state", GroupState.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The group, and the creator ready to commit. */
  @State(Scope.Benchmark)
  public static class Fixture {
    @Param({"2", "10", "100", "1000", "10000"})
    public int size;

    @Param({"BATCH_ADDED", "FULL"})
    public TreeShape shape;

    SecureRandom random;
    BenchGroup group;
    Group creator;
    KeyPackage joiner;

    @Setup(Level.Trial)
    public void setUp() throws MlsException {
      random = new SecureRandom();
      String dir = System.getProperty(CACHE_PROPERTY);
      group = BenchGroup.loadOrBuild(dir == null ? null : Path.of(dir), size, shape, random);
      creator = group.creator(random);
      joiner = BenchGroup.newMember(BenchGroup.suite(random), "joiner").keyPackage();
    }
  }

  /**
   * The creator's commit in the current epoch that the running benchmark processes, as wire
   * bytes (only that one is made: at 10,000 members a commit takes seconds to create).
   */
  @State(Scope.Benchmark)
  public static class Prepared {
    byte[] commit;

    @Setup(Level.Trial)
    public void setUp(Fixture f, BenchmarkParams params) throws MlsException {
      prepareFor(f, params.getBenchmark());
    }

    void prepareFor(Fixture f, String name) throws MlsException {
      if (name.endsWith("AddCommit")) {
        commit = prepare(f, List.of(new Proposal.Add(f.joiner)));
      } else if (name.endsWith("UpdateCommit")) {
        commit = prepare(f, List.of());
      } else if (name.endsWith("RemoveCommit")) {
        commit = prepare(f, List.of(new Proposal.Remove(f.group.removeTarget().value())));
      } else {
        throw new IllegalStateException("no prepared commit for " + name);
      }
    }

    private static byte[] prepare(Fixture f, List<Proposal> proposals) throws MlsException {
      CommitResult c = f.creator.commit(proposals);
      f.creator.discardPendingCommit();
      byte[] wire = c.commit().toBytes();
      Group check = Group.restore(f.group.receiverState(), f.random);
      long epoch = check.epoch();
      GroupEvent e = check.process(MLSMessage.fromBytes(wire));
      if (!(e instanceof GroupEvent.CommitApplied applied) || applied.newEpoch() != epoch + 1) {
        throw new IllegalStateException("prepared commit was not applied: " + e);
      }
      return wire;
    }
  }

  /**
   * The receiver, reset before every invocation to the state it had when the trial started. The
   * state is restored once per trial and its tree hashes computed once (a live client has them
   * cached from its previous epoch; a freshly restored one does not). Resetting swaps that
   * immutable {@link GroupState} back into the {@link Group} handle: {@code process} stages all
   * changes on copies, so the snapshot itself is never modified.
   */
  @State(Scope.Thread)
  public static class Receiver {
    Group group;
    GroupState snapshot;

    @Setup(Level.Trial)
    public void load(Fixture f) throws GroupStateException {
      group = Group.restore(f.group.receiverState(), f.random);
      snapshot = (GroupState) GROUP_STATE.get(group);
      snapshot.tree().treeHash();
    }

    @Setup(Level.Invocation)
    public void reset() {
      GROUP_STATE.set(group, snapshot);
    }
  }

  /**
   * CPU time of the benchmark thread (and the fork-join pool's workers) per operation over the
   * measurement iterations (warm-up excluded). With the cache directory set, written at the end of the trial to
   * {@code cpu-<benchmark>-<size>-<shape>.txt} there (nanoseconds per operation), which
   * {@link MlsBench} prints beside the wall-clock figures.
   */
  @State(Scope.Thread)
  public static class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    long ops;
    long cpuNanos;
    private long iterationStart = -1;
    private long opsAtStart;

    /**
     * CPU time of this thread plus the common fork-join pool's workers, which do part of a
     * committer's HPKE encryptions (qpq-mls spreads them over the cores). Workers that ended
     * within the iteration are missed; the pool keeps them alive for a minute when idle.
     */
    private static long cpuNow() {
      long total = THREADS.getCurrentThreadCpuTime();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("ForkJoinPool.commonPool-worker")) {
          long c = THREADS.getThreadCpuTime(t.getId());
          if (c > 0) {
            total += c;
          }
        }
      }
      return total;
    }

    @Setup(Level.Iteration)
    public void start(IterationParams params) {
      if (params.getType() == IterationType.MEASUREMENT) {
        iterationStart = cpuNow();
        opsAtStart = ops;
      } else {
        iterationStart = -1;
      }
    }

    @TearDown(Level.Iteration)
    public void stop() {
      if (iterationStart >= 0) {
        cpuNanos += cpuNow() - iterationStart;
      } else {
        ops = opsAtStart;
      }
    }

    @TearDown(Level.Trial)
    public void write(Fixture f, BenchmarkParams params) {
      String dir = System.getProperty(CACHE_PROPERTY);
      if (dir == null || ops == 0) {
        return;
      }
      String op = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
      try {
        Files.writeString(Path.of(dir).resolve(cpuFileName(op, f.size, f.shape)),
            Double.toString((double) cpuNanos / ops), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** File in the cache directory holding an operation's CPU nanoseconds per call. */
  static String cpuFileName(String op, int size, TreeShape shape) {
    return "cpu-" + op + "-" + size + "-" + shape + ".txt";
  }

  /** Creator and receiver exchanging application messages. */
  @State(Scope.Thread)
  public static class Chat {
    Group sender;
    Group receiver;
    byte[] payload;

    @Setup(Level.Trial)
    public void setUp(Fixture f) throws MlsException {
      sender = f.group.creator(f.random);
      receiver = Group.restore(f.group.receiverState(), f.random);
      payload = new byte[1024];
      f.random.nextBytes(payload);
      GroupEvent e = receiver.process(MLSMessage.fromBytes(sender.encrypt(payload).toBytes()));
      if (!(e instanceof GroupEvent.ApplicationMessage m)
          || !java.util.Arrays.equals(m.data(), payload)) {
        throw new IllegalStateException("application message did not round-trip: " + e);
      }
    }
  }

  private static byte[][] commitAndDiscard(Group creator, List<Proposal> proposals)
      throws MlsException {
    CommitResult c = creator.commit(proposals);
    creator.discardPendingCommit();
    return new byte[][] {
        c.commit().toBytes(), c.welcome().map(w -> w.toBytes()).orElse(null)};
  }

  @Benchmark
  public byte[][] createAddCommit(Fixture f, CpuMeter m) throws MlsException {
    m.ops++;
    return commitAndDiscard(f.creator, List.of(new Proposal.Add(f.joiner)));
  }

  @Benchmark
  public byte[][] createUpdateCommit(Fixture f, CpuMeter m) throws MlsException {
    m.ops++;
    return commitAndDiscard(f.creator, List.of());
  }

  @Benchmark
  public byte[][] createRemoveCommit(Fixture f, CpuMeter m) throws MlsException {
    m.ops++;
    return commitAndDiscard(f.creator,
        List.of(new Proposal.Remove(f.group.removeTarget().value())));
  }

  @Benchmark
  public GroupEvent processAddCommit(Prepared p, Receiver r, CpuMeter m) throws MlsException {
    m.ops++;
    return r.group.process(MLSMessage.fromBytes(p.commit));
  }

  @Benchmark
  public GroupEvent processUpdateCommit(Prepared p, Receiver r, CpuMeter m) throws MlsException {
    m.ops++;
    return r.group.process(MLSMessage.fromBytes(p.commit));
  }

  @Benchmark
  public GroupEvent processRemoveCommit(Prepared p, Receiver r, CpuMeter m) throws MlsException {
    m.ops++;
    return r.group.process(MLSMessage.fromBytes(p.commit));
  }

  @Benchmark
  public GroupEvent encryptDecrypt1KiB(Chat c, CpuMeter m) throws MlsException {
    m.ops++;
    return c.receiver.process(MLSMessage.fromBytes(c.sender.encrypt(c.payload).toBytes()));
  }
}
