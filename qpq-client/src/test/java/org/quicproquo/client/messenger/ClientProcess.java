package org.quicproquo.client.messenger;

import java.nio.file.Path;
import java.time.Duration;
import org.quicproquo.client.HostPort;

/**
 * A receiving client in its own JVM, so a test can SIGKILL it in the middle of a sync. Args:
 * {@code port stateDir}; the account must exist. Prints "ready", then connects and syncs until
 * killed.
 */
final class ClientProcess {
  private ClientProcess() {
  }

  public static void main(String[] args) throws Exception {
    Messenger m = Messenger.open(MessengerConfig.of(new HostPort("127.0.0.1",
        Integer.parseInt(args[0])), Path.of(args[1])).withPollInterval(Duration.ofMillis(50)),
        new MessengerListener() { });
    System.out.println("ready");
    System.out.flush();
    m.connect(); // syncs the whole queue before it returns: the test kills it during this

    Thread.currentThread().join();
  }
}
