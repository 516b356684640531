package org.quicproquo.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.quicproquo.rpc.CertificateFingerprint;
import org.quicproquo.rpc.PinStore;

/**
 * Trust-on-first-use pins: server address to SHA-256 fingerprint of its certificate, kept in the file
 * {@code known_servers} of the client's state directory (one {@code host:port fingerprint} per line).
 * Writes go to a temporary file first and are moved into place, so a crash never leaves a half-written
 * pin file. Thread-safe (the TLS handshake consults it from an I/O thread).
 */
public final class KnownServers implements PinStore {
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

  private final Path file;
  private final Map<String, String> pins = new LinkedHashMap<>();

  private KnownServers(Path file) {
    this.file = file;
  }

  /** Loads the pin file of {@code stateDir}; a missing file means no pins yet. */
  public static KnownServers load(Path stateDir) throws IOException {
    KnownServers k = new KnownServers(stateDir.resolve("known_servers"));
    if (Files.exists(k.file)) {
      int lineNo = 0;
      for (String line : Files.readAllLines(k.file, StandardCharsets.UTF_8)) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("\\s+");
        if (parts.length != 2 || !FINGERPRINT.matcher(parts[1]).matches()) {
          throw new IOException(k.file + ":" + lineNo + ": malformed pin line");
        }
        k.pins.put(parts[0], parts[1]);
      }
    }
    return k;
  }

  /** The pinned fingerprint (lower-case hex) for {@code server}, if any. */
  public synchronized Optional<String> pinFor(String server) {
    return Optional.ofNullable(pins.get(server));
  }

  /** Pins {@code fingerprint} for {@code server} and saves the file. */
  public synchronized void pin(String server, String fingerprint) throws IOException {
    String fp = fingerprint.toLowerCase(Locale.ROOT);
    if (!FINGERPRINT.matcher(fp).matches()) {
      throw new IllegalArgumentException("not a SHA-256 hex fingerprint: " + fingerprint);
    }
    if (server.isBlank() || server.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("invalid server address: " + server);
    }
    pins.put(server, fp);
    save();
  }

  @Override
  public Optional<CertificateFingerprint> pinned(String server) {
    return pinFor(server).map(CertificateFingerprint::parse);
  }

  /** Remembers a server seen for the first time; failing to save refuses the connection. */
  @Override
  public void firstUse(String server, CertificateFingerprint presented) {
    try {
      pin(server, presented.hex());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot save server pin to " + file, e);
    }
  }

  private void save() throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder("# qpq trust-on-first-use server pins: host:port sha256\n");
    pins.forEach((s, f) -> sb.append(s).append(' ').append(f).append('\n'));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
