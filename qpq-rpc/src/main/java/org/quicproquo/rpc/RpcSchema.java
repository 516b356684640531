package org.quicproquo.rpc;

import org.capnproto.AnyPointer;
import org.capnproto.SegmentBuilder;
import org.capnproto.SegmentReader;
import org.capnproto.StructFactory;
import org.capnproto.StructList;
import org.capnproto.StructSize;
import org.capnproto.Text;

/**
 * The subset of Cap'n Proto's {@code rpc.capnp} (0.9.2 layout) that RPC level 0 needs, written
 * by hand in the style of generated capnproto-java code. Bridge until the generated
 * {@code org.quicproquo.proto.rpc} classes land in qpq-proto; layouts taken from
 * {@code capnp compile -o-} of {@code /usr/include/capnp/rpc.capnp}.
 */
final class RpcSchema {
  private RpcSchema() {
  }

  /** Base of the hand-written factories: only the constructors differ between structs. */
  abstract static class Factory<B extends org.capnproto.StructBuilder,
      R extends org.capnproto.StructReader> extends StructFactory<B, R> {
    private final StructSize size;

    Factory(int data, int pointers) {
      this.size = new StructSize((short) data, (short) pointers);
    }

    @Override
    public final StructSize structSize() {
      return size;
    }
  }

  /** {@code struct Message { union { unimplemented @0 ... disembargo @13 } }}. */
  static final class Message {
    enum Which {
      UNIMPLEMENTED, ABORT, CALL, RETURN, FINISH, RESOLVE, RELEASE, OBSOLETE_SAVE, BOOTSTRAP,
      OBSOLETE_DELETE, PROVIDE, ACCEPT, JOIN, DISEMBARGO, _NOT_IN_SCHEMA
    }

