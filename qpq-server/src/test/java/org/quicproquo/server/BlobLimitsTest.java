package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Parsing of the blob limits operators set on the command line, and the {@code with*} copies. */
class BlobLimitsTest {
  @Test
  void sizesTakeBinaryUnits() {
    assertThat(BlobLimits.parseSize("4096")).isEqualTo(4096);
    assertThat(BlobLimits.parseSize("4096B")).isEqualTo(4096);
    assertThat(BlobLimits.parseSize("64K")).isEqualTo(64L << 10);
    assertThat(BlobLimits.parseSize("500MiB")).isEqualTo(500L << 20);
    assertThat(BlobLimits.parseSize("2gib")).isEqualTo(2L << 30);
    assertThat(BlobLimits.parseSize(" 10 GB ")).isEqualTo(10L << 30);
    assertThat(BlobLimits.parseSize("1T")).isEqualTo(1L << 40);
  }

  @Test
  void badSizesAreRefusedWithTheReason() {
    for (String bad : new String[] {"", "0", "-1", "1.5G", "12X", "MiB", "1 PiB"}) {
      assertThatThrownBy(() -> BlobLimits.parseSize(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> BlobLimits.parseSize("9999999999999T"))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> BlobLimits.parseSize("99999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsTakeUnitsOrIso() {
    assertThat(BlobLimits.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(BlobLimits.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(BlobLimits.parseDuration("90M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(BlobLimits.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(BlobLimits.parseDuration("P7D")).isEqualTo(Duration.ofDays(7));
    for (String bad : new String[] {"", "0d", "30", "1w", "PT0S", "-P1D", "soon"}) {
      assertThatThrownBy(() -> BlobLimits.parseDuration(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void copiesChangeOneLimitEach() {
    BlobLimits d = BlobLimits.defaults();
    BlobLimits l = d.withMaxBlobBytes(1 << 20).withMaxUserBytes(5L << 20)
        .withMaxRetention(Duration.ofHours(1));
    assertThat(l).isEqualTo(new BlobLimits(1 << 20, 5L << 20, d.minChunkBytes(),
        d.maxChunkBytes(), Duration.ofHours(1), d.unfinishedRetention(), d.sweepInterval()));
    assertThatThrownBy(() -> d.withMaxBlobBytes(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
