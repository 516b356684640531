package org.quicproquo.rpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.capnproto.MessageBuilder;
import org.quicproquo.proto.rpc.RpcProtocol;

/**
 * The answer to {@code Bootstrap}: {@code Return.results} whose content is a capability pointer to
 * cap-table entry 0, and a cap table holding {@code senderHosted(exportId)}.
 *
 * <p>capnproto-java 0.1.16 cannot write capability pointers, so the message is built with the
 * generated classes and the (still null) content pointer word is then set by hand. A fresh
 * {@link MessageBuilder} allocates sequentially in its first segment, so that word has a fixed
 * place, which {@link #CONTENT_POINTER_OFFSET} documents and {@link #build} checks:
 *
 * <pre>
 * word 0  root pointer -> Message
 * word 1  Message data (union tag = return)     word 2  Message ptr -> Return
 * word 3,4 Return data (answerId, tag=results)  word 5  Return ptr -> Payload
 * word 6  Payload.content  (patched: interface pointer, cap index 0)
 * word 7  Payload.capTable -> list of 1 CapDescriptor (words 8..10)
 * </pre>
 */
final class BootstrapReturn {
  static final int CONTENT_POINTER_OFFSET = 6 * 8;
  private static final int CAP_TABLE_POINTER_OFFSET = 7 * 8;

  private BootstrapReturn() {
  }

  static MessageBuilder build(int answerId, int exportId) {
    MessageBuilder mb = Wire.newBuilder();
    RpcProtocol.Return.Builder ret = Wire.newMessage(mb).initReturn();
    ret.setAnswerId(answerId);
    RpcProtocol.Payload.Builder results = ret.initResults();
    results.initCapTable(1).get(0).setSenderHosted(exportId);
    // The duplicates getSegmentsForOutput returns are big-endian; Cap'n Proto is little-endian.
    ByteBuffer seg = mb.getSegmentsForOutput()[0].order(ByteOrder.LITTLE_ENDIAN);
    long content = seg.getLong(CONTENT_POINTER_OFFSET);
    long capTable = seg.getLong(CAP_TABLE_POINTER_OFFSET);
    if (content != 0 || (capTable & 3) != 1 || results.hasContent()) {
      throw new IllegalStateException("unexpected Bootstrap Return layout");
    }
    // Interface pointer: kind 3 (other), sub-kind B = 0 (capability), upper 32 bits = cap index.
    seg.putLong(CONTENT_POINTER_OFFSET, 3L);
    return mb;
  }
}
