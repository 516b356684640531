package org.quicproquo.mls.group;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.mls.tree.TreePrivateKeys;

/**
 * A group of {@code size} members in ciphersuite 1 seen by two tracked members: the creator
 * (leaf 0, the committer in the benchmarks) and a receiver (the last leaf, which processes the
 * commits and decrypts the application messages). Both are kept as {@link Group#save()} bytes so
 * a benchmark can restore a fresh copy whenever an operation would change them.
 *
 * <p>Building: the creator generates {@code size - 1} key packages and adds them all in one
 * commit; the receiver joins from that commit's Welcome with the tree passed out of band
 * (verifying the whole tree; see {@link #BUILD_OPTIONS}). Both then switch to
 * {@link GroupOptions#defaults()}, so the benchmarked Welcomes carry the tree. For
 * {@link TreeShape#FULL}, every member from leaf 1 to the last then makes one update commit
 * (empty proposal list, with an UpdatePath) which both tracked members process. The untracked
 * members are not kept as {@link Group}s (that would cost {@code size} joins and
 * {@code size^2} commit processings): a member's commit is created by {@link CommitFlow#create}
 * from the creator's current state with the own leaf, signature key and leaf private key
 * swapped for that member's (all other state, epoch secrets included, is the same for every
 * member). The resulting commit is the message that member's own client would send, and both
 * tracked members verify it completely, so the tree is exactly the one real clients would have.
 *
 * <p>A build can be cached in a file (see {@link #loadOrBuild}) so the JMH forks of one
 * (size, shape) pair build the group once.
 */
final class BenchGroup {
  static final CipherSuiteId SUITE =
      CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
  private static final Lifetime FOREVER = new Lifetime(0, Long.MAX_VALUE);
  private static final int CACHE_FORMAT = 1;
  /**
   * Options while building: as the defaults but without the ratchet tree in the Welcome. RFC 9420
   * §12.4.3.1 makes the whole encrypted GroupInfo the HPKE context of every joiner's
   * EncryptWithLabel, so a batch add of {@code n} members with the tree inside hashes
   * {@code n} copies of an {@code O(n)} GroupInfo: about 9,999 x 1.7 MB of SHA-256 at 10,000
   * members (see qpq-bench/README.md). The receiver gets the tree out of band instead.
   */
  private static final GroupOptions BUILD_OPTIONS = new GroupOptions(false, false, 0);

  private final int size;
  private final TreeShape shape;
  private final byte[] creator;
  private final byte[] receiver;
  private final long buildMillis;

  private BenchGroup(int size, TreeShape shape, byte[] creator, byte[] receiver,
      long buildMillis) {
    this.size = size;
    this.shape = shape;
    this.creator = creator;
    this.receiver = receiver;
    this.buildMillis = buildMillis;
  }

  static CipherSuite suite(SecureRandom random) {
    return CipherSuites.of(SUITE, random);
  }

  /** A fresh key package for a member that is not yet in any group. */
  static KeyPackageBundle newMember(CipherSuite suite, String name) throws MlsException {
    return Group.generateKeyPackage(suite, Credential.basic(name.getBytes(StandardCharsets.UTF_8)),
        suite.generateSignatureKeyPair(), Group.defaultCapabilities(suite, CredentialType.BASIC),
        FOREVER);
  }

