package org.quicproquo.capnpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schemas whose Java names would not compile are rejected with a message naming the type. */
class NameClashTest {
  @TempDir
  Path dir;

  private byte[] compile(String body) throws Exception {
    Files.writeString(dir.resolve("t.capnp"), "@0xd1e2f3a4b5c6d7e8;\n" + body, StandardCharsets.UTF_8);
    ProcessBuilder builder = new ProcessBuilder("capnp", "compile", "-o-", "--no-standard-import", "t.capnp")
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("PWD", dir.toString());
    Process process;
    try {
      process = builder.start();
    } catch (java.io.IOException e) {
      throw new AssertionError("the capnp tool is required (install Debian's capnproto)", e);
    }
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor()).isZero();
    return out;
  }

  private Map<String, String> generate(String body) throws Exception {
    return Main.generate(compile(body), Map.of("t.capnp", "p.T"), null);
  }

  @Test
  void plainSchemaGenerates() throws Exception {
    assertThat(generate("struct A { x @0 :UInt8; }\n")).containsOnlyKeys("p/T.java");
  }

  @Test
  void nestedTypeNamedLikeAGeneratedClassIsRejected() {
    assertThatThrownBy(() -> generate("struct A { struct Reader { x @0 :UInt8; } }\n"))
        .isInstanceOf(CapnpcException.class).hasMessageContaining("Reader");
  }

  @Test
  void groupNamedLikeItsStructIsRejected() {
    assertThatThrownBy(() -> generate("struct A { a :group { x @0 :UInt8; } }\n"))
        .isInstanceOf(CapnpcException.class).hasMessageContaining("enclosing");
  }

  @Test
  void groupNamedLikeANestedTypeIsRejected() {
    assertThatThrownBy(() -> generate("struct A { struct B { y @0 :UInt8; } b :group { x @0 :UInt8; } }\n"))
        .isInstanceOf(CapnpcException.class).hasMessageContaining("A.B");
  }

  @Test
  void constantNamedLikeAGeneratedFieldIsRejected() {
    assertThatThrownBy(() -> generate("struct A { const structSize :UInt8 = 1; }\n"))
        .isInstanceOf(CapnpcException.class).hasMessageContaining("STRUCT_SIZE");
  }
}
