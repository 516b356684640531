package org.quicproquo.capnpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;
import org.junit.jupiter.api.Test;
import org.quicproquo.capnpc.schema.Schema;

/**
 * The generator compiles its own input format: schema.capnp's generated Java (committed under
 * src/test/java) must read a CodeGeneratorRequest exactly as the hand-written bootstrap reader
 * does, and regenerating it must reproduce the committed file byte for byte.
 */
class GeneratedSchemaTest {
  static final Path MODULE = moduleDir();
  static final Path REQUEST = MODULE.resolve("src/test/capnp/schema.req");

  static Path moduleDir() {
    String root = System.getProperty("qpq.root");
    Path base = root == null ? Path.of("").toAbsolutePath() : Path.of(root);
    Path module = base.resolve("qpq-capnpc");
    return Files.isDirectory(module) ? module : Path.of("").toAbsolutePath();
  }

  static byte[] request() throws Exception {
    return Files.readAllBytes(REQUEST);
  }

  @Test
  void regeneratingReproducesTheCommittedJava() throws Exception {
    Map<String, String> generated = Main.generate(request(),
        Map.of("capnp/schema.capnp", "org.quicproquo.capnpc.schema.Schema"), null);

    assertThat(generated).containsOnlyKeys("org/quicproquo/capnpc/schema/Schema.java");
    String committed = Files.readString(MODULE.resolve("src/test/java/org/quicproquo/capnpc/schema/Schema.java"),
        StandardCharsets.UTF_8);
    assertThat(generated.get("org/quicproquo/capnpc/schema/Schema.java"))
        .as("run scripts/regen-capnp").isEqualTo(committed);
  }

  @Test
  void committedRequestMatchesCapnpCompile() throws Exception {
    Path dir = MODULE.resolve("src/test/capnp");
    ProcessBuilder builder = new ProcessBuilder("capnp", "compile", "-o-", "--no-standard-import", "-I.",
        "capnp/schema.capnp").directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("PWD", dir.toString());
    Process process;
    try {
      process = builder.start();
    } catch (java.io.IOException e) {
      throw new AssertionError("the capnp tool is required (install Debian's capnproto)", e);
    }
    process.getOutputStream().close();
    byte[] fresh = process.getInputStream().readAllBytes();
    assertThat(process.waitFor()).isZero();
    assertThat(fresh).as("schema.req is stale: run scripts/regen-capnp").isEqualTo(request());
  }

  @Test
  void generationIsDeterministic() throws Exception {
    byte[] request = request();
    Map<String, String> mapping = Map.of("capnp/schema.capnp", "a.b.S");
    assertThat(Main.generate(request, mapping, null)).isEqualTo(Main.generate(request, mapping, null));
  }

  @Test
  void generatedReaderAgreesWithBootstrapReader() throws Exception {
    byte[] bytes = request();
    GeneratorRequest expected = RequestParser.parse(bytes);
    MessageReader message = Serialize.read(ByteBuffer.wrap(bytes), ReaderOptions.DEFAULT_READER_OPTIONS);
    Schema.CodeGeneratorRequest.Reader request = message.getRoot(Schema.CodeGeneratorRequest.factory);

    assertThat(request.getRequestedFiles().size()).isEqualTo(1);
    assertThat(request.getRequestedFiles().get(0).getFilename().toString()).isEqualTo("capnp/schema.capnp");
    assertThat(request.getCapnpVersion().getMajor()).isZero();
    assertThat(request.getNodes().size()).isEqualTo(expected.nodes().size()).isGreaterThan(30);
    int fieldsCompared = 0;
    for (Schema.Node.Reader node : request.getNodes()) {
      SchemaNode want = expected.node(node.getId());
      assertThat(node.getDisplayName().toString()).isEqualTo(want.displayName());
      assertThat(node.getScopeId()).isEqualTo(want.scopeId());
      assertThat(node.which().ordinal()).as(want.displayName()).isEqualTo(want.kind().code);
      assertThat(node.getNestedNodes().size()).isEqualTo(want.nestedNodes().size());
      for (int i = 0; i < want.nestedNodes().size(); i++) {
        assertThat(node.getNestedNodes().get(i).getName().toString()).isEqualTo(want.nestedNodes().get(i).name());
        assertThat(node.getNestedNodes().get(i).getId()).isEqualTo(want.nestedNodes().get(i).id());
      }
      switch (node.which()) {
        case STRUCT -> {
          Schema.Node.Struct.Reader struct = node.getStruct();
          assertThat(struct.getDataWordCount()).isEqualTo((short) want.struct().dataWordCount());
          assertThat(struct.getPointerCount()).isEqualTo((short) want.struct().pointerCount());
          assertThat(struct.getIsGroup()).isEqualTo(want.struct().isGroup());
          assertThat(struct.getDiscriminantCount() & 0xffff).isEqualTo(want.struct().discriminantCount());
          assertThat(struct.getDiscriminantOffset()).isEqualTo(want.struct().discriminantOffset());
          List<SchemaField> fields = want.struct().fields();
          assertThat(struct.getFields().size()).isEqualTo(fields.size());
          for (int i = 0; i < fields.size(); i++) {
            compareField(struct.getFields().get(i), fields.get(i));
            fieldsCompared++;
          }
        }
        case ENUM -> {
          assertThat(node.getEnum().getEnumerants().size()).isEqualTo(want.enumerants().size());
          for (int i = 0; i < want.enumerants().size(); i++) {
            assertThat(node.getEnum().getEnumerants().get(i).getName().toString()).isEqualTo(want.enumerants().get(i));
          }
        }
        case CONST -> {
          assertThat(node.getConst().getType().which().ordinal()).isEqualTo(want.constType().kind().code);
          assertThat(node.getConst().getValue().getUint16() & 0xffff).isEqualTo((int) want.constValue().bits() & 0xffff);
        }
        default -> {
        }
      }
    }
    assertThat(fieldsCompared).isGreaterThan(100);
  }

  private static void compareField(Schema.Field.Reader field, SchemaField want) {
    assertThat(field.getName().toString()).isEqualTo(want.name());
    assertThat(field.getCodeOrder() & 0xffff).isEqualTo(want.codeOrder());
    assertThat(field.getDiscriminantValue() & 0xffff).as(want.name()).isEqualTo(want.discriminantValue());
    assertThat(field.which() == Schema.Field.Which.GROUP).isEqualTo(want.isGroup());
    if (want.isGroup()) {
      assertThat(field.getGroup().getTypeId()).isEqualTo(want.groupId());
      return;
    }
    Schema.Field.Slot.Reader slot = field.getSlot();
    assertThat(slot.getOffset()).isEqualTo(want.offset());
    assertThat(slot.getHadExplicitDefault()).isEqualTo(want.hadExplicitDefault());
    assertThat(slot.getType().which().ordinal()).isEqualTo(want.type().kind().code);
    if (want.type().kind() == TypeKind.LIST) {
      assertThat(slot.getType().getList().getElementType().which().ordinal())
          .isEqualTo(want.type().element().kind().code);
    }
    if (want.type().kind() == TypeKind.STRUCT) {
      assertThat(slot.getType().getStruct().getTypeId()).isEqualTo(want.type().typeId());
    }
    assertThat(slot.getDefaultValue().which().ordinal()).isEqualTo(want.defaultValue().kind().code);
  }
}
