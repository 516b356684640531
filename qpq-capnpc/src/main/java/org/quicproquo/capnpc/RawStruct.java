package org.quicproquo.capnpc;

import java.util.ArrayList;
import java.util.List;
import org.capnproto.AnyPointer;
import org.capnproto.SegmentBuilder;
import org.capnproto.SegmentReader;
import org.capnproto.StructBuilder;
import org.capnproto.StructFactory;
import org.capnproto.StructList;
import org.capnproto.StructReader;
import org.capnproto.StructSize;
import org.capnproto.Text;

/**
 * Untyped view of one struct of a {@code CodeGeneratorRequest}. It is the bootstrap reader: the
 * generator cannot use classes generated from schema.capnp to read schema.capnp's own messages, so
 * {@link RequestParser} reads fields by their offsets (taken from {@code capnp compile -ocapnp
 * schema.capnp}). Offsets are in units of the field's width, as in the runtime's accessors.
 */
final class RawStruct extends StructReader {
  static final Factory FACTORY = new Factory();
  static final StructList.Factory<StructBuilder, RawStruct> LIST_FACTORY = new StructList.Factory<>(FACTORY);

  RawStruct(SegmentReader segment, int data, int pointers, int dataSize, short pointerCount, int nestingLimit) {
    super(segment, data, pointers, dataSize, pointerCount, nestingLimit);
  }

  int u16(int offset) {
    return _getShortField(offset) & 0xffff;
  }

  int u16(int offset, short defaultValue) {
    return _getShortField(offset, defaultValue) & 0xffff;
  }

  int u32(int offset) {
    return _getIntField(offset);
  }

  long u64(int offset) {
    return _getLongField(offset);
  }

  byte u8(int offset) {
    return _getByteField(offset);
  }

  boolean bool(int bitOffset) {
    return _getBooleanField(bitOffset);
  }

  boolean hasPointer(int index) {
    return !_pointerFieldIsNull(index);
  }

  String text(int index) {
    Text.Reader reader = _getPointerField(Text.factory, index, null, 0, 0);
    return reader.toString();
  }

  byte[] textBytes(int index) {
    Text.Reader reader = _getPointerField(Text.factory, index, null, 0, 0);
    byte[] out = new byte[reader.size()];
    java.nio.ByteBuffer buffer = reader.asByteBuffer();
    buffer.get(out);
    return out;
  }

  byte[] dataBytes(int index) {
    return _getPointerField(org.capnproto.Data.factory, index, null, 0, 0).toArray();
  }

  RawStruct struct(int index) {
    return _getPointerField(FACTORY, index, null, 0);
  }

  List<RawStruct> structList(int index) {
    StructList.Reader<RawStruct> list = _getPointerField(LIST_FACTORY, index, null, 0);
    List<RawStruct> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get(i));
    }
    return out;
  }

  AnyPointer.Reader anyPointer(int index) {
    return _getPointerField(AnyPointer.factory, index);
  }

  /** Read-only factory: the generator never builds schema messages. */
  static final class Factory extends StructFactory<StructBuilder, RawStruct> {
    private static final StructSize SIZE = new StructSize((short) 0, (short) 0);

    @Override
    public RawStruct constructReader(SegmentReader segment, int data, int pointers, int dataSize,
        short pointerCount, int nestingLimit) {
      return new RawStruct(segment, data, pointers, dataSize, pointerCount, nestingLimit);
    }

    @Override
    public StructBuilder constructBuilder(SegmentBuilder segment, int data, int pointers, int dataSize,
        short pointerCount) {
      return new StructBuilder(segment, data, pointers, dataSize, pointerCount);
    }

    @Override
    public StructSize structSize() {
      return SIZE;
    }

    @Override
    public RawStruct asReader(StructBuilder builder) {
      throw new UnsupportedOperationException("schema messages are read-only");
    }
  }
}
