package org.quicproquo.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;
import org.capnproto.StructFactory;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.rpc.RpcProtocol;

/**
 * Fuzz targets for the Cap'n Proto decoding of qpq-proto: the input is a standard (unpacked)
 * Cap'n Proto message, read with {@link Serialize#read(ByteBuffer, ReaderOptions)} under small
 * limits and then walked field by field ({@link CapnpWalker}).
 *
 * <p>Allowed outcomes: success, {@link IOException} or {@link IllegalArgumentException} from
 * framing (see {@link #read}), and the runtime's malformed-input exceptions listed at
 * {@link CapnpWalker#isMalformedInput}. Anything else is a finding.
 */
class CapnpFuzzTest {
  /** 64 KiB of traversal and 16 levels: ample for every qpq message, tight for hostile ones. */
  static final ReaderOptions OPTIONS = new ReaderOptions(8 * 1024, 16);
  private static final String DURATION = "45s";
  private static final List<StructFactory<?, ?>> QPQ_STRUCTS =
      CapnpWalker.structFactories(Qpq.class);

  /**
   * The input read as the root of every struct of qpq.capnp in turn: NodeService params and
   * results, ServerInfo, Limits, Event, NewMessages, Envelope, DeviceEntry, DeviceKeyPackage.
   */
  @FuzzTest(maxDuration = DURATION)
  void qpqStructs(byte[] input) {
    CapnpWalker walker = new CapnpWalker(List.of());
    for (StructFactory<?, ?> f : QPQ_STRUCTS) {
      MessageReader reader = read(input);
      if (reader == null) {
        return;
      }
      try {
        walker.walk(reader.getRoot(f));
      } catch (RuntimeException e) {
        if (!CapnpWalker.isMalformedInput(e)) {
          throw e;
        }
      }
    }
  }

  /**
   * The input read as an RPC {@code Message} (rpc.capnp), with every AnyPointer payload
   * additionally read as each qpq.capnp struct (what the server does with a call's params and the
   * client with a return's results).
   */
  @FuzzTest(maxDuration = DURATION)
  void rpcMessage(byte[] input) {
    MessageReader reader = read(input);
    if (reader == null) {
      return;
    }
    try {
      new CapnpWalker(QPQ_STRUCTS).walk(reader.getRoot(RpcProtocol.Message.factory));
    } catch (RuntimeException e) {
      if (!CapnpWalker.isMalformedInput(e)) {
        throw e;
      }
    }
  }

  /**
   * The framed message, or null when framing rejected it with an allowed exception.
   *
   * <p>{@code Serialize.read(ByteBuffer, ...)} of runtime 0.1.16 does not check the segment table
   * against the buffer: a table claiming more words than remain fails in {@code Buffer.limit}
   * with {@link IllegalArgumentException} (found by this target; reproducer
   * {@code 00000000 05000000 00000000 01000100 08000000 00000000 00000000 01000100 00000000}).
   * Only here, at framing and before any reader exists, is that exception taken as a rejection.
   * qpq itself never frames untrusted bytes with {@code Serialize.read}: {@code FrameCodec}
   * (qpq-rpc) and {@code AppMessageCodec} (qpq-core) check the segment table themselves.
   */
  private static MessageReader read(byte[] input) {
    try {
      return Serialize.read(ByteBuffer.wrap(input), OPTIONS);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    } catch (RuntimeException e) {
      if (CapnpWalker.isMalformedInput(e)) {
        return null;
      }
      throw e;
    }
  }
}
