package org.quicproquo.mls.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.message.MLSMessage;

/**
 * Malformed input never crashes the decoder: every MLSMessage of {@code messages.json}, truncated at
 * every length and with random bytes changed, either decodes or fails with {@link DecodeException}
 * (no other exception type). A fixed seed keeps the run repeatable.
 */
class MessagesMutationTest {
  private static final String[] FIELDS = {"mls_welcome", "mls_group_info", "mls_key_package",
      "public_message_application", "public_message_proposal", "public_message_commit",
      "private_message"};

  @Test
  void mutatedMessagesDecodeOrFailWithDecodeException() throws Exception {
    JsonNode root = new ObjectMapper().readTree(VectorFiles.file("messages.json").toFile());
    Random random = new Random(9420);
    int decodedAfterMutation = 0;
    int rejected = 0;
    for (int c = 0; c < 20; c++) {
      for (String field : FIELDS) {
        byte[] good = Hex.decode(root.get(c).get(field).asText());
        for (int n = 0; n < good.length; n += Math.max(1, good.length / 64)) {
          rejected += expectDecodeOrDecodeException(Arrays.copyOf(good, n)) ? 0 : 1;
        }
        for (int k = 0; k < 50; k++) {
          byte[] bad = good.clone();
          int flips = 1 + random.nextInt(3);
          for (int f = 0; f < flips; f++) {
            bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
          }
          if (expectDecodeOrDecodeException(bad)) {
            decodedAfterMutation++;
          } else {
            rejected++;
          }
        }
      }
    }
    // Both outcomes occur: mutations inside opaque fields still decode, structural ones do not.
    assertThat(rejected).isPositive();
    assertThat(decodedAfterMutation).isPositive();
  }

  /** True if {@code bytes} decoded; false if rejected with DecodeException; anything else fails. */
  private static boolean expectDecodeOrDecodeException(byte[] bytes) {
    try {
      MLSMessage m = MLSMessage.fromBytes(bytes);
      assertThat(MLSMessage.fromBytes(m.toBytes())).isNotNull();
      return true;
    } catch (DecodeException e) {
      return false;
    }
  }
}