    static final Factory<Builder, Reader> factory = new Factory<>(1, 1) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        return b.asReader();
      }
    };

    static Which which(int disc) {
      Which[] all = Which.values();
      return disc >= 0 && disc < all.length - 1 ? all[disc] : Which._NOT_IN_SCHEMA;
    }

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      Which which() {
        return Message.which(_getShortField(0) & 0xffff);
      }

      Exception.Reader getAbort() {
        return _getPointerField(Exception.factory, 0);
      }

      Call.Reader getCall() {
        return _getPointerField(Call.factory, 0);
      }

      Return.Reader getReturn() {
        return _getPointerField(Return.factory, 0);
      }

      Finish.Reader getFinish() {
        return _getPointerField(Finish.factory, 0);
      }

      Release.Reader getRelease() {
        return _getPointerField(Release.factory, 0);
      }

      Bootstrap.Reader getBootstrap() {
        return _getPointerField(Bootstrap.factory, 0);
      }

      Message.Reader getUnimplemented() {
        return _getPointerField(Message.factory, 0);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      Reader asReader() {
        return new Reader(segment, data, pointers, dataSize, pointerCount, 0x7fffffff);
      }

      void setUnimplemented(Message.Reader value) {
        _setShortField(0, (short) Which.UNIMPLEMENTED.ordinal());
        _setPointerField(Message.factory, 0, value);
      }

      Exception.Builder initAbort() {
        _setShortField(0, (short) Which.ABORT.ordinal());
        return _initPointerField(Exception.factory, 0, 0);
      }

      Call.Builder initCall() {
        _setShortField(0, (short) Which.CALL.ordinal());
        return _initPointerField(Call.factory, 0, 0);
      }

      Return.Builder initReturn() {
        _setShortField(0, (short) Which.RETURN.ordinal());
        return _initPointerField(Return.factory, 0, 0);
      }

      Finish.Builder initFinish() {
        _setShortField(0, (short) Which.FINISH.ordinal());
        return _initPointerField(Finish.factory, 0, 0);
      }

      Release.Builder initRelease() {
        _setShortField(0, (short) Which.RELEASE.ordinal());
        return _initPointerField(Release.factory, 0, 0);
      }

      Bootstrap.Builder initBootstrap() {
        _setShortField(0, (short) Which.BOOTSTRAP.ordinal());
        return _initPointerField(Bootstrap.factory, 0, 0);
      }

      /** Sets a discriminant with no body: for tests of unsupported message kinds. */
      void setWhichForTest(int disc) {
        _setShortField(0, (short) disc);
      }
    }
  }

  /** {@code struct Bootstrap { questionId @0 :UInt32; deprecatedObjectId @1 :AnyPointer; }}. */
  static final class Bootstrap {
    static final Factory<Builder, Reader> factory = new Factory<>(1, 1) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      int getQuestionId() {
        return _getIntField(0);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setQuestionId(int value) {
        _setIntField(0, value);
      }
    }
  }

  /**
   * {@code struct Call { questionId @0; target @1; interfaceId @2; methodId @3; params @4;
   * sendResultsTo :union { caller @5; yourself @6; thirdParty @7 }; allowThirdPartyTailCall @8 }}.
   */
  static final class Call {
    enum SendResultsTo { CALLER, YOURSELF, THIRD_PARTY, _NOT_IN_SCHEMA }

    static final Factory<Builder, Reader> factory = new Factory<>(3, 3) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      int getQuestionId() {
        return _getIntField(0);
      }

      MessageTarget.Reader getTarget() {
        return _getPointerField(MessageTarget.factory, 0);
      }

      long getInterfaceId() {
        return _getLongField(1);
      }

      short getMethodId() {
        return _getShortField(2);
      }

      Payload.Reader getParams() {
        return _getPointerField(Payload.factory, 1);
      }

      SendResultsTo sendResultsTo() {
        int d = _getShortField(3) & 0xffff;
        SendResultsTo[] all = SendResultsTo.values();
        return d < all.length - 1 ? all[d] : SendResultsTo._NOT_IN_SCHEMA;
      }

      boolean getAllowThirdPartyTailCall() {
        return _getBooleanField(128);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setQuestionId(int value) {
        _setIntField(0, value);
      }

      MessageTarget.Builder initTarget() {
        return _initPointerField(MessageTarget.factory, 0, 0);
      }

      void setInterfaceId(long value) {
        _setLongField(1, value);
      }

      void setMethodId(short value) {
        _setShortField(2, value);
      }

      Payload.Builder initParams() {
        return _initPointerField(Payload.factory, 1, 0);
      }

      /** Sets the sendResultsTo discriminant (0 = caller). */
      void setSendResultsTo(SendResultsTo value) {
        _setShortField(3, (short) value.ordinal());
      }
    }
  }

  /** {@code struct Return { answerId @0; releaseParamCaps @1 = true; union { results @2 ... } }}. */
  static final class Return {
    enum Which {
      RESULTS, EXCEPTION, CANCELED, RESULTS_SENT_ELSEWHERE, TAKE_FROM_OTHER_QUESTION,
      ACCEPT_FROM_THIRD_PARTY, _NOT_IN_SCHEMA
    }

    static final Factory<Builder, Reader> factory = new Factory<>(2, 1) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      Which which() {
        int d = _getShortField(3) & 0xffff;
        Which[] all = Which.values();
        return d < all.length - 1 ? all[d] : Which._NOT_IN_SCHEMA;
      }

      int getAnswerId() {
        return _getIntField(0);
      }

      Payload.Reader getResults() {
        return _getPointerField(Payload.factory, 0);
      }

      Exception.Reader getException() {
        return _getPointerField(Exception.factory, 0);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setAnswerId(int value) {
        _setIntField(0, value);
      }

      Payload.Builder initResults() {
        _setShortField(3, (short) Which.RESULTS.ordinal());
        return _initPointerField(Payload.factory, 0, 0);
      }

      Exception.Builder initException() {
        _setShortField(3, (short) Which.EXCEPTION.ordinal());
        return _initPointerField(Exception.factory, 0, 0);
      }

      void setCanceled() {
        _setShortField(3, (short) Which.CANCELED.ordinal());
        _clearPointerField(0);
      }
    }
  }

  /** {@code struct Finish { questionId @0 :UInt32; releaseResultCaps @1 :Bool = true; }}. */
  static final class Finish {
    static final Factory<Builder, Reader> factory = new Factory<>(1, 0) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      int getQuestionId() {
        return _getIntField(0);
      }

      boolean getReleaseResultCaps() {
        return _getBooleanField(32, true);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setQuestionId(int value) {
        _setIntField(0, value);
      }

      void setReleaseResultCaps(boolean value) {
        _setBooleanField(32, value, true);
      }
    }
  }

  /** {@code struct Release { id @0 :ImportId; referenceCount @1 :UInt32; }}. */
  static final class Release {
    static final Factory<Builder, Reader> factory = new Factory<>(1, 0) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      int getId() {
        return _getIntField(0);
      }

      int getReferenceCount() {
        return _getIntField(1);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setId(int value) {
        _setIntField(0, value);
      }

      void setReferenceCount(int value) {
        _setIntField(1, value);
      }
    }
  }

  /** {@code struct MessageTarget { union { importedCap @0; promisedAnswer @1; } }}. */
  static final class MessageTarget {
    enum Which { IMPORTED_CAP, PROMISED_ANSWER, _NOT_IN_SCHEMA }

    static final Factory<Builder, Reader> factory = new Factory<>(1, 1) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      Which which() {
        int d = _getShortField(2) & 0xffff;
        return d == 0 ? Which.IMPORTED_CAP : d == 1 ? Which.PROMISED_ANSWER : Which._NOT_IN_SCHEMA;
      }

      int getImportedCap() {
        return _getIntField(0);
      }

      PromisedAnswer.Reader getPromisedAnswer() {
        return _getPointerField(PromisedAnswer.factory, 0);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setImportedCap(int value) {
        _setShortField(2, (short) Which.IMPORTED_CAP.ordinal());
        _setIntField(0, value);
      }

      PromisedAnswer.Builder initPromisedAnswer() {
        _setShortField(2, (short) Which.PROMISED_ANSWER.ordinal());
        return _initPointerField(PromisedAnswer.factory, 0, 0);
      }
    }
  }

  /** {@code struct PromisedAnswer { questionId @0; transform @1 :List(Op); }}. */
  static final class PromisedAnswer {
    static final Factory<Builder, Reader> factory = new Factory<>(1, 1) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      int getQuestionId() {
        return _getIntField(0);
      }

      StructList.Reader<Op.Reader> getTransform() {
        return _getPointerField(Op.listFactory, 0);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setQuestionId(int value) {
        _setIntField(0, value);
      }

      StructList.Builder<Op.Builder> initTransform(int size) {
        return _initPointerField(Op.listFactory, 0, size);
      }
    }

    /** {@code struct Op { union { noop @0 :Void; getPointerField @1 :UInt16; } }}. */
    static final class Op {
      static final Factory<Builder, Reader> factory = new Factory<>(1, 0) {
        @Override
        public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
          return new Reader(s, d, p, ds, pc, nl);
        }

        @Override
        public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
          return new Builder(s, d, p, ds, pc);
        }

        @Override
        public Reader asReader(Builder b) {
          throw new UnsupportedOperationException();
        }
      };
      static final StructList.Factory<Builder, Reader> listFactory =
          new StructList.Factory<>(factory);

      static final class Reader extends org.capnproto.StructReader {
        Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
          super(s, d, p, ds, pc, nl);
        }

        /** True for {@code noop}. */
        boolean isNoop() {
          return _getShortField(0) == 0;
        }
      }

      static final class Builder extends org.capnproto.StructBuilder {
        Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
          super(s, d, p, ds, pc);
        }

        void setGetPointerField(short value) {
          _setShortField(0, (short) 1);
          _setShortField(1, value);
        }
      }
    }
  }

  /** {@code struct Payload { content @0 :AnyPointer; capTable @1 :List(CapDescriptor); }}. */
  static final class Payload {
    static final Factory<Builder, Reader> factory = new Factory<>(0, 2) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      AnyPointer.Reader getContent() {
        return _getPointerField(AnyPointer.factory, 0);
      }

      StructList.Reader<CapDescriptor.Reader> getCapTable() {
        return _getPointerField(CapDescriptor.listFactory, 1);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      AnyPointer.Builder getContent() {
        return _getPointerField(AnyPointer.factory, 0);
      }

      /**
       * Points {@code content} at entry {@code index} of the cap table: an interface pointer
       * (kind 3 = other, B = 0 = capability, upper half = index). capnproto-java has no
       * capability API, so the pointer word is written directly.
       */
      void setContentCapability(int index) {
        segment.buffer.putLong(pointers * 8, 3L | ((long) index << 32));
      }

      StructList.Builder<CapDescriptor.Builder> initCapTable(int size) {
        return _initPointerField(CapDescriptor.listFactory, 1, size);
      }
    }
  }

  /** {@code struct CapDescriptor { union { none @0; senderHosted @1 :ExportId; ... } }}. */
  static final class CapDescriptor {
    enum Which {
      NONE, SENDER_HOSTED, SENDER_PROMISE, RECEIVER_HOSTED, RECEIVER_ANSWER, THIRD_PARTY_HOSTED,
      _NOT_IN_SCHEMA
    }

    static final Factory<Builder, Reader> factory = new Factory<>(1, 1) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };
    static final StructList.Factory<Builder, Reader> listFactory =
        new StructList.Factory<>(factory);

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      Which which() {
        int d = _getShortField(0) & 0xffff;
        Which[] all = Which.values();
        return d < all.length - 1 ? all[d] : Which._NOT_IN_SCHEMA;
      }

      int getSenderHosted() {
        return _getIntField(1);
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setSenderHosted(int value) {
        _setShortField(0, (short) Which.SENDER_HOSTED.ordinal());
        _setIntField(1, value);
      }
    }
  }

  /** {@code struct Exception { reason @0 :Text; type @3 :Type; ... trace @4 :Text; }}. */
  static final class Exception {
    static final Factory<Builder, Reader> factory = new Factory<>(1, 2) {
      @Override
      public Reader constructReader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        return new Reader(s, d, p, ds, pc, nl);
      }

      @Override
      public Builder constructBuilder(SegmentBuilder s, int d, int p, int ds, short pc) {
        return new Builder(s, d, p, ds, pc);
      }

      @Override
      public Reader asReader(Builder b) {
        throw new UnsupportedOperationException();
      }
    };

    static final class Reader extends org.capnproto.StructReader {
      Reader(SegmentReader s, int d, int p, int ds, short pc, int nl) {
        super(s, d, p, ds, pc, nl);
      }

      String getReason() {
        return _getPointerField(Text.factory, 0, null, 0, 0).toString();
      }

      /** The raw {@code Exception.Type} code. */
      int getType() {
        return _getShortField(2) & 0xffff;
      }
    }

    static final class Builder extends org.capnproto.StructBuilder {
      Builder(SegmentBuilder s, int d, int p, int ds, short pc) {
        super(s, d, p, ds, pc);
      }

      void setReason(String value) {
        _setPointerField(Text.factory, 0, new Text.Reader(value));
      }

      void setType(ExceptionType value) {
        _setShortField(2, (short) value.code());
      }
    }
  }
}
