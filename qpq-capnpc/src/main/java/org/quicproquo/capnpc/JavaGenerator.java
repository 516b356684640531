package org.quicproquo.capnpc;

import static org.quicproquo.capnpc.JavaNames.capitalize;
import static org.quicproquo.capnpc.JavaNames.upperSnake;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a {@link GeneratorRequest} into Java sources on org.capnproto:runtime, following the
 * conventions of capnproto-java's generated code: one outer class per schema file, a nested class
 * per struct with {@code factory}, {@code listFactory}, {@code Reader} and {@code Builder}, a
 * {@code Which} enum and {@code which()} for unions, Java enums ending in {@code _NOT_IN_SCHEMA}.
 *
 * <p>Output depends only on the request and the mappings (no clock, no hash order), so reruns
 * are byte-identical. Generated readers do no looping of their own over message data: every
 * traversal goes through the runtime, which enforces the reader's traversal and nesting limits.
 */
final class JavaGenerator {
  private static final String RT = "org.capnproto.";
  /** Bounds recursion on nested scopes; real schemas stay far below. */
  private static final int MAX_NAME_LENGTH = 4096;
  /** Nested classes every generated struct already has. */
  private static final java.util.Set<String> RESERVED_CLASS_NAMES = java.util.Set.of("Factory", "Reader", "Builder",
      "Which");
  /** Static fields generated classes already have. */
  private static final java.util.Set<String> RESERVED_CONSTANTS = java.util.Set.of("STRUCT_SIZE", "FILE_ID", "TYPE_ID");

  private final GeneratorRequest request;
  private final Function<String, JavaMapping> mappingForFile;
  /** Node id to the fully qualified name of its Java class. */
  private final Map<Long, String> classNames = new HashMap<>();
  private final java.util.Set<String> usedClassNames = new java.util.HashSet<>();

  JavaGenerator(GeneratorRequest request, Function<String, JavaMapping> mappingForFile) {
    this.request = request;
    this.mappingForFile = mappingForFile;
  }

  /** Generates every requested file; keys are relative output paths, in request order. */
  Map<String, String> generate() {
    for (SchemaNode node : request.nodes().values()) {
      if (node.kind() == NodeKind.FILE) {
        JavaMapping mapping = mappingForFile.apply(node.displayName());
        if (mapping != null) {
          nameChildren(node, mapping.qualifiedName());
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (GeneratorRequest.RequestedFile file : request.requestedFiles()) {
      JavaMapping mapping = mappingForFile.apply(file.filename());
      if (mapping == null) {
        throw new CapnpcException("no Java package/class mapping for " + file.filename());
      }
      out.put(mapping.relativePath(), generateFile(request.node(file.id()), mapping));
    }
    return out;
  }

  // ---- naming pass -----------------------------------------------------------------------------

  private void nameChildren(SchemaNode scope, String qualified) {
    for (SchemaNode.NestedNode nested : scope.nestedNodes()) {
      SchemaNode child = request.nodes().get(nested.id());
      if (child == null) {
        continue;
      }
      switch (child.kind()) {
        case STRUCT, ENUM, INTERFACE -> name(child, qualified + "." + nested.name());
        default -> {
          // Constants are emitted in place; annotations have no Java form.
        }
      }
    }
    if (scope.kind() == NodeKind.STRUCT) {
      for (SchemaField field : scope.struct().fields()) {
        if (field.isGroup()) {
          name(structNode(field.groupId()), qualified + "." + capitalize(field.name()));
        }
      }
    }
    if (scope.kind() == NodeKind.INTERFACE) {
      for (SchemaMethod method : scope.methods()) {
        nameImplicit(method.paramStructType(), qualified + "." + capitalize(method.name()) + "Params");
        nameImplicit(method.resultStructType(), qualified + "." + capitalize(method.name()) + "Results");
      }
    }
  }

  private void name(SchemaNode node, String qualified) {
    if (classNames.putIfAbsent(node.id(), qualified) != null) {
      throw new CapnpcException(node.displayName() + " is declared in two places (malformed request)");
    }
    if (qualified.length() > MAX_NAME_LENGTH) {
      throw new CapnpcException(node.displayName() + ": nested too deeply");
    }
    String[] parts = qualified.split("\\.");
    String simple = parts[parts.length - 1];
    if (RESERVED_CLASS_NAMES.contains(simple)) {
      throw new CapnpcException(node.displayName() + ": the Java class name " + simple
          + " is taken by generated code; rename the type or group");
    }
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].equals(simple)) {
        throw new CapnpcException(node.displayName() + ": Java forbids a nested class named like an enclosing one ("
            + simple + ")");
      }
    }
    if (!usedClassNames.add(qualified)) {
      throw new CapnpcException(node.displayName() + ": two types map to the Java class " + qualified);
    }
    nameChildren(node, qualified);
  }

