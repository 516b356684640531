package org.quicproquo.server;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import org.quicproquo.kt.LogSigningKey;
import org.quicproquo.rpc.TlsIdentity;

/**
 * The server's data directory: its TLS identity, the key-transparency signing key, its database
 * and blobs. Created with owner-only permissions because it holds private keys.
 */
final class DataDirectory {
  static final String CERTIFICATE = "tls/server-cert.pem";
  static final String PRIVATE_KEY = "tls/server-key.pem";
  /** The key-transparency log's Ed25519 seed: 32 raw bytes, mode 0600. */
  static final String KT_SIGNING_KEY = "kt/log-signing-key";

  private final Path root;

  private DataDirectory(Path root) {
    this.root = root;
  }

  /** Opens {@code root}, creating it (mode 0700) if needed. */
  static DataDirectory open(Path root) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      Files.createDirectories(abs);
      restrict(abs);
    } else if (!Files.isDirectory(abs)) {
      throw new IOException("data directory " + abs + " exists and is not a directory");
    }
    return new DataDirectory(abs);
  }

  Path root() {
    return root;
  }

  /**
   * The server's TLS identity: loaded if present, otherwise generated once and saved, so the
   * certificate fingerprint clients pinned stays valid across restarts.
   */
  TlsIdentity tlsIdentity(SecureRandom random, Clock clock) throws IOException {
    Path cert = root.resolve(CERTIFICATE);
    Path key = root.resolve(PRIVATE_KEY);
    if (Files.exists(cert) || Files.exists(key)) {
      if (!Files.exists(cert) || !Files.exists(key)) {
        throw new IOException("incomplete TLS identity in " + cert.getParent()
            + ": both " + cert.getFileName() + " and " + key.getFileName() + " are needed");
      }
      return TlsIdentity.load(cert, key);
    }
    Files.createDirectories(cert.getParent());
    restrict(cert.getParent());
    TlsIdentity identity = TlsIdentity.generate("qpq server", random, clock);
    identity.save(cert, key);
    return identity;
  }

  /**
   * The key-transparency log's signing key: loaded if present, otherwise generated once and saved
   * (owner read/write only), so the key clients pinned stays valid across restarts.
   *
   * @throws IOException if the file cannot be read or written, or does not hold 32 bytes
   */
  LogSigningKey ktSigningKey(SecureRandom random) throws IOException {
    Path file = root.resolve(KT_SIGNING_KEY);
    if (Files.exists(file)) {
      byte[] seed = Files.readAllBytes(file);
      try {
        if (seed.length != 32) {
          throw new IOException("KT signing key " + file + " must hold 32 bytes, not "
              + seed.length);
        }
        return LogSigningKey.fromSeed(seed);
      } finally {
        java.util.Arrays.fill(seed, (byte) 0);
      }
    }
    Files.createDirectories(file.getParent());
    restrict(file.getParent());
    LogSigningKey key = LogSigningKey.generate(random);
    byte[] seed = key.seed();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
      Files.write(tmp, seed);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
    return key;
  }

  private static void restrict(Path dir) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
