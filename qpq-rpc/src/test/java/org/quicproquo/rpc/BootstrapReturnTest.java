package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.capnproto.MessageReader;
import org.junit.jupiter.api.Test;
import org.quicproquo.proto.rpc.RpcProtocol;

class BootstrapReturnTest {
  private static byte[] frame() {
    ByteBuf buf = FrameCodec.encode(BootstrapReturn.build(7, 0), 1 << 20,
        ByteBufAllocator.DEFAULT);
    try {
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  @Test
  void readsBackAsReturnOfCapabilityZero() {
    MessageReader r = FrameCodec.tryDecode(io.netty.buffer.Unpooled.wrappedBuffer(frame()),
        RpcLimits.defaults());
    RpcProtocol.Message.Reader m = r.getRoot(RpcProtocol.Message.factory);
    assertThat(m.which()).isEqualTo(RpcProtocol.Message.Which.RETURN);
    RpcProtocol.Return.Reader ret = m.getReturn();
    assertThat(ret.getAnswerId()).isEqualTo(7);
    assertThat(ret.which()).isEqualTo(RpcProtocol.Return.Which.RESULTS);
    assertThat(ret.getResults().hasContent()).isTrue();
    assertThat(ret.getResults().getCapTable().size()).isEqualTo(1);
    assertThat(ret.getResults().getCapTable().get(0).getSenderHosted()).isZero();
    // The content word is an interface pointer (kind 3, B = 0) to cap-table index 0.
    long content = io.netty.buffer.Unpooled.wrappedBuffer(frame())
        .getLongLE(8 + BootstrapReturn.CONTENT_POINTER_OFFSET);
    assertThat(content).isEqualTo(3L);
  }

  @Test
  void capnpToolSeesACapabilityPointer() throws Exception {
    Path in = Files.createTempFile("bootstrap", ".bin");
    try {
      Files.write(in, frame());
      Process p = new ProcessBuilder("capnp", "decode", "--short", "-I/usr/include",
          "/usr/include/capnp/rpc.capnp", "Message")
          .redirectInput(in.toFile()).redirectErrorStream(true).start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.getInputStream().transferTo(out);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(text).contains("answerId = 7")
          .contains("content = <opaque pointer>")
          .contains("capTable = [(senderHosted = 0");
    } finally {
      Files.deleteIfExists(in);
    }
  }
}