  /** Parameter lists like {@code (a :Text)} compile to structs with no lexical scope. */
  private void nameImplicit(long structId, String qualified) {
    SchemaNode node = request.nodes().get(structId);
    if (node != null && isImplicit(node)) {
      name(node, qualified);
    }
  }

  private static boolean isImplicit(SchemaNode node) {
    return node.scopeId() == 0 && node.kind() == NodeKind.STRUCT;
  }

  private String className(long id) {
    String name = classNames.get(id);
    if (name == null) {
      SchemaNode node = request.nodes().get(id);
      String what = node == null ? "@0x" + Long.toHexString(id) : node.displayName();
      throw new CapnpcException("no Java class for " + what
          + " (is its file mapped to a Java package and outer class?)");
    }
    return name;
  }

  private String typeClass(long id, NodeKind kind) {
    nodeOfKind(id, kind);
    return className(id);
  }

  private SchemaNode structNode(long id) {
    return nodeOfKind(id, NodeKind.STRUCT);
  }

  private SchemaNode enumNode(long id) {
    return nodeOfKind(id, NodeKind.ENUM);
  }

  private SchemaNode nodeOfKind(long id, NodeKind kind) {
    SchemaNode node = request.node(id);
    if (node.kind() != kind) {
      throw new CapnpcException(node.displayName() + " is used as " + kind + " but is " + node.kind());
    }
    return node;
  }

