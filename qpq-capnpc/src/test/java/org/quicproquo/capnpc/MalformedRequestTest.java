package org.quicproquo.capnpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever bytes arrive, the generator either produces Java or throws {@link CapnpcException}. */
class MalformedRequestTest {
  private static final Map<String, String> MAPPING = Map.of("capnp/schema.capnp", "a.b.S");

  private static void generateOrReject(byte[] bytes) {
    try {
      Main.generate(bytes, MAPPING, "x.y");
    } catch (CapnpcException expected) {
      // The only acceptable failure.
    }
  }

  @Test
  void emptyAndGarbageInputIsRejected() {
    assertThatThrownBy(() -> Main.generate(new byte[0], MAPPING, null)).isInstanceOf(CapnpcException.class);
    assertThatThrownBy(() -> Main.generate(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f}, MAPPING,
        null)).isInstanceOf(CapnpcException.class);
    byte[] hugeSegment = {0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertThatThrownBy(() -> Main.generate(hugeSegment, MAPPING, null)).isInstanceOf(CapnpcException.class);
  }

  @Test
  void missingMappingIsReported() throws Exception {
    assertThatThrownBy(() -> Main.generate(GeneratedSchemaTest.request(), Map.of(), null))
        .isInstanceOf(CapnpcException.class).hasMessageContaining("capnp/schema.capnp");
  }

  @Test
  void everyTruncationIsRejectedOrHandled() throws Exception {
    byte[] request = GeneratedSchemaTest.request();
    for (int length = 0; length < request.length; length += 97) {
      generateOrReject(Arrays.copyOf(request, length));
    }
  }

  @Test
  void randomCorruptionNeverEscapesAsAnotherException() throws Exception {
    byte[] request = GeneratedSchemaTest.request();
    Random random = new Random(20261126L); // fixed seed: reproducible failures
    for (int round = 0; round < 400; round++) {
      byte[] mutated = request.clone();
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      generateOrReject(mutated);
    }
  }
}
