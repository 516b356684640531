package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReasonCodecTest {
  @Test
  void codeAndDetailRoundTrip() {
    RpcException e = new RpcException(ExceptionType.OVERLOADED, "RATE_LIMITED", "slow down: 5/s");
    String reason = ReasonCodec.encode(e);
    assertThat(reason).isEqualTo("RATE_LIMITED: slow down: 5/s");
    RpcException back = ReasonCodec.decode(ExceptionType.OVERLOADED, reason);
    assertThat(back.type()).isEqualTo(ExceptionType.OVERLOADED);
    assertThat(back.code()).isEqualTo("RATE_LIMITED");
    assertThat(back.detail()).isEqualTo("slow down: 5/s");
  }

  @Test
  void foreignReasonWithoutCodeIsUnspecified() {
    RpcException e = ReasonCodec.decode(ExceptionType.FAILED, "remote exception: boom");
    assertThat(e.code()).isEqualTo(RpcErrors.UNSPECIFIED);
    assertThat(e.detail()).isEqualTo("remote exception: boom");
    assertThat(ReasonCodec.decode(ExceptionType.FAILED, null).detail()).isEmpty();
  }

  @Test
  void longReasonsAreCut() {
    RpcException e = ReasonCodec.decode(ExceptionType.FAILED, "X: " + "a".repeat(100_000));
    assertThat(e.detail().length()).isLessThanOrEqualTo(ReasonCodec.MAX_REASON_CHARS);
  }

  @Test
  void malformedCodesAreRejectedAtConstruction() {
    assertThatThrownBy(() -> new RpcException(ExceptionType.FAILED, "lower", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RpcException(ExceptionType.FAILED, "A".repeat(65), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exceptionTypeCodesMatchRpcCapnp() {
    assertThat(ExceptionType.fromCode(0)).isEqualTo(ExceptionType.FAILED);
    assertThat(ExceptionType.fromCode(1)).isEqualTo(ExceptionType.OVERLOADED);
    assertThat(ExceptionType.fromCode(2)).isEqualTo(ExceptionType.DISCONNECTED);
    assertThat(ExceptionType.fromCode(3)).isEqualTo(ExceptionType.UNIMPLEMENTED);
    assertThatThrownBy(() -> ExceptionType.fromCode(4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
