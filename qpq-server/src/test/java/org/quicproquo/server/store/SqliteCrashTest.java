package org.quicproquo.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security invariant 4: a store process killed (SIGKILL) in the middle of writing loses no
 * enqueue that had returned. (A power cut is not simulated; synchronous=FULL is what covers it.)
 */
class SqliteCrashTest {
  @TempDir
  Path dir;

  @Test
  void killingTheProcessLosesNoReturnedEnqueue() throws Exception {
    Path file = dir.resolve("crash.db");
    DeviceId a;
    DeviceId b;
    try (Store store = Store.openSqlite(file, StoreLimits.defaults(), Clock.systemUTC())) {
      a = store.accounts().register(UserName.of("a"), new byte[] {1}, StoreContract.newDevice("a"))
          .device().id();
      b = store.accounts().register(UserName.of("b"), new byte[] {2}, StoreContract.newDevice("b"))
          .device().id();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashingEnqueuer.class.getName(), file.toString(), Long.toString(a.value()),
        Long.toString(b.value()))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    int lastReturned = 0;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lastReturned = Integer.parseInt(line.strip());
        if (lastReturned >= 150) {
          child.destroyForcibly();
          break;
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(lastReturned).as("child enqueued before it was killed").isGreaterThanOrEqualTo(150);

    try (Store store = Store.openSqlite(file, StoreLimits.defaults(), Clock.systemUTC())) {
      for (DeviceId d : List.of(a, b)) {
        List<MessageId> stored = new ArrayList<>();
        long after = 0;
        List<QueuedMessage> page;
        while (!(page = store.queue().fetch(d, after, 1000)).isEmpty()) {
          page.forEach(m -> stored.add(m.id()));
          after = page.get(page.size() - 1).seq();
        }
        for (int n = 1; n <= lastReturned; n++) {
          assertThat(stored).as("message %d for %s", n, d).contains(StoreContract.messageId(n));
        }
        assertThat(store.queue().length(d)).isEqualTo(stored.size());
      }
    }
  }
}
