package org.quicproquo.capnpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;

/**
 * Decodes the {@code CodeGeneratorRequest} that {@code capnp compile -o-} writes (unpacked
 * serialization). Field offsets below are those of /usr/include/capnp/schema.capnp as printed by
 * {@code capnp compile -ocapnp}: "bits[64, 96)" of a UInt32 is offset 2.
 */
final class RequestParser {
  /** Requests for big schemas with doc comments are a few hundred KiB; this leaves ample room. */
  private static final ReaderOptions OPTIONS = new ReaderOptions(64L * 1024 * 1024, 64);
  private static final int MAX_TYPE_DEPTH = 32;

  private RequestParser() {
  }

  /** Parses a serialized request; throws {@link CapnpcException} if it is malformed. */
  static GeneratorRequest parse(byte[] serialized) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(serialized);
      MessageReader message = Serialize.read(buffer, OPTIONS);
      RawStruct root = message.getRoot(RawStruct.FACTORY);
      Map<Long, SchemaNode> nodes = new LinkedHashMap<>();
      for (RawStruct node : root.structList(0)) {
        SchemaNode parsed = node(node);
        if (nodes.put(parsed.id(), parsed) != null) {
          throw new CapnpcException("duplicate node @0x" + Long.toHexString(parsed.id()));
        }
      }
      List<GeneratorRequest.RequestedFile> files = new ArrayList<>();
      for (RawStruct file : root.structList(1)) {
        files.add(new GeneratorRequest.RequestedFile(file.u64(0), file.text(0)));
      }
      Map<Long, GeneratorRequest.SourceDoc> docs = new LinkedHashMap<>();
      for (RawStruct info : root.structList(3)) {
        List<String> members = new ArrayList<>();
        for (RawStruct member : info.structList(1)) {
          members.add(member.text(0));
        }
        docs.put(info.u64(0), new GeneratorRequest.SourceDoc(info.text(0), members));
      }
      return new GeneratorRequest(nodes, files, docs);
    } catch (CapnpcException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The runtime signals malformed input with DecodeException but also with buffer and
      // index exceptions; all of them mean the same thing here.
      throw new CapnpcException("malformed CodeGeneratorRequest: " + e, e);
    }
  }

  private static SchemaNode node(RawStruct n) {
    long id = n.u64(0);
    String displayName = n.text(0);
    long scopeId = n.u64(2);
    List<SchemaNode.NestedNode> nested = new ArrayList<>();
    for (RawStruct nn : n.structList(1)) {
      nested.add(new SchemaNode.NestedNode(nn.text(0), nn.u64(0)));
    }
    NodeKind kind = NodeKind.fromCode(n.u16(6));
    SchemaNode.StructLayout layout = null;
    List<String> enumerants = new ArrayList<>();
    List<SchemaMethod> methods = new ArrayList<>();
    SchemaType constType = null;
    SchemaValue constValue = null;
    switch (kind) {
      case STRUCT -> {
        List<SchemaField> fields = new ArrayList<>();
        for (RawStruct f : n.structList(3)) {
          fields.add(field(f, displayName));
        }
        layout = new SchemaNode.StructLayout(n.u16(7), n.u16(12), n.bool(224), n.u16(15), n.u32(8), fields);
      }
      case ENUM -> {
        for (RawStruct e : n.structList(3)) {
          enumerants.add(e.text(0));
        }
      }
      case INTERFACE -> {
        List<RawStruct> list = n.structList(3);
        for (int i = 0; i < list.size(); i++) {
          RawStruct m = list.get(i);
          methods.add(new SchemaMethod(m.text(0), i, m.u64(1), m.u64(2)));
        }
      }
      case CONST -> {
        constType = type(n.struct(3), 0);
        constValue = value(n.struct(4), displayName);
      }
      default -> {
        // FILE and ANNOTATION nodes carry nothing the generator emits.
      }
    }
    return new SchemaNode(id, displayName, scopeId, nested, kind, layout, enumerants, methods, constType,
        constValue);
  }

  private static SchemaField field(RawStruct f, String owner) {
    String name = f.text(0);
    int codeOrder = f.u16(0);
    int discriminant = f.u16(1, (short) 0xffff);
    int which = f.u16(4);
    if (which == 0) {
      SchemaType type = type(f.struct(2), 0);
      SchemaValue def = value(f.struct(3), owner + "." + name);
      return new SchemaField(name, codeOrder, discriminant, false, 0, f.u32(1), type, def, f.bool(128));
    }
    if (which == 1) {
      return new SchemaField(name, codeOrder, discriminant, true, f.u64(2), 0, null, null, false);
    }
    throw new CapnpcException(owner + "." + name + ": unknown Field discriminant " + which);
  }

  private static SchemaType type(RawStruct t, int depth) {
    if (depth > MAX_TYPE_DEPTH) {
      throw new CapnpcException("list types nested deeper than " + MAX_TYPE_DEPTH);
    }
    TypeKind kind = TypeKind.fromCode(t.u16(0));
    return switch (kind) {
      case LIST -> new SchemaType(kind, type(t.struct(0), depth + 1), 0);
      case ENUM, STRUCT, INTERFACE -> new SchemaType(kind, null, t.u64(1));
      default -> new SchemaType(kind, null, 0);
    };
  }

  private static SchemaValue value(RawStruct v, String where) {
    TypeKind kind = TypeKind.fromCode(v.u16(0));
    return switch (kind) {
      case VOID, INTERFACE -> new SchemaValue(kind, 0, null);
      case BOOL -> new SchemaValue(kind, v.bool(16) ? 1 : 0, null);
      case INT8, UINT8 -> new SchemaValue(kind, v.u8(2), null);
      case INT16, UINT16, ENUM -> new SchemaValue(kind, (short) v.u16(1), null);
      case INT32, UINT32, FLOAT32 -> new SchemaValue(kind, v.u32(1), null);
      case INT64, UINT64, FLOAT64 -> new SchemaValue(kind, v.u64(1), null);
      case TEXT -> new SchemaValue(kind, 0, v.hasPointer(0) ? v.textBytes(0) : null);
      case DATA -> new SchemaValue(kind, 0, v.hasPointer(0) ? v.dataBytes(0) : null);
      case LIST, STRUCT, ANY_POINTER -> new SchemaValue(kind, 0, rawMessage(v.anyPointer(0), where));
    };
  }

  /**
   * Copies a pointer value into a fresh single-segment message: word 0 is the root pointer, the
   * value follows. Generated code embeds these bytes as the default's segment.
   */
  private static byte[] rawMessage(AnyPointer.Reader pointer, String where) {
    if (pointer.isNull()) {
      return null;
    }
    MessageBuilder builder = new MessageBuilder();
    try {
      builder.setRoot(AnyPointer.factory, pointer);
    } catch (AssertionError e) {
      // runtime 0.1.16 keeps a struct's pointer count in a signed short; copying a struct that
      // claims 32768+ pointers trips an assertion (with -ea) instead of a DecodeException.
      throw new CapnpcException(where + ": malformed default value", e);
    }
    ByteBuffer[] segments = builder.getSegmentsForOutput();
    if (segments.length != 1) {
      throw new CapnpcException(where + ": default value does not fit one segment");
    }
    ByteBuffer segment = segments[0].duplicate();
    segment.rewind();
    byte[] out = new byte[segment.remaining()];
    segment.get(out);
    return out;
  }
}
