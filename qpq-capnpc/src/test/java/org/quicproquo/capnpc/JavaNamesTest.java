package org.quicproquo.capnpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JavaNamesTest {
  @Test
  void upperSnakeSplitsCamelCase() {
    assertThat(JavaNames.upperSnake("getPointerField")).isEqualTo("GET_POINTER_FIELD");
    assertThat(JavaNames.upperSnake("int8")).isEqualTo("INT8");
    assertThat(JavaNames.upperSnake("serverInfo")).isEqualTo("SERVER_INFO");
    assertThat(JavaNames.upperSnake("x")).isEqualTo("X");
  }

  @Test
  void outerClassComesFromTheFileName() {
    assertThat(JavaNames.outerClassFor("qpq.capnp")).isEqualTo("Qpq");
    assertThat(JavaNames.outerClassFor("capnp/rpc-twoparty.capnp")).isEqualTo("RpcTwoparty");
    assertThat(JavaNames.outerClassFor("c++.capnp")).isEqualTo("C");
    assertThat(JavaNames.outerClassFor("9lives.capnp")).isEqualTo("C9lives");
  }

  @Test
  void rawBytesLiteralEscapesEveryNonPrintableByteInOctal() {
    byte[] bytes = {0, 10, 13, '"', '\\', 'a', (byte) 0xff, '7'};
    assertThat(JavaNames.rawBytesLiteral(bytes)).isEqualTo("\"\\000\\012\\015\\\"\\\\a\\3777\"");
  }

  @Test
  void textLiteralKeepsUnicodeAsEscapes() {
    assertThat(JavaNames.textLiteral("a\"\n\u00e9".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"a\\\"\\n\\u00e9\"");
  }

  @Test
  void javadocTextCannotCloseTheCommentOrStartAUnicodeEscape() {
    assertThat(JavaNames.javadocText("a */ b @c \\u0041 <x> & d"))
        .isEqualTo("a *&#47; b &#64;c &#92;u0041 &lt;x&gt; &amp; d");
  }
}
