package org.quicproquo.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import org.quicproquo.client.kt.KeyTransparencyClient;
import org.quicproquo.client.kt.KtAlert;
import org.quicproquo.client.kt.KtMonitor;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.kt.LogEntry;
import org.quicproquo.kt.SignedTreeHead;

/**
 * The REPL's {@code /kt} commands: {@code audit USER} verifies USER's whole key history,
 * {@code proof USER} fetches, verifies and prints the inclusion proof of USER's latest entry,
 * {@code monitor [SECONDS|off]} watches the log in the background. Alerts are printed by
 * {@link #alert} from whichever thread found them. Not thread-safe apart from {@link #alert}:
 * the REPL calls the commands from one thread.
 */
final class KtCommands implements AutoCloseable {
  static final String USAGE = "/kt audit USER | /kt proof USER | /kt monitor [SECONDS|off]";
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private final Consumer<String> out;
  private KtMonitor monitor;

  KtCommands(Consumer<String> out) {
    this.out = out;
  }

  /** Runs {@code /kt ARG} for the account of {@code messenger}. */
  void run(Messenger messenger, String arg) {
    String[] w = arg.strip().split("\\s+");
    switch (w[0]) {
      case "audit" -> audit(messenger.keyTransparency(), user(w));
      case "proof" -> proof(messenger.keyTransparency(), user(w));
      case "monitor" -> monitor(messenger, w);
      default -> throw new ChatUsageException("Usage: " + USAGE + ".");
    }
  }

  /** Prints an alert loudly (any thread). */
  void alert(KtAlert alert) {
    out.accept("!!! " + ChatFormat.clean(alert.describe()) + " !!!");
    if (alert.user() != null) {
      out.accept("!!! " + ChatFormat.clean(alert.user()) + " is marked unverified; compare the "
          + "safety number (/verify " + ChatFormat.clean(alert.user()) + ") before trusting them"
          + " again. !!!");
    }
  }

  private static String user(String[] w) {
    if (w.length != 2) {
      throw new ChatUsageException("Usage: " + USAGE + ".");
    }
    return w[1];
  }

  private void audit(KeyTransparencyClient kt, String user) {
    KeyTransparencyClient.Audit a = kt.audit(user);
    out.accept("Key history of " + ChatFormat.clean(user) + ": " + a.entries().size()
        + " entries, each proven in " + head(a.treeHead()) + ":");
    for (LogEntry e : a.entries()) {
      out.accept("  " + entry(e));
    }
    out.accept(a.state().deleted()
        ? "Verified: the history is consistent and ends with the account's deletion."
        : "Verified: the history is consistent; current identity key "
            + fingerprint(a.state().identityKey()) + ", " + a.state().devices().size()
            + " device(s) " + a.state().devices().keySet() + ".");
  }

  private void proof(KeyTransparencyClient kt, String user) {
    var found = kt.latest(user);
    if (found.isEmpty()) {
      out.accept("The key-transparency log has no entry for " + ChatFormat.clean(user) + ".");
      return;
    }
    KeyTransparencyClient.VerifiedEntry v = found.get();
    out.accept("Inclusion proof for " + ChatFormat.clean(user) + ": " + entry(v.entry()));
    out.accept("  in " + head(v.treeHead()) + ", signed by the pinned log key");
    out.accept("  audit path, " + v.proof().path().size() + " hash(es) from the leaf up:");
    for (byte[] h : v.proof().path()) {
      out.accept("    " + HexFormat.of().formatHex(h));
    }
    out.accept("Verified: the entry is in the log the server signed, and that log extends every "
        + "tree head this client saw before.");
  }

  private void monitor(Messenger messenger, String[] w) {
    if (w.length > 2) {
      throw new ChatUsageException("Usage: " + USAGE + ".");
    }
    if (w.length == 2 && w[1].equals("off")) {
      close();
      out.accept("Key-transparency monitor stopped.");
      return;
    }
    Duration every = DEFAULT_INTERVAL;
    if (w.length == 2) {
      try {
        every = Duration.ofSeconds(Long.parseLong(w[1]));
      } catch (NumberFormatException e) {
        throw new ChatUsageException("Usage: " + USAGE + ".");
      }
      if (every.isZero() || every.isNegative()) {
        throw new ChatUsageException("The interval must be at least 1 second.");
      }
    }
    close();
    monitor = messenger.startKtMonitor(every);
    int contacts = (int) messenger.contacts().stream().map(Map.Entry::getKey).count();
    out.accept("Watching the key-transparency log every " + every.toSeconds() + " s for changes "
        + "of your own keys and of " + contacts + " contact(s)' keys; /kt monitor off stops.");
  }

  private static String head(SignedTreeHead h) {
    return "tree head of size " + h.treeSize() + " (root "
        + HexFormat.of().formatHex(h.rootHash()).substring(0, 16) + "…, signed "
        + Instant.ofEpochMilli(h.timestampMs()) + ")";
  }

  private static String entry(LogEntry e) {
    String what = switch (e.kind()) {
      case REGISTER -> "REGISTER identity key " + fingerprint(e.key());
      case KEY_CHANGED -> "KEY_CHANGED to identity key " + fingerprint(e.key());
      case DEVICE_ADDED -> "DEVICE_ADDED device " + e.deviceId() + " key " + fingerprint(e.key());
      case DEVICE_REVOKED -> "DEVICE_REVOKED device " + e.deviceId() + " key "
          + fingerprint(e.key());
      case DELETED -> "DELETED (tombstone)";
    };
    return "#" + e.sequence() + " " + what + " at " + Instant.ofEpochMilli(e.timestampMs());
  }

  private static String fingerprint(byte[] key) {
    return HexFormat.of().formatHex(key, 0, Math.min(8, key.length));
  }

  @Override
  public void close() {
    if (monitor != null) {
      monitor.close();
      monitor = null;
    }
  }
}
