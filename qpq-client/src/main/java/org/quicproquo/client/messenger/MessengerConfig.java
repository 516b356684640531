package org.quicproquo.client.messenger;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;

/**
 * How a {@link Messenger} runs.
 *
 * @param client       server address, state directory, connection limits and backoff
 * @param passphrase   unlocks (or, for a new account, locks) the key file; empty means unlocked
 * @param pollInterval how often to fetch when no push arrives (push is only a hint)
 * @param keyPackageTarget one-time KeyPackages kept on the server
 * @param clock        time of history lines and KeyPackage lifetimes
 * @param random       all key generation
 * @param callTimeout  how long one server call may take before the link is presumed dead and
 *                     dropped (a server that died without closing leaves links that look alive)
 */
public record MessengerConfig(ClientConfig client, char[] passphrase, Duration pollInterval,
    int keyPackageTarget, Clock clock, SecureRandom random, Duration callTimeout) {
  public MessengerConfig {
    passphrase = passphrase == null ? new char[0] : passphrase.clone();
    if (keyPackageTarget < 1 || keyPackageTarget > 100) {
      throw new IllegalArgumentException("keyPackageTarget must be 1..100");
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive");
    }
  }

  /** Defaults: no passphrase, poll every 5 s, 10 KeyPackages, system clock, 10 s per call. */
  public static MessengerConfig of(HostPort server, Path stateDir) {
    return new MessengerConfig(ClientConfig.of(server, stateDir), new char[0],
        Duration.ofSeconds(5), 10, Clock.systemUTC(), new SecureRandom(), Duration.ofSeconds(10));
  }

  public MessengerConfig withCallTimeout(Duration d) {
    return new MessengerConfig(client, passphrase, pollInterval, keyPackageTarget, clock, random, d);
  }

  public MessengerConfig withPassphrase(char[] p) {
    return new MessengerConfig(client, p, pollInterval, keyPackageTarget, clock, random,
        callTimeout);
  }

  public MessengerConfig withPollInterval(Duration d) {
    return new MessengerConfig(client, passphrase, d, keyPackageTarget, clock, random,
        callTimeout);
  }

  public MessengerConfig withClient(ClientConfig c) {
    return new MessengerConfig(c, passphrase, pollInterval, keyPackageTarget, clock, random,
        callTimeout);
  }

  @Override
  public char[] passphrase() {
    return passphrase.clone();
  }
}
