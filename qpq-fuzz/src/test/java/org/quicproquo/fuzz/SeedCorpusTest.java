package org.quicproquo.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.message.MLSMessage;

/**
 * Keeps the committed seed corpus honest: every seed {@link SeedCorpus} generates is committed
 * with exactly those bytes, and the processing seeds are genuine (bob accepts each of them).
 *
 * <p>To (re)write the corpus after changing {@link SeedCorpus} or {@link FuzzGroup}, run
 * {@code mvn -B -o -q -pl qpq-fuzz -am test -Dtest=SeedCorpusTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dqpq.fuzz.writeSeeds=true} and commit the files.
 */
class SeedCorpusTest {
  private static final Path ROOT = Path.of("src/test/resources/org/quicproquo/fuzz");

  @Test
  void committedSeedsAreExactlyTheGeneratedOnes() throws Exception {
    Map<String, byte[]> seeds = SeedCorpus.all();
    if (Boolean.getBoolean("qpq.fuzz.writeSeeds")) {
      for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
        Path file = ROOT.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, e.getValue());
      }
    }
    for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
      Path file = ROOT.resolve(e.getKey());
      assertThat(file).as("committed seed").exists();
      assertThat(Files.readAllBytes(file)).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void processSeedsAreAcceptedByBob() throws Exception {
    FuzzGroup world = FuzzGroup.get();
    for (Map.Entry<String, byte[]> e : SeedCorpus.processSeeds().entrySet()) {
      Group bob = world.restore(world.bobState);
      GroupEvent event = bob.process(MLSMessage.fromBytes(e.getValue()));
      assertThat(event).as(e.getKey()).isNotNull();
    }
  }
}
