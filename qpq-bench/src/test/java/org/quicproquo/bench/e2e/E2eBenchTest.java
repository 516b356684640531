package org.quicproquo.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicproquo.server.QpqServer;

/** Runs the smallest configuration of {@code qpq bench e2e --quick} once; no timing assertions. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class E2eBenchTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "syncSend={0}")
  @ValueSource(booleans = {false, true})
  void oneDmSenderDeliversEveryMessageExactlyOnce(boolean syncSend) throws Exception {
    DeliveryTracker tracker = new DeliveryTracker(2);
    try (QpqServer server = BenchServer.start(dir.resolve("server"));
        Population population = Population.create(server, dir.resolve("clients"), 2, tracker)) {
      LoadRunner runner = new LoadRunner(server, population, tracker, Duration.ofSeconds(90),
          syncSend);
      LoadRunner.Outcome o = runner.closedLoop(E2eBench.dmSenders(population, 1), 2, 40, 8);

      assertThat(o.sent()).isEqualTo(40);
      assertThat(o.completed()).isEqualTo(40);
      assertThat(o.deliveries()).isEqualTo(40);
      assertThat(o.undelivered()).isZero();
      assertThat(o.unexpected()).isZero();
      assertThat(o.p99Millis()).isGreaterThanOrEqualTo(o.p50Millis()).isPositive();
    }
  }

  @Test
  void idleClientsAreMeasuredInAChildJvm() throws Exception {
    IdleClients.Result r = new IdleClients(dir).measure(3);

    assertThat(r.clients()).isEqualTo(3);
    assertThat(r.heapBeforeBytes()).isPositive();
    assertThat(r.heapAfterBytes()).isPositive();
    assertThat(r.rssAfterBytes()).isPositive();
  }
}
