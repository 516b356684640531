package org.quicproquo.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.quicproquo.core.message.AppMessage;
import org.quicproquo.core.message.AppMessageCodec;
import org.quicproquo.core.message.AppMessageException;

/**
 * Fuzz target for {@link AppMessageCodec#decode}: only {@link AppMessageException} may escape, and
 * whatever decodes must encode and decode again to an equal message.
 */
class AppMessageFuzzTest {
  @FuzzTest(maxDuration = "45s")
  void decode(byte[] input) {
    AppMessage message;
    try {
      message = AppMessageCodec.decode(input);
    } catch (AppMessageException e) {
      return;
    }
    try {
      assertThat(AppMessageCodec.decode(AppMessageCodec.encode(message))).isEqualTo(message);
    } catch (AppMessageException e) {
      throw new AssertionError("re-encoded " + message + " does not decode", e);
    }
  }
}
