package org.quicproquo.core.padding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaddingTest {
  private final SecureRandom random = new SecureRandom();

  @ParameterizedTest
  @CsvSource({"0,256", "255,256", "256,1024", "1023,1024", "1024,4096", "4095,4096", "4096,16384",
      "16383,16384", "16384,65536", "65535,65536", "65536,131072", "131071,131072", "131072,196608",
      "67108863,67108864"})
  void bucketBoundaries(int payload, int padded) throws Exception {
    assertThat(Padding.paddedSize(payload)).isEqualTo(padded);
  }

  @Test
  void roundTripsAcrossSizes() throws Exception {
    for (int len : new int[] {0, 1, 100, 255, 256, 1000, 5000, 20000, 65535, 65536, 200_000}) {
      byte[] payload = new byte[len];
      random.nextBytes(payload);
      byte[] padded = Padding.pad(payload);
      assertThat(padded.length).isEqualTo(Padding.paddedSize(len));
      assertThat(padded[len]).isEqualTo((byte) 0x80);
      assertThat(Padding.unpad(padded)).isEqualTo(payload);
    }
  }

  @Test
  void payloadEndingInMarkerOrZerosSurvives() throws Exception {
    byte[] payload = {1, (byte) 0x80, 0, 0};
    assertThat(Padding.unpad(Padding.pad(payload))).isEqualTo(payload);
    byte[] zeros = new byte[300];
    assertThat(Padding.unpad(Padding.pad(zeros))).isEqualTo(zeros);
  }

  @Test
  void tooLargeToPad() {
    assertThatThrownBy(() -> Padding.paddedSize(Padding.MAX_PAYLOAD_SIZE + 1)).isInstanceOf(PaddingException.class);
    assertThatThrownBy(() -> Padding.paddedSize(-1)).isInstanceOf(PaddingException.class);
  }

  @Test
  void rejectsNonBucketLengths() {
    assertThatThrownBy(() -> Padding.unpad(new byte[0])).hasMessageContaining("bucket");
    byte[] odd = new byte[300];
    odd[0] = (byte) 0x80;
    assertThatThrownBy(() -> Padding.unpad(odd)).hasMessageContaining("bucket");
  }

  @Test
  void rejectsMissingOrWrongMarker() {
    assertThatThrownBy(() -> Padding.unpad(new byte[256])).hasMessageContaining("marker");
    byte[] wrong = new byte[256];
    wrong[10] = 0x01;
    assertThatThrownBy(() -> Padding.unpad(wrong)).hasMessageContaining("marker");
  }

  @Test
  void rejectsNonCanonicalBucket() throws Exception {
    byte[] canonical = Padding.pad(new byte[10]);
    byte[] bigger = Arrays.copyOf(canonical, 1024);
    assertThatThrownBy(() -> Padding.unpad(bigger)).hasMessageContaining("smallest bucket");
  }

  @Test
  void randomInputOnlyGivesTypedErrors() {
    for (int i = 0; i < 500; i++) {
      byte[] junk = new byte[random.nextBoolean() ? 256 : random.nextInt(2000)];
      random.nextBytes(junk);
      try {
        byte[] payload = Padding.unpad(junk);
        assertThat(Padding.pad(payload)).isEqualTo(junk);
      } catch (PaddingException expected) {
        // typed rejection is the only other allowed outcome
      }
    }
  }
}
