package org.quicproquo.rpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;
import org.capnproto.Text;

/**
 * A test capability on {@code AnyPointer} params whose content is a {@code Text}. Methods:
 * 0 echo, 1 application error, 2 echo after a delay of (length of text mod 7) ms, 3 never
 * answers (until {@link #releaseHanging()}), 4 throws an internal error, 5 pushes the text to
 * the caller's connection, 6 returns text repeated to a size given in the text.
 */
final class EchoCapability implements Capability {
  static final long INTERFACE_ID = 0xa1b2c3d4e5f60718L;
  static final int ECHO = 0;
  static final int FAIL = 1;
  static final int DELAYED_ECHO = 2;
  static final int HANG = 3;
  static final int CRASH = 4;
  static final int PUSH = 5;
  static final int BIG = 6;

  private final List<CompletableFuture<Void>> hanging = new CopyOnWriteArrayList<>();

  static String text(AnyPointer.Reader p) {
    return p.getAs(Text.factory).toString();
  }

  static void setText(AnyPointer.Builder b, String s) {
    b.setAs(Text.factory, new Text.Reader(s));
  }

  @Override
  public CompletableFuture<Void> call(long interfaceId, int methodId, CallContext ctx) {
    if (interfaceId != INTERFACE_ID) {
      return Capability.unknownInterface(interfaceId);
    }
    switch (methodId) {
      case ECHO -> {
        setText(ctx.results(), text(ctx.params()));
        return CompletableFuture.completedFuture(null);
      }
      case FAIL -> throw new RpcException(ExceptionType.FAILED, "NOT_ALLOWED",
          "you may not: " + text(ctx.params()));
      case DELAYED_ECHO -> {
        String s = text(ctx.params());
        Executor later = CompletableFuture.delayedExecutor(s.length() % 7, TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> setText(ctx.results(), s), later);
      }
      case HANG -> {
        CompletableFuture<Void> f = new CompletableFuture<>();
        hanging.add(f);
        return f;
      }
      case CRASH -> throw new IllegalStateException("secret internal detail");
      case PUSH -> {
        MessageBuilder event = new MessageBuilder();
        setText(event.initRoot(AnyPointer.factory), text(ctx.params()));
        return ctx.connection().push(event);
      }
      case BIG -> {
        int size = Integer.parseInt(text(ctx.params()));
        setText(ctx.results(), "x".repeat(size));
        return CompletableFuture.completedFuture(null);
      }
      default -> {
        return Capability.unknownMethod(interfaceId, methodId);
      }
    }
  }

  int hangingCount() {
    return hanging.size();
  }

  void releaseHanging() {
    hanging.forEach(f -> f.complete(null));
  }
}