  /** Builds a group of {@code size} (at least 2) members with the given tree shape. */
  static BenchGroup build(int size, TreeShape shape, SecureRandom random) throws MlsException {
    if (size < 2) {
      throw new IllegalArgumentException("a benchmark group needs at least 2 members: " + size);
    }
    long start = System.nanoTime();
    CipherSuite suite = suite(random);
    Group creator = Group.create(suite, ("bench-" + size + "-" + shape).getBytes(
        StandardCharsets.UTF_8), newMember(suite, "m0"), List.of(), BUILD_OPTIONS);
    List<KeyPackageBundle> bundles = new ArrayList<>(size - 1);
    List<Proposal> adds = new ArrayList<>(size - 1);
    for (int i = 1; i < size; i++) {
      KeyPackageBundle b = newMember(suite, "m" + i);
      bundles.add(b);
      adds.add(new Proposal.Add(b.keyPackage()));
    }
    CommitResult added = creator.commit(adds);
    creator.mergePendingCommit();
    Welcome welcome = added.welcome().orElseThrow();
    KeyPackageBundle receiverBundle = bundles.get(size - 2);
    Group receiver = Group.join(suite, welcome, receiverBundle,
        Optional.of(creator.ratchetTree()), ExternalPsks.none(), BUILD_OPTIONS);
    if (shape == TreeShape.FULL) {
      for (int leaf = 1; leaf < size; leaf++) {
        if (leaf == size - 1) {
          CommitResult c = receiver.commit(List.of());
          receiver.mergePendingCommit();
          creator.process(MLSMessage.fromBytes(c.commit().toBytes()));
        } else {
          MLSMessage commit = commitAs(creator, new LeafIndex(leaf), bundles.get(leaf - 1),
              random);
          byte[] wire = commit.toBytes();
          creator.process(MLSMessage.fromBytes(wire));
          receiver.process(MLSMessage.fromBytes(wire));
        }
      }
    }
    if (creator.epoch() != receiver.epoch()
        || !java.util.Arrays.equals(creator.epochAuthenticator(), receiver.epochAuthenticator())) {
      throw new IllegalStateException("tracked members disagree after the build");
    }
    return new BenchGroup(size, shape, withDefaultOptions(creator, random),
        withDefaultOptions(receiver, random),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** {@code g}'s saved state with {@link GroupOptions#defaults()} (the build used others). */
  private static byte[] withDefaultOptions(Group g, SecureRandom random)
      throws GroupStateException {
    StateCodec.Saved saved = StateCodec.decode(g.save(), random);
    return StateCodec.encode(saved.state().withOptions(GroupOptions.defaults()), saved.pending(),
        saved.psks());
  }

  /**
   * The update commit member {@code leaf} would send in the creator's current epoch: the
   * creator's state with that member's identity and leaf key (see the class javadoc).
   */
  private static MLSMessage commitAs(Group creator, LeafIndex leaf, KeyPackageBundle bundle,
      SecureRandom random) throws MlsException {
    GroupState member = StateCodec.decode(creator.save(), random).state().asMember(leaf,
        bundle.signatureKeyPair().privateKey(),
        TreePrivateKeys.ofLeaf(leaf, bundle.encryptionPrivateKey()));
    return CommitFlow.create(member, List.of(), ExternalPsks.none(), new byte[0]).commit();
  }

  /**
   * The group for ({@code size}, {@code shape}) from {@code cacheDir} if an earlier fork built
   * it, otherwise built now and written there. A null {@code cacheDir} always builds.
   */
  static BenchGroup loadOrBuild(Path cacheDir, int size, TreeShape shape, SecureRandom random)
      throws MlsException {
    if (cacheDir == null) {
      return build(size, shape, random);
    }
    Path file = cacheDir.resolve("mls-group-" + size + "-" + shape + ".bin");
    try {
      if (Files.isRegularFile(file)) {
        return read(Files.readAllBytes(file), size, shape);
      }
      BenchGroup g = build(size, shape, random);
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, "mls-group", ".tmp");
      Files.write(tmp, g.toBytes());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] toBytes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(CACHE_FORMAT);
      out.writeInt(size);
      out.writeUTF(shape.name());
      out.writeLong(buildMillis);
      out.writeInt(creator.length);
      out.write(creator);
      out.writeInt(receiver.length);
      out.write(receiver);
    }
    return bytes.toByteArray();
  }

  private static BenchGroup read(byte[] file, int size, TreeShape shape) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(file))) {
      if (in.readInt() != CACHE_FORMAT || in.readInt() != size
          || !in.readUTF().equals(shape.name())) {
        throw new IOException("cached group file is for another format, size or shape");
      }
      long millis = in.readLong();
      byte[] creator = in.readNBytes(in.readInt());
      byte[] receiver = in.readNBytes(in.readInt());
      return new BenchGroup(size, shape, creator, receiver, millis);
    }
  }

  int size() {
    return size;
  }

  TreeShape shape() {
    return shape;
  }

  /** Milliseconds the build took (in the fork that built it). */
  long buildMillis() {
    return buildMillis;
  }

  /** A fresh copy of the creator (leaf 0). */
  Group creator(SecureRandom random) throws GroupStateException {
    return Group.restore(creator, random);
  }

  /** The receiver's saved state; restore it for each commit it processes. */
  byte[] receiverState() {
    return receiver.clone();
  }

  /** The receiver's leaf (the last one). */
  LeafIndex receiverLeaf() {
    return new LeafIndex(size - 1);
  }

  /**
   * The member the remove benchmarks remove: the middle leaf, or the receiver itself in a group
   * of two (which then processes its own removal).
   */
  LeafIndex removeTarget() {
    return new LeafIndex(size == 2 ? 1 : size / 2);
  }
}