  private static String simpleName(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  // ---- files -----------------------------------------------------------------------------------

  private String generateFile(SchemaNode file, JavaMapping mapping) {
    SourceWriter w = new SourceWriter();
    w.line("// Generated by qpq-capnpc from " + file.displayName() + ". DO NOT EDIT.");
    w.line("// Regenerate with scripts/regen-capnp.");
    w.blank();
    if (!mapping.packageName().isEmpty()) {
      w.line("package " + mapping.packageName() + ";");
      w.blank();
    }
    w.line("/** Cap'n Proto types of {@code " + file.displayName() + "} (file id "
        + JavaNames.longLiteral(file.id()) + "). */");
    w.line("@javax.annotation.processing.Generated(\"org.quicproquo.capnpc\")");
    w.open("public final class " + mapping.outerClass());
    w.line("/** Cap'n Proto id of the schema file. */");
    w.line("public static final long FILE_ID = " + JavaNames.longLiteral(file.id()) + ";");
    w.blank();
    w.open("private " + mapping.outerClass() + "()");
    w.close();
    emitNested(w, file);
    w.close();
    return w.toString();
  }

  private void emitNested(SourceWriter w, SchemaNode scope) {
    for (SchemaNode.NestedNode nested : scope.nestedNodes()) {
      SchemaNode child = request.nodes().get(nested.id());
      if (child == null) {
        continue;
      }
      switch (child.kind()) {
        case STRUCT -> emitStruct(w, child);
        case ENUM -> emitEnum(w, child, simpleName(className(child.id())));
        case INTERFACE -> emitInterface(w, child);
        case CONST -> emitConst(w, child, nested.name());
        default -> {
          // Annotations and files have no Java representation.
        }
      }
    }
  }

  // ---- enums -----------------------------------------------------------------------------------

  private void emitEnum(SourceWriter w, SchemaNode node, String name) {
    w.blank();
    javadoc(w, "Enum {@code " + node.displayName() + "}; the ordinal is the wire code.", request.doc(node.id()));
    w.open("public enum " + name);
    for (int i = 0; i < node.enumerants().size(); i++) {
      javadoc(w, "", request.memberDoc(node.id(), i));
      w.line(upperSnake(node.enumerants().get(i)) + ",");
    }
    w.line("/** A code this schema version does not know (sent by a newer peer). */");
    w.line("_NOT_IN_SCHEMA;");
    w.blank();
    w.line("/** Factory for {@code List(" + name + ")} fields. */");
    w.line("public static final " + RT + "EnumList.Factory<" + name + "> listFactory =");
    w.line("    new " + RT + "EnumList.Factory<" + name + ">(" + name + ".values());");
    w.close();
  }

  /** A switch mapping a 16-bit wire code to an enum constant, as a statement body. */
  private static void emitEnumSwitch(SourceWriter w, String expr, String enumClass, List<String> constants) {
    w.open("switch (" + expr + ")");
    for (int i = 0; i < constants.size(); i++) {
      w.line("case " + i + ": return " + enumClass + "." + constants.get(i) + ";");
    }
    w.line("default: return " + enumClass + "._NOT_IN_SCHEMA;");
    w.close();
  }

  // ---- interfaces ------------------------------------------------------------------------------

  private void emitInterface(SourceWriter w, SchemaNode node) {
    String qualified = className(node.id());
    String name = simpleName(qualified);
    w.blank();
    javadoc(w, "Interface {@code " + node.displayName() + "}: its id and method ordinals, for RPC dispatch, "
        + "and the param/result structs of its methods.", request.doc(node.id()));
    w.open("public static final class " + name);
    w.line("/** Interface id, the {@code interfaceId} of calls to this interface. */");
    w.line("public static final long TYPE_ID = " + JavaNames.longLiteral(node.id()) + ";");
    for (SchemaMethod method : node.methods()) {
      String constant = "METHOD_" + upperSnake(method.name());
      javadoc(w, "Ordinal ({@code methodId}) of {@code " + method.name() + "}.",
          request.memberDoc(node.id(), method.ordinal()));
      w.line("public static final short " + constant + " = " + method.ordinal() + ";");
      w.line("/** Schema name of method {@code @" + method.ordinal() + "}. */");
      w.line("public static final String " + constant + "_NAME = " + JavaNames.textLiteral(
          method.name().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ";");
    }
    w.blank();
    w.open("private " + name + "()");
    w.close();
    w.blank();
    w.line("/** The schema name of the method with this ordinal, or empty if the schema has none. */");
    w.open("public static java.util.Optional<String> methodName(int ordinal)");
    w.open("switch (ordinal)");
    for (SchemaMethod method : node.methods()) {
      w.line("case " + method.ordinal() + ": return java.util.Optional.of(METHOD_" + upperSnake(method.name())
          + "_NAME);");
    }
    w.line("default: return java.util.Optional.empty();");
    w.close();
    w.close();
    for (SchemaMethod method : node.methods()) {
      emitImplicit(w, method.paramStructType());
      emitImplicit(w, method.resultStructType());
    }
    emitNested(w, node);
    w.close();
  }

  private void emitImplicit(SourceWriter w, long structId) {
    SchemaNode node = request.nodes().get(structId);
    if (node != null && isImplicit(node) && classNames.containsKey(node.id())) {
      emitStruct(w, node);
    }
  }

  // ---- constants -------------------------------------------------------------------------------

  private void emitConst(SourceWriter w, SchemaNode node, String name) {
    SchemaType type = node.constType();
    SchemaValue value = node.constValue();
    String constant = upperSnake(name);
    if (RESERVED_CONSTANTS.contains(constant) || constant.startsWith("METHOD_")) {
      throw new CapnpcException(node.displayName() + ": the Java constant " + constant
          + " is taken by generated code; rename the constant");
    }
    javadoc(w, "Constant {@code " + node.displayName() + "}.", request.doc(node.id()));
    String decl = "public static final ";
    switch (type.kind()) {
      case VOID -> w.line(decl + RT + "Void " + constant + " = " + RT + "Void.VOID;");
      case BOOL, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, FLOAT32, FLOAT64 ->
          w.line(decl + primitiveJavaType(type.kind()) + " " + constant + " = "
              + primitiveLiteral(type.kind(), value.bits()) + ";");
      case ENUM -> {
        String enumClass = typeClass(type.typeId(), NodeKind.ENUM);
        w.line(decl + enumClass + " " + constant + " = " + enumClass + "."
            + enumerantName(type.typeId(), (int) value.bits()) + ";");
      }
      case TEXT -> w.line(decl + RT + "Text.Reader " + constant + " = new " + RT + "Text.Reader("
          + JavaNames.textLiteral(value.bytes() == null ? new byte[0] : value.bytes()) + ");");
      case DATA -> w.line(decl + RT + "Data.Reader " + constant + " = new " + RT + "Data.Reader("
          + JavaNames.rawBytesLiteral(value.bytes() == null ? new byte[0] : value.bytes())
          + ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));");
      case STRUCT, LIST, ANY_POINTER -> {
        String readerType;
        String factory;
        if (type.kind() == TypeKind.STRUCT) {
          readerType = typeClass(type.typeId(), NodeKind.STRUCT) + ".Reader";
          factory = className(type.typeId()) + ".factory";
        } else if (type.kind() == TypeKind.LIST) {
          ListTypes list = listTypes(type.element());
          if (list == null) {
            throw new CapnpcException(node.displayName() + ": unsupported constant list type");
          }
          readerType = list.reader();
          factory = list.factory();
        } else {
          readerType = RT + "AnyPointer.Reader";
          factory = null;
        }
        if (value.isNullPointer()) {
          throw new CapnpcException(node.displayName() + ": constant has no value");
        }
        String any = "new " + RT + "AnyPointer.Reader(" + RT + "GeneratedClassSupport.decodeRawBytes("
            + JavaNames.rawBytesLiteral(value.bytes()) + "), 0, 0x7fffffff)";
        w.line(decl + readerType + " " + constant + " =");
        w.line("    " + any + (factory == null ? "" : ".getAs(" + factory + ")") + ";");
      }
      case INTERFACE -> throw new CapnpcException(node.displayName() + ": interface constants are unsupported");
    }
  }

  private String enumerantName(long enumId, int ordinal) {
    List<String> enumerants = enumNode(enumId).enumerants();
    if (ordinal < 0 || ordinal >= enumerants.size()) {
      throw new CapnpcException("enum value " + ordinal + " out of range for " + request.node(enumId).displayName());
    }
    return upperSnake(enumerants.get(ordinal));
  }

  // ---- structs ---------------------------------------------------------------------------------

  private void emitStruct(SourceWriter w, SchemaNode node) {
    String qualified = className(node.id());
    String name = simpleName(qualified);
    SchemaNode.StructLayout layout = node.struct();
    w.blank();
    javadoc(w, (layout.isGroup() ? "Group" : "Struct") + " {@code " + node.displayName() + "}.",
        request.doc(node.id()));
    w.open("public static final class " + name);
    w.line("/** Data words and pointers of the struct. */");
    w.line("public static final " + RT + "StructSize STRUCT_SIZE = new " + RT + "StructSize((short) "
        + layout.dataWordCount() + ", (short) " + layout.pointerCount() + ");");
    emitDefaults(w, layout);
    w.blank();
    w.line("/** Creates readers and builders of this struct for the runtime. */");
    w.open("public static final class Factory extends " + RT + "StructFactory<Builder, Reader>");
    w.open("Factory()");
    w.close();
    w.blank();
    w.line("@Override");
    w.open("public Reader constructReader(" + RT + "SegmentReader segment, int data, int pointers, int dataSize, "
        + "short pointerCount, int nestingLimit)");
    w.line("return new Reader(segment, data, pointers, dataSize, pointerCount, nestingLimit);");
    w.close();
    w.blank();
    w.line("@Override");
    w.open("public Builder constructBuilder(" + RT + "SegmentBuilder segment, int data, int pointers, int dataSize, "
        + "short pointerCount)");
    w.line("return new Builder(segment, data, pointers, dataSize, pointerCount);");
    w.close();
    w.blank();
    w.line("@Override");
    w.open("public " + RT + "StructSize structSize()");
    w.line("return STRUCT_SIZE;");
    w.close();
    w.blank();
    w.line("@Override");
    w.open("public Reader asReader(Builder builder)");
    w.line("return builder.asReader();");
    w.close();
    w.close();
    w.blank();
    w.line("/** Use with {@code getRoot}, {@code initRoot} and pointer fields. */");
    w.line("public static final Factory factory = new Factory();");
    w.line("/** Use for {@code List(" + name + ")}. */");
    w.line("public static final " + RT + "StructList.Factory<Builder, Reader> listFactory =");
    w.line("    new " + RT + "StructList.Factory<Builder, Reader>(factory);");
    w.blank();
    w.open("private " + name + "()");
    w.close();

    emitBuilder(w, node, qualified);
    emitReader(w, node, qualified);
    if (layout.discriminantCount() > 0) {
      emitWhich(w, layout);
    }
    emitNested(w, node);
    for (SchemaField field : layout.fields()) {
      if (field.isGroup()) {
        emitStruct(w, structNode(field.groupId()));
      }
    }
    w.close();
  }

  /** A javadoc comment: the headline, then the schema's doc text; nothing if both are empty. */
  private static void javadoc(SourceWriter w, String headline, String doc) {
    String text = doc.strip();
    if (text.isEmpty()) {
      if (!headline.isEmpty()) {
        w.line("/** " + headline + " */");
      }
      return;
    }
    w.line("/**");
    if (!headline.isEmpty()) {
      w.line(" * " + headline);
      w.line(" *");
    }
    for (String line : text.split("\n", -1)) {
      String escaped = JavaNames.javadocText(line).stripTrailing();
      w.line(escaped.isEmpty() ? " *" : " * " + escaped);
    }
    w.line(" */");
  }

  private static List<SchemaField> unionMembers(SchemaNode.StructLayout layout) {
    List<SchemaField> members = new ArrayList<>();
    for (SchemaField field : layout.fields()) {
      if (field.inUnion()) {
        members.add(field);
      }
    }
    members.sort(Comparator.comparingInt(SchemaField::discriminantValue));
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).discriminantValue() != i) {
        throw new CapnpcException("union discriminants are not 0.." + (members.size() - 1));
      }
    }
    return members;
  }

  private static List<String> whichConstants(SchemaNode.StructLayout layout) {
    List<String> names = new ArrayList<>();
    for (SchemaField member : unionMembers(layout)) {
      names.add(upperSnake(member.name()));
    }
    return names;
  }

  private static void emitWhich(SourceWriter w, SchemaNode.StructLayout layout) {
    w.blank();
    w.line("/** Which member of the union is set; the ordinal is the discriminant. */");
    w.open("public enum Which");
    for (String constant : whichConstants(layout)) {
      w.line(constant + ",");
    }
    w.line("/** A member this schema version does not know (sent by a newer peer). */");
    w.line("_NOT_IN_SCHEMA,");
    w.close();
  }

  private static void emitWhichMethod(SourceWriter w, SchemaNode.StructLayout layout) {
    w.blank();
    w.line("/** The union member that is set. */");
    w.open("public final Which which()");
    emitEnumSwitch(w, "_getShortField(" + layout.discriminantOffset() + ")", "Which", whichConstants(layout));
    w.close();
  }

  /** Pointer defaults become segments embedded as string constants (as capnproto-java does). */
  private void emitDefaults(SourceWriter w, SchemaNode.StructLayout layout) {
    for (SchemaField field : layout.fields()) {
      if (field.isGroup() || !field.type().kind().isPointer() || field.defaultValue().isNullPointer()) {
        continue;
      }
      TypeKind kind = field.type().kind();
      if (kind == TypeKind.TEXT || kind == TypeKind.DATA) {
        w.line("private static final java.nio.ByteBuffer " + defaultName(field) + " ="
            + " " + RT + "GeneratedClassSupport.decodeRawBytes(");
        w.line("    " + JavaNames.rawBytesLiteral(field.defaultValue().bytes()) + ").buffer;");
      } else if (kind == TypeKind.STRUCT || kind == TypeKind.LIST) {
        w.line("private static final " + RT + "SegmentReader " + defaultName(field) + " ="
            + " " + RT + "GeneratedClassSupport.decodeRawBytes(");
        w.line("    " + JavaNames.rawBytesLiteral(field.defaultValue().bytes()) + ");");
      }
    }
  }

  private static String defaultName(SchemaField field) {
    return "_default" + capitalize(field.name());
  }

  private void emitBuilder(SourceWriter w, SchemaNode node, String qualified) {
    SchemaNode.StructLayout layout = node.struct();
    w.blank();
    w.line("/** Writable view of a {@code " + simpleName(qualified) + "}. */");
    w.open("public static final class Builder extends " + RT + "StructBuilder");
    w.open("Builder(" + RT + "SegmentBuilder segment, int data, int pointers, int dataSize, short pointerCount)");
    w.line("super(segment, data, pointers, dataSize, pointerCount);");
    w.close();
    w.blank();
    w.line("/** A reader over the same data. */");
    w.open("public final Reader asReader()");
    w.line("return new Reader(segment, data, pointers, dataSize, pointerCount, 0x7fffffff);");
    w.close();
    if (layout.discriminantCount() > 0) {
      emitWhichMethod(w, layout);
    }
    for (int i = 0; i < layout.fields().size(); i++) {
      new FieldEmitter(w, layout, layout.fields().get(i), true, request.memberDoc(node.id(), i)).emit();
    }
    w.close();
  }

  private void emitReader(SourceWriter w, SchemaNode node, String qualified) {
    SchemaNode.StructLayout layout = node.struct();
    w.blank();
    w.line("/**");
    w.line(" * Read-only view of a {@code " + simpleName(qualified) + "}. Every pointer it follows is checked");
    w.line(" * by the runtime against the message's traversal and nesting limits.");
    w.line(" */");
    w.open("public static final class Reader extends " + RT + "StructReader");
    w.open("Reader(" + RT + "SegmentReader segment, int data, int pointers, int dataSize, short pointerCount, "
        + "int nestingLimit)");
    w.line("super(segment, data, pointers, dataSize, pointerCount, nestingLimit);");
    w.open("if (pointerCount < 0)");
    w.line("// The runtime narrows a 16-bit pointer count to short: 32768+ pointers arrive negative, and");
    w.line("// copying such a struct breaks the destination builder. No schema needs that many.");
    w.line("throw new " + RT + "DecodeException(\"struct claims more than 32767 pointers\");");
    w.close();
    w.close();
    if (layout.discriminantCount() > 0) {
      emitWhichMethod(w, layout);
    }
    for (int i = 0; i < layout.fields().size(); i++) {
      new FieldEmitter(w, layout, layout.fields().get(i), false, request.memberDoc(node.id(), i)).emit();
    }
    w.close();
  }

  // ---- field types -----------------------------------------------------------------------------

  /** Java reader/builder types and factory expression of a list type, or null if unsupported. */
  record ListTypes(String reader, String builder, String factory) {
  }

  private ListTypes listTypes(SchemaType element) {
    return switch (element.kind()) {
      case VOID -> primitiveList("Void");
      case BOOL -> primitiveList("Boolean");
      case INT8, UINT8 -> primitiveList("Byte");
      case INT16, UINT16 -> primitiveList("Short");
      case INT32, UINT32 -> primitiveList("Int");
      case INT64, UINT64 -> primitiveList("Long");
      case FLOAT32 -> primitiveList("Float");
      case FLOAT64 -> primitiveList("Double");
      case TEXT -> new ListTypes(RT + "TextList.Reader", RT + "TextList.Builder", RT + "TextList.factory");
      case DATA -> new ListTypes(RT + "DataList.Reader", RT + "DataList.Builder", RT + "DataList.factory");
      case ENUM -> {
        String e = typeClass(element.typeId(), NodeKind.ENUM);
        yield new ListTypes(RT + "EnumList.Reader<" + e + ">", RT + "EnumList.Builder<" + e + ">",
            e + ".listFactory");
      }
      case STRUCT -> {
        String s = typeClass(element.typeId(), NodeKind.STRUCT);
        yield new ListTypes(RT + "StructList.Reader<" + s + ".Reader>", RT + "StructList.Builder<" + s + ".Builder>",
            s + ".listFactory");
      }
      case LIST -> {
        ListTypes inner = listTypes(element.element());
        yield inner == null ? null : new ListTypes(RT + "ListList.Reader<" + inner.reader() + ">",
            RT + "ListList.Builder<" + inner.builder() + ">",
            "new " + RT + "ListList.Factory<" + inner.builder() + ", " + inner.reader() + ">(" + inner.factory() + ")");
      }
      case INTERFACE, ANY_POINTER -> null;
    };
  }

  private static ListTypes primitiveList(String name) {
    String base = RT + "PrimitiveList." + name;
    return new ListTypes(base + ".Reader", base + ".Builder", base + ".factory");
  }

  static String primitiveJavaType(TypeKind kind) {
    return switch (kind) {
      case BOOL -> "boolean";
      case INT8, UINT8 -> "byte";
      case INT16, UINT16 -> "short";
      case INT32, UINT32 -> "int";
      case INT64, UINT64 -> "long";
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      default -> throw new IllegalArgumentException(kind.name());
    };
  }

  private static String accessorSuffix(TypeKind kind) {
    return switch (kind) {
      case BOOL -> "Boolean";
      case INT8, UINT8 -> "Byte";
      case INT16, UINT16, ENUM -> "Short";
      case INT32, UINT32 -> "Int";
      case INT64, UINT64 -> "Long";
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      default -> throw new IllegalArgumentException(kind.name());
    };
  }

  /** A Java expression of the field's Java type holding these raw bits. */
  static String primitiveLiteral(TypeKind kind, long bits) {
    return switch (kind) {
      case BOOL -> bits != 0 ? "true" : "false";
      case INT8, UINT8 -> "(byte) " + (byte) bits;
      case INT16, UINT16 -> "(short) " + (short) bits;
      case INT32 -> Integer.toString((int) bits);
      case UINT32 -> JavaNames.intLiteral((int) bits);
      case INT64 -> bits + "L";
      case UINT64 -> JavaNames.longLiteral(bits);
      case FLOAT32 -> {
        float f = Float.intBitsToFloat((int) bits);
        yield Float.isFinite(f) && Float.floatToRawIntBits(f) == (int) bits ? f + "f"
            : "Float.intBitsToFloat(" + JavaNames.intLiteral((int) bits) + ")";
      }
      case FLOAT64 -> {
        double d = Double.longBitsToDouble(bits);
        yield Double.isFinite(d) ? Double.toString(d) : "Double.longBitsToDouble(" + JavaNames.longLiteral(bits) + ")";
      }
      default -> throw new IllegalArgumentException(kind.name());
    };
  }

  /** The XOR mask argument of the runtime's defaulted accessors, as the accessor expects it. */
  private static String maskLiteral(TypeKind kind, long bits) {
    return switch (kind) {
      case BOOL -> bits != 0 ? "true" : "false";
      case INT8, UINT8 -> "(byte) " + (byte) bits;
      case INT16, UINT16, ENUM -> "(short) " + (short) bits;
      case INT32, UINT32, FLOAT32 -> JavaNames.intLiteral((int) bits);
      case INT64, UINT64, FLOAT64 -> JavaNames.longLiteral(bits);
      default -> throw new IllegalArgumentException(kind.name());
    };
  }

  // ---- one field -------------------------------------------------------------------------------

  /** Emits the accessors of one field into a Reader or a Builder. */
  private final class FieldEmitter {
    private final SourceWriter w;
    private final SchemaNode.StructLayout owner;
    private final SchemaField field;
    private final boolean builder;
    private final String cap;
    private final String doc;

    FieldEmitter(SourceWriter w, SchemaNode.StructLayout owner, SchemaField field, boolean builder, String doc) {
      this.w = w;
      this.doc = doc;
      this.owner = owner;
      this.field = field;
      this.builder = builder;
      this.cap = capitalize(field.name());
    }

    void emit() {
      w.blank();
      javadoc(w, "", doc);
      if (field.inUnion()) {
        w.line("/** True if the union member {@code " + field.name() + "} is set. */");
        w.open("public final boolean is" + cap + "()");
        w.line("return which() == Which." + upperSnake(field.name()) + ";");
        w.close();
      }
      if (field.isGroup()) {
        emitGroup();
        return;
      }
      TypeKind kind = field.type().kind();
      switch (kind) {
        case VOID -> emitVoid();
        case BOOL, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, FLOAT32, FLOAT64 -> emitPrimitive();
        case ENUM -> emitEnumField();
        case TEXT -> emitBlob("Text", "String", "new " + RT + "Text.Reader(value)");
        case DATA -> emitBlob("Data", "byte[]", "new " + RT + "Data.Reader(value)");
        case STRUCT -> emitStructField();
        case LIST -> emitList();
        case ANY_POINTER -> emitAnyPointer();
        case INTERFACE -> emitHas();
      }
    }

    private String setDiscriminant() {
      return "_setShortField(" + owner.discriminantOffset() + ", (short) " + field.discriminantValue() + ");";
    }

    private void discriminantLine() {
      if (field.inUnion()) {
        w.line(setDiscriminant());
      }
    }

    private boolean hasMask() {
      return field.defaultValue() != null && field.defaultValue().bits() != 0;
    }

    private void emitVoid() {
      w.open("public final " + RT + "Void get" + cap + "()");
      w.line("return " + RT + "Void.VOID;");
      w.close();
      if (builder) {
        w.open("public final void set" + cap + "(" + RT + "Void value)");
        discriminantLine();
        w.close();
        w.open("public final void set" + cap + "()");
        discriminantLine();
        w.close();
      }
    }

    private void emitPrimitive() {
      TypeKind kind = field.type().kind();
      String type = primitiveJavaType(kind);
      String suffix = accessorSuffix(kind);
      String mask = hasMask() ? ", " + maskLiteral(kind, field.defaultValue().bits()) : "";
      w.open("public final " + type + " get" + cap + "()");
      w.line("return _get" + suffix + "Field(" + field.offset() + mask + ");");
      w.close();
      if (builder) {
        w.open("public final void set" + cap + "(" + type + " value)");
        discriminantLine();
        w.line("_set" + suffix + "Field(" + field.offset() + ", value" + mask + ");");
        w.close();
      }
    }

    private void emitEnumField() {
      String enumClass = typeClass(field.type().typeId(), NodeKind.ENUM);
      List<String> constants = new ArrayList<>();
      for (String enumerant : enumNode(field.type().typeId()).enumerants()) {
        constants.add(upperSnake(enumerant));
      }
      String mask = hasMask() ? ", " + maskLiteral(TypeKind.ENUM, field.defaultValue().bits()) : "";
      w.open("public final " + enumClass + " get" + cap + "()");
      emitEnumSwitch(w, "_getShortField(" + field.offset() + mask + ")", enumClass, constants);
      w.close();
      if (builder) {
        w.open("public final void set" + cap + "(" + enumClass + " value)");
        w.open("if (value == " + enumClass + "._NOT_IN_SCHEMA)");
        w.line("throw new IllegalArgumentException(\"_NOT_IN_SCHEMA has no wire code\");");
        w.close();
        discriminantLine();
        w.line("_setShortField(" + field.offset() + ", (short) value.ordinal()" + mask + ");");
        w.close();
      }
    }

    private void emitHas() {
      w.open("public final boolean has" + cap + "()");
      if (field.inUnion()) {
        w.open("if (which() != Which." + upperSnake(field.name()) + ")");
        w.line("return false;");
        w.close();
      }
      w.line("return !_pointerFieldIsNull(" + field.offset() + ");");
      w.close();
    }

    private void emitBlob(String blob, String javaType, String wrap) {
      emitHas();
      String factory = RT + blob + ".factory";
      String def = field.defaultValue().isNullPointer() ? "null, 0, 0"
          : defaultName(field) + ", 0, " + field.defaultValue().bytes().length;
      String view = builder ? "Builder" : "Reader";
      w.open("public final " + RT + blob + "." + view + " get" + cap + "()");
      if (builder && !field.defaultValue().isNullPointer()) {
        // The runtime cannot copy a blob default into a builder; copy it here, then get it.
        w.open("if (_pointerFieldIsNull(" + field.offset() + "))");
        w.line("_setPointerField(" + factory + ", " + field.offset() + ", new " + RT + blob + ".Reader("
            + defaultName(field) + ", 0, " + field.defaultValue().bytes().length + "));");
        w.close();
        w.line("return _getPointerField(" + factory + ", " + field.offset() + ", null, 0, 0);");
      } else {
        w.line("return _getPointerField(" + factory + ", " + field.offset() + ", " + def + ");");
      }
      w.close();
      if (builder) {
        w.open("public final void set" + cap + "(" + RT + blob + ".Reader value)");
        discriminantLine();
        w.line("_setPointerField(" + factory + ", " + field.offset() + ", value);");
        w.close();
        w.open("public final void set" + cap + "(" + javaType + " value)");
        discriminantLine();
        w.line("_setPointerField(" + factory + ", " + field.offset() + ", " + wrap + ");");
        w.close();
        w.open("public final " + RT + blob + ".Builder init" + cap + "(int size)");
        discriminantLine();
        w.line("return _initPointerField(" + factory + ", " + field.offset() + ", size);");
        w.close();
      }
    }

    private String refDefault() {
      return field.defaultValue().isNullPointer() ? "null, 0" : defaultName(field) + ", 0";
    }

    private void emitPointerGet(String factory) {
      if (builder && !field.defaultValue().isNullPointer()) {
        // The runtime cannot copy a struct/list default into a builder; copy it here, then get it.
        w.open("if (_pointerFieldIsNull(" + field.offset() + "))");
        w.line("_setPointerField(" + factory + ", " + field.offset() + ", new " + RT + "AnyPointer.Reader("
            + defaultName(field) + ", 0, 0x7fffffff).getAs(" + factory + "));");
        w.close();
        w.line("return _getPointerField(" + factory + ", " + field.offset() + ", null, 0);");
      } else {
        w.line("return _getPointerField(" + factory + ", " + field.offset() + ", " + refDefault() + ");");
      }
    }

    private void emitStructField() {
      String struct = typeClass(field.type().typeId(), NodeKind.STRUCT);
      emitHas();
      String view = builder ? "Builder" : "Reader";
      w.open("public final " + struct + "." + view + " get" + cap + "()");
      emitPointerGet(struct + ".factory");
      w.close();
      if (builder) {
        w.open("public final void set" + cap + "(" + struct + ".Reader value)");
        discriminantLine();
        w.line("_setPointerField(" + struct + ".factory, " + field.offset() + ", value);");
        w.close();
        w.open("public final " + struct + ".Builder init" + cap + "()");
        discriminantLine();
        w.line("return _initPointerField(" + struct + ".factory, " + field.offset() + ", 0);");
        w.close();
      }
    }

    private void emitList() {
      ListTypes list = listTypes(field.type().element());
      if (list == null) {
        // Lists of capabilities need the RPC layer; only presence is exposed.
        emitHas();
        return;
      }
      emitHas();
      String type = builder ? list.builder() : list.reader();
      w.open("public final " + type + " get" + cap + "()");
      emitPointerGet(list.factory());
      w.close();
      if (builder) {
        w.open("public final void set" + cap + "(" + list.reader() + " value)");
        discriminantLine();
        w.line("_setPointerField(" + list.factory() + ", " + field.offset() + ", value);");
        w.close();
        w.open("public final " + list.builder() + " init" + cap + "(int size)");
        discriminantLine();
        w.line("return _initPointerField(" + list.factory() + ", " + field.offset() + ", size);");
        w.close();
      }
    }

    private void emitAnyPointer() {
      emitHas();
      String view = builder ? "Builder" : "Reader";
      w.open("public final " + RT + "AnyPointer." + view + " get" + cap + "()");
      w.line("return _getPointerField(" + RT + "AnyPointer.factory, " + field.offset() + ");");
      w.close();
      if (builder) {
        w.line("/** Clears the pointer and returns a builder to set it with {@code initAs}/{@code setAs}. */");
        w.open("public final " + RT + "AnyPointer.Builder init" + cap + "()");
        discriminantLine();
        w.line("return _initPointerField(" + RT + "AnyPointer.factory, " + field.offset() + ", 0);");
        w.close();
      }
    }

    private void emitGroup() {
      String group = className(field.groupId());
      if (builder) {
        w.open("public final " + group + ".Builder get" + cap + "()");
        w.line("return new " + group + ".Builder(segment, data, pointers, dataSize, pointerCount);");
        w.close();
        w.line("/** Zeroes the group's fields" + (field.inUnion() ? ", selects it in the union" : "")
            + " and returns it. */");
        w.open("public final " + group + ".Builder init" + cap + "()");
        discriminantLine();
        for (String line : zeroGroup(structNode(field.groupId()).struct())) {
          w.line(line);
        }
        w.line("return new " + group + ".Builder(segment, data, pointers, dataSize, pointerCount);");
        w.close();
      } else {
        w.open("public final " + group + ".Reader get" + cap + "()");
        w.line("return new " + group + ".Reader(segment, data, pointers, dataSize, pointerCount, nestingLimit);");
        w.close();
      }
    }
  }

  /** Statements clearing every slot of a group, its nested groups and its union discriminant. */
  private List<String> zeroGroup(SchemaNode.StructLayout group) {
    List<String> lines = new ArrayList<>();
    if (group.discriminantCount() > 0) {
      lines.add("_setShortField(" + group.discriminantOffset() + ", (short) 0);");
    }
    for (SchemaField field : group.fields()) {
      if (field.isGroup()) {
        lines.addAll(zeroGroup(structNode(field.groupId()).struct()));
        continue;
      }
      TypeKind kind = field.type().kind();
      if (kind == TypeKind.VOID) {
        continue;
      }
      if (kind.isPointer()) {
        lines.add("_clearPointerField(" + field.offset() + ");");
      } else if (kind == TypeKind.BOOL) {
        lines.add("_setBooleanField(" + field.offset() + ", false);");
      } else {
        String suffix = accessorSuffix(kind);
        String zero = switch (kind) {
          case INT8, UINT8 -> "(byte) 0";
          case INT16, UINT16, ENUM -> "(short) 0";
          case FLOAT32 -> "0f";
          case FLOAT64 -> "0d";
          case INT64, UINT64 -> "0L";
          default -> "0";
        };
        lines.add("_set" + suffix + "Field(" + field.offset() + ", " + zero + ");");
      }
    }
    return lines;
  }
}
