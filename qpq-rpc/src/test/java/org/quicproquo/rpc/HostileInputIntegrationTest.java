package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.capnproto.MessageBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicproquo.proto.rpc.RpcProtocol;

/**
 * Malformed and hostile input on raw QUIC streams. Each case must end in an exception Return, an
 * Abort or a closed stream, and afterwards the server must still answer calls, both on a new
 * stream of the same QUIC connection and for another client.
 */
@Timeout(90)
class HostileInputIntegrationTest {
  private static final RpcLimits LIMITS = RpcLimits.defaults()
      .withMaxMessageBytes(64 * 1024)
      .withMaxSegments(16)
      .withTraversalLimitWords(32 * 1024)
      .withNestingLimit(16)
      .withMaxBufferedBytes(128 * 1024);

  private final EchoCapability echo = new EchoCapability();
  private RpcServer server;
  private RpcClient hostile;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder(TestIdentities.fresh(), conn -> echo).limits(LIMITS).start();
    hostile = connect();
  }

  @AfterEach
  void serverStillServesThenStop() throws Exception {
    try {
      // Same QUIC connection, new stream.
      RpcConnection again = hostile.openStream().get(20, TimeUnit.SECONDS);
      assertThat(echo(again, "same connection").get(20, TimeUnit.SECONDS))
          .isEqualTo("same connection");
      // Another client.
      try (RpcClient other = connect()) {
        RpcConnection c = other.openStream().get(20, TimeUnit.SECONDS);
        assertThat(echo(c, "another client").get(20, TimeUnit.SECONDS))
            .isEqualTo("another client");
      }
    } finally {
      hostile.close();
      server.close();
    }
  }

  /** Replaces the server with one under {@code limits}, and the hostile client with one of it. */
  private void restartWith(RpcLimits limits) throws Exception {
    hostile.close();
    server.close();
    server = RpcServer.builder(TestIdentities.fresh(), conn -> echo).limits(limits).start();
    hostile = connect();
  }

  private RpcClient connect() throws Exception {
    return RpcClient.builder(server.localAddress(), ServerTrust.pinned(server.fingerprint()))
        .connect().get(20, TimeUnit.SECONDS);
  }

  private static java.util.concurrent.CompletableFuture<String> echo(RpcConnection c, String s) {
    return c.call(EchoCapability.INTERFACE_ID, EchoCapability.ECHO,
        p -> EchoCapability.setText(p, s), EchoCapability::text);
  }

  // ---- helpers to hand-craft frames --------------------------------------------------------

  /** A frame of the given segments (each an array of 64-bit words). */
  private static byte[] frame(long[]... segments) {
    int header = (int) FrameCodec.headerBytes(segments.length);
    int body = Arrays.stream(segments).mapToInt(s -> s.length * 8).sum();
    ByteBuffer b = ByteBuffer.allocate(header + body).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(segments.length - 1);
    for (long[] s : segments) {
      b.putInt(s.length);
    }
    b.position(header);
    for (long[] s : segments) {
      for (long w : s) {
        b.putLong(w);
      }
    }
    return b.array();
  }

  /** Struct pointer located at word {@code at} to a struct at word {@code target}. */
  private static long structPtr(int at, int target, int dataWords, int ptrs) {
    long offset = (target - at - 1) & 0x3fffffffL;
    return (offset << 2) | ((long) dataWords << 32) | ((long) ptrs << 48);
  }

  /** List-of-pointers pointer at word {@code at} to a list at {@code target}. */
  private static long pointerListPtr(int at, int target, int count) {
    long offset = (target - at - 1) & 0x3fffffffL;
    return 1L | (offset << 2) | (6L << 32) | ((long) count << 35);
  }

  /** Far pointer to word {@code offset} of segment {@code segment}. */
  private static long farPtr(int segment, int offset, boolean doubleFar) {
    return 2L | (doubleFar ? 4L : 0L) | ((long) offset << 3) | ((long) segment << 32);
  }

  private static RpcException expectAbort(RawStream s) throws InterruptedException {
    RpcProtocol.Message.Reader m = s.next();
    if (m == null) {
      assertThat(s.awaitClosed()).as("stream closed").isTrue();
      return null;
    }
    assertThat(m.which()).isEqualTo(RpcProtocol.Message.Which.ABORT);
    RpcException e = Wire.read(m.getAbort());
    assertThat(s.awaitClosed()).as("stream closed after abort").isTrue();
    return e;
  }

  private static MessageBuilder bootstrap(int questionId) {
    MessageBuilder mb = new MessageBuilder();
    Wire.newMessage(mb).initBootstrap().setQuestionId(questionId);
    return mb;
  }

  private static MessageBuilder finish(int questionId, boolean releaseResultCaps) {
    MessageBuilder mb = new MessageBuilder();
    RpcProtocol.Finish.Builder f = Wire.newMessage(mb).initFinish();
    f.setQuestionId(questionId);
    f.setReleaseResultCaps(releaseResultCaps);
    return mb;
  }

  private static MessageBuilder echoCall(int questionId, long interfaceId, int methodId,
      java.util.function.Consumer<RpcProtocol.MessageTarget.Builder> target, String text) {
    MessageBuilder mb = new MessageBuilder();
    RpcProtocol.Call.Builder c = Wire.newMessage(mb).initCall();
    c.setQuestionId(questionId);
    c.setInterfaceId(interfaceId);
    c.setMethodId((short) methodId);
    target.accept(c.initTarget());
    EchoCapability.setText(c.initParams().getContent(), text);
    return mb;
  }

  private static RpcProtocol.Return.Reader expectReturn(RawStream s, int answerId)
      throws InterruptedException {
    RpcProtocol.Message.Reader m = s.next();
    assertThat(m).as("a reply").isNotNull();
    assertThat(m.which()).isEqualTo(RpcProtocol.Message.Which.RETURN);
    assertThat(m.getReturn().getAnswerId()).isEqualTo(answerId);
    return m.getReturn();
  }

  // ---- framing -------------------------------------------------------------------------------

  @Test
  void truncatedFrameIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    byte[] f = frame(new long[10]);
    s.sendBytes(Arrays.copyOf(f, 8 + 16));
    s.finishOutput();
    RpcException e = expectAbort(s);
    if (e != null) {
      assertThat(e.code()).isEqualTo(RpcErrors.MALFORMED_MESSAGE);
    }
  }

  @Test
  void absurdSegmentCountIsAbortedBeforeAllocating() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4});
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.MESSAGE_TOO_LARGE);
  }

  @Test
  void oversizedMessageIsAbortedFromItsHeader() throws Exception {
    RawStream s = RawStream.open(hostile);
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(0).putInt(1 << 20); // one segment of 8 MiB, over the 64 KiB limit
    s.sendBytes(header.array());
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.MESSAGE_TOO_LARGE);
  }

  @Test
  void httpRequestIsGarbage() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(expectAbort(s)).isNotNull();
  }

  @Test
  void garbageWordsInAValidFrameAreAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    long[] junk = new long[4];
    Arrays.fill(junk, -1L);
    s.sendBytes(frame(junk));
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.MALFORMED_MESSAGE);
  }

  @Test
  void emptySegmentIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.sendBytes(frame(new long[0]));
    assertThat(expectAbort(s)).isNotNull();
  }

  // ---- pointers ------------------------------------------------------------------------------

  @Test
  void structPointingToItselfHitsTheNestingLimit() throws Exception {
    // Message { disembargo = S }, S.ptr0 -> S. The server echoes unknown kinds in Unimplemented,
    // which copies the body: the copy must stop at the limits.
    long[] seg = {
        structPtr(0, 1, 1, 1),
        RpcProtocol.Message.Which.DISEMBARGO.ordinal(),
        structPtr(2, 3, 0, 1),
        structPtr(3, 3, 0, 1),
    };
    RawStream s = RawStream.open(hostile);
    s.sendBytes(frame(seg));
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.MALFORMED_MESSAGE);
  }

  @Test
  void sharedSubtreeAmplificationHitsTheTraversalLimit() throws Exception {
    // Message { disembargo = list of 4000 pointers, all to one 2000-word struct }: 48 KiB on
    // the wire, 8 million words to traverse.
    int count = 4000;
    int listAt = 3;
    int structAt = listAt + count;
    long[] seg = new long[structAt + 2000];
    seg[0] = structPtr(0, 1, 1, 1);
    seg[1] = RpcProtocol.Message.Which.DISEMBARGO.ordinal();
    seg[2] = pointerListPtr(2, listAt, count);
    for (int i = 0; i < count; i++) {
      seg[listAt + i] = structPtr(listAt + i, structAt, 2000, 0);
    }
    RawStream s = RawStream.open(hostile);
    s.sendBytes(frame(seg));
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.MALFORMED_MESSAGE);
  }

  @Test
  void farPointerLoopBetweenSegmentsIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.sendBytes(frame(new long[] {farPtr(1, 0, false)}, new long[] {farPtr(0, 0, false)}));
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.MALFORMED_MESSAGE);
  }

  @Test
  void farPointerIntoMissingSegmentIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.sendBytes(frame(new long[] {farPtr(99, 0, false)}));
    assertThat(expectAbort(s)).isNotNull();
  }

  @Test
  void doubleFarChainOutOfBoundsIsAborted() throws Exception {
    // Double-far to segment 1, whose landing pad is a far pointer to a word past the end.
    RawStream s = RawStream.open(hostile);
    s.sendBytes(frame(new long[] {farPtr(1, 0, true)},
        new long[] {farPtr(1, 1000, false), structPtr(1, 1, 1, 1)}));
    assertThat(expectAbort(s)).isNotNull();
  }

  @Test
  void structPointerOutOfBoundsIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.sendBytes(frame(new long[] {structPtr(0, 100_000, 1, 1)}));
    assertThat(expectAbort(s)).isNotNull();
  }

  // ---- RPC protocol --------------------------------------------------------------------------

  @Test
  void unknownInterfaceAndMethodOnTheWireAreUnimplemented() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    assertThat(expectReturn(s, 0).which()).isEqualTo(RpcProtocol.Return.Which.RESULTS);
    s.send(echoCall(1, 0x0123456789abcdefL, 0, t -> t.setImportedCap(0), "x"));
    RpcProtocol.Return.Reader r1 = expectReturn(s, 1);
    assertThat(r1.which()).isEqualTo(RpcProtocol.Return.Which.EXCEPTION);
    assertThat(r1.getException().getType()).isEqualTo(RpcProtocol.Exception.Type.UNIMPLEMENTED);
    assertThat(r1.getException().getReason().toString()).startsWith("UNKNOWN_INTERFACE: ");
    s.send(echoCall(2, EchoCapability.INTERFACE_ID, 65535, t -> t.setImportedCap(0), "x"));
    RpcProtocol.Return.Reader r2 = expectReturn(s, 2);
    assertThat(r2.getException().getType()).isEqualTo(RpcProtocol.Exception.Type.UNIMPLEMENTED);
    assertThat(r2.getException().getReason().toString()).startsWith("UNKNOWN_METHOD: ");
    // The stream is still usable.
    s.send(echoCall(3, EchoCapability.INTERFACE_ID, 0, t -> t.setImportedCap(0), "fine"));
    assertThat(EchoCapability.text(expectReturn(s, 3).getResults().getContent()))
        .isEqualTo("fine");
  }

  @Test
  void callPipelinedOnTheBootstrapQuestionIsAnswered() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    s.send(echoCall(1, EchoCapability.INTERFACE_ID, 0,
        t -> t.initPromisedAnswer().setQuestionId(0), "pipelined"));
    expectReturn(s, 0);
    assertThat(EchoCapability.text(expectReturn(s, 1).getResults().getContent()))
        .isEqualTo("pipelined");
  }

  @Test
  void pipeliningWithATransformIsUnimplemented() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    expectReturn(s, 0);
    s.send(echoCall(1, EchoCapability.INTERFACE_ID, 0, t -> {
      RpcProtocol.PromisedAnswer.Builder pa = t.initPromisedAnswer();
      pa.setQuestionId(0);
      pa.initTransform(1).get(0).setGetPointerField((short) 0);
    }, "x"));
    RpcProtocol.Return.Reader r = expectReturn(s, 1);
    assertThat(r.getException().getType()).isEqualTo(RpcProtocol.Exception.Type.UNIMPLEMENTED);
    assertThat(r.getException().getReason().toString()).startsWith("UNSUPPORTED: ");
  }

  @Test
  void resultsToYourselfAreUnimplemented() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    expectReturn(s, 0);
    MessageBuilder mb = echoCall(1, EchoCapability.INTERFACE_ID, 0, t -> t.setImportedCap(0), "x");
    mb.getRoot(RpcProtocol.Message.factory).getCall().getSendResultsTo().setYourself();
    s.send(mb);
    assertThat(expectReturn(s, 1).getException().getType())
        .isEqualTo(RpcProtocol.Exception.Type.UNIMPLEMENTED);
  }

  @Test
  void callAfterFinishReleasedTheBootstrapCapabilityFails() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    expectReturn(s, 0);
    s.send(finish(0, true)); // releases the only reference to export 0
    s.send(echoCall(1, EchoCapability.INTERFACE_ID, 0, t -> t.setImportedCap(0), "late"));
    RpcProtocol.Return.Reader r = expectReturn(s, 1);
    assertThat(r.getException().getType()).isEqualTo(RpcProtocol.Exception.Type.FAILED);
    assertThat(r.getException().getReason().toString()).startsWith("UNKNOWN_CAPABILITY: ");
    // Pipelining on the finished bootstrap question is refused too.
    s.send(echoCall(2, EchoCapability.INTERFACE_ID, 0,
        t -> t.initPromisedAnswer().setQuestionId(0), "late"));
    assertThat(expectReturn(s, 2).which()).isEqualTo(RpcProtocol.Return.Which.EXCEPTION);
    // Finishing question 1 twice is a protocol error.
    s.send(finish(1, true));
    s.send(finish(1, true));
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.PROTOCOL_ERROR);
  }

  @Test
  void finishOfUnknownQuestionIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(finish(42, true));
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.PROTOCOL_ERROR);
  }

  @Test
  void duplicateQuestionIdIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(5));
    expectReturn(s, 5);
    s.send(bootstrap(5));
    assertThat(expectAbort(s).code()).isEqualTo(RpcErrors.PROTOCOL_ERROR);
  }

  @Test
  void releaseOfMoreReferencesThanHeldIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    expectReturn(s, 0);
    MessageBuilder mb = new MessageBuilder();
    RpcProtocol.Release.Builder r = Wire.newMessage(mb).initRelease();
    r.setId(0);
    r.setReferenceCount(2);
    s.send(mb);
    assertThat(expectAbort(s).code()).isEqualTo(RpcErrors.PROTOCOL_ERROR);
  }

  @Test
  void returnSentToTheServerIsAborted() throws Exception {
    RawStream s = RawStream.open(hostile);
    MessageBuilder mb = new MessageBuilder();
    Wire.newMessage(mb).initReturn().setAnswerId(0);
    s.send(mb);
    assertThat(expectAbort(s).code()).isEqualTo(RpcErrors.PROTOCOL_ERROR);
  }

  @Test
  void unsupportedMessageKindIsEchoedAsUnimplementedAndTheStreamGoesOn() throws Exception {
    RawStream s = RawStream.open(hostile);
    MessageBuilder mb = new MessageBuilder();
    Wire.newMessage(mb).initResolve().setPromiseId(9);
    s.send(mb);
    RpcProtocol.Message.Reader m = s.next();
    assertThat(m.which()).isEqualTo(RpcProtocol.Message.Which.UNIMPLEMENTED);
    assertThat(m.getUnimplemented().which()).isEqualTo(RpcProtocol.Message.Which.RESOLVE);
    assertThat(m.getUnimplemented().getResolve().getPromiseId()).isEqualTo(9);
    s.send(bootstrap(0));
    assertThat(expectReturn(s, 0).which()).isEqualTo(RpcProtocol.Return.Which.RESULTS);
  }

  @Test
  void abortFromTheClientClosesOnlyThatStream() throws Exception {
    RawStream s = RawStream.open(hostile);
    MessageBuilder mb = new MessageBuilder();
    Wire.fill(Wire.newMessage(mb).initAbort(),
        new RpcException(ExceptionType.FAILED, "BYE", "client gives up"));
    s.send(mb);
    assertThat(s.awaitClosed()).isTrue();
  }

  @Test
  void streamEndingAfterCompleteCallsIsAnsweredThenClosed() throws Exception {
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    s.send(echoCall(1, EchoCapability.INTERFACE_ID, EchoCapability.DELAYED_ECHO,
        t -> t.setImportedCap(0), "half-closed"));
    s.finishOutput();
    expectReturn(s, 0);
    assertThat(EchoCapability.text(expectReturn(s, 1).getResults().getContent()))
        .isEqualTo("half-closed");
    assertThat(s.awaitClosed()).isTrue();
  }

  @Test
  void partialFramesOnManyStreamsHitTheConnectionBudget() throws Exception {
    // Each stream announces a 60 KiB message (under the 64 KiB limit) and sends 50 KiB of it:
    // three such streams would hold 150 KiB, over the 128 KiB per connection.
    byte[] header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(0).putInt(60 * 1024 / 8).array();
    byte[] body = new byte[50 * 1024];
    RawStream[] streams = {RawStream.open(hostile), RawStream.open(hostile),
        RawStream.open(hostile)};
    for (RawStream s : streams) {
      s.sendBytes(header);
      s.sendBytes(body);
    }
    // Whichever stream crosses the budget first is aborted; that frees its share, so the
    // other two fit.
    int aborted = 0;
    for (RawStream s : streams) {
      RpcProtocol.Message.Reader m = s.next(3_000);
      if (m != null) {
        assertThat(m.which()).isEqualTo(RpcProtocol.Message.Which.ABORT);
        RpcException e = Wire.read(m.getAbort());
        assertThat(e.type()).isEqualTo(ExceptionType.OVERLOADED);
        assertThat(e.code()).isEqualTo(RpcErrors.TOO_MUCH_BUFFERED);
        aborted++;
      }
    }
    assertThat(aborted).isEqualTo(1);
    for (RawStream s : streams) {
      s.close();
    }
  }

  @Test
  void callsWithBrokenParamsDoNotLeakCallSlots() throws Exception {
    restartWith(LIMITS.withMaxCallsInFlight(1));
    for (int i = 0; i < 3; i++) {
      RawStream s = RawStream.open(hostile);
      s.send(bootstrap(0));
      expectReturn(s, 0);
      // Call(q = 1, target = importedCap 0, params -> far outside the segment).
      long[] seg = new long[11];
      seg[0] = structPtr(0, 1, 1, 1);
      seg[1] = RpcProtocol.Message.Which.CALL.ordinal();
      seg[2] = structPtr(2, 3, 3, 3);
      seg[3] = 1L | ((long) EchoCapability.ECHO << 32);
      seg[4] = EchoCapability.INTERFACE_ID;
      seg[6] = structPtr(6, 9, 1, 1);
      seg[7] = structPtr(7, 100_000, 0, 2);
      s.sendBytes(frame(seg));
      RpcException e = expectAbort(s);
      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo(RpcErrors.MALFORMED_MESSAGE);
    }
    // The after-each check then makes a call on this connection: with a leaked slot it would
    // be refused as overloaded.
  }

  @Test
  void questionsNeverFinishedAreBoundedPerConnection() throws Exception {
    // Two calls in flight allow 8 open questions per connection.
    restartWith(LIMITS.withMaxCallsInFlight(2));
    // A well-behaved peer finishes each answer and can go on for ever.
    RawStream polite = RawStream.open(hostile);
    polite.send(bootstrap(0));
    expectReturn(polite, 0);
    for (int q = 1; q <= 20; q++) {
      polite.send(echoCall(q, EchoCapability.INTERFACE_ID, EchoCapability.ECHO,
          t -> t.setImportedCap(0), "polite " + q));
      assertThat(expectReturn(polite, q).which()).isEqualTo(RpcProtocol.Return.Which.RESULTS);
      polite.send(finish(q, true));
    }
    // One that never finishes: its bootstrap and six calls take the other seven places of
    // the connection (the polite stream holds its bootstrap question), the next is refused.
    RawStream s = RawStream.open(hostile);
    s.send(bootstrap(0));
    expectReturn(s, 0);
    for (int q = 1; q <= 6; q++) {
      s.send(echoCall(q, EchoCapability.INTERFACE_ID, EchoCapability.ECHO,
          t -> t.setImportedCap(0), "rude " + q));
      assertThat(expectReturn(s, q).which()).isEqualTo(RpcProtocol.Return.Which.RESULTS);
    }
    s.send(echoCall(7, EchoCapability.INTERFACE_ID, EchoCapability.ECHO,
        t -> t.setImportedCap(0), "one too many"));
    RpcException e = expectAbort(s);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(RpcErrors.PROTOCOL_ERROR);
    assertThat(e.getMessage()).contains("more than 8 questions open");
    polite.close();
    // The after-each check opens a new stream on this connection: the closed streams must
    // have given their places back, or its bootstrap would be refused.
  }
}
