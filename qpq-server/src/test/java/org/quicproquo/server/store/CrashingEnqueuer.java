package org.quicproquo.server.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Child process of {@link SqliteCrashTest}: enqueues numbered messages as fast as it can and
 * prints the number of each one after {@code enqueue} returned, until it is killed.
 * Arguments: database file, first device id, second device id.
 */
final class CrashingEnqueuer {
  private CrashingEnqueuer() {}

  public static void main(String[] args) {
    Store store = Store.openSqlite(Path.of(args[0]), StoreLimits.defaults(), Clock.systemUTC());
    List<DeviceId> to = List.of(new DeviceId(Long.parseLong(args[1])),
        new DeviceId(Long.parseLong(args[2])));
    for (int n = 1; ; n++) {
      store.queue().enqueue(StoreContract.messageId(n), to, new byte[512 + n % 512],
          Optional.empty());
      System.out.println(n);
      System.out.flush();
    }
  }
}
