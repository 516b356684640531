package org.quicproquo.server;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import org.quicproquo.rpc.TlsIdentity;

/**
 * The server's data directory: its TLS identity now, its database and blobs later. Created with
 * owner-only permissions because it holds the certificate's private key.
 */
final class DataDirectory {
  static final String CERTIFICATE = "tls/server-cert.pem";
  static final String PRIVATE_KEY = "tls/server-key.pem";

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

  private static void restrict(Path dir) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
