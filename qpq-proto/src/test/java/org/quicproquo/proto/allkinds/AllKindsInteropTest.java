package org.quicproquo.proto.allkinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;
import org.capnproto.SerializePacked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicproquo.proto.CapnpTool;

/** Java generated from allkinds.capnp against the official capnp tool, in both directions. */
class AllKindsInteropTest {
  private static final Path SCHEMAS = CapnpTool.moduleDir().resolve("src/test/capnp");

  private static String decode(byte[] message, boolean packed, String type) throws Exception {
    List<String> args = new ArrayList<>(List.of("decode", "--short"));
    if (packed) {
      args.add("--packed");
    }
    args.addAll(List.of("--no-standard-import", "-I.", "allkinds.capnp", type));
    return new String(CapnpTool.run(SCHEMAS, message, args.toArray(String[]::new)), StandardCharsets.UTF_8).trim();
  }

  private static MessageReader encode(String text, boolean packed, String type) throws Exception {
    List<String> args = new ArrayList<>(List.of("encode"));
    if (packed) {
      args.add("--packed");
    }
    args.addAll(List.of("--no-standard-import", "-I.", "allkinds.capnp", type));
    byte[] bytes = CapnpTool.run(SCHEMAS, text.getBytes(StandardCharsets.UTF_8), args.toArray(String[]::new));
    return read(bytes, packed);
  }

  private static MessageReader read(byte[] bytes, boolean packed) throws Exception {
    return packed
        ? SerializePacked.readFromUnbuffered(Channels.newChannel(new ByteArrayInputStream(bytes)),
            ReaderOptions.DEFAULT_READER_OPTIONS)
        : Serialize.read(ByteBuffer.wrap(bytes), ReaderOptions.DEFAULT_READER_OPTIONS);
  }

  @ParameterizedTest(name = "packed={0}")
  @ValueSource(booleans = {false, true})
  void messageBuiltInJavaDecodesWithCapnp(boolean packed) throws Exception {
    MessageBuilder message = new MessageBuilder();
    AllKindsFixture.fill(message.initRoot(AllKinds.Root.factory));

    assertThat(decode(CapnpTool.write(message, packed), packed, "Root")).isEqualTo(AllKindsFixture.TEXT);
  }

  @ParameterizedTest(name = "packed={0}")
  @ValueSource(booleans = {false, true})
  void messageEncodedByCapnpReadsInJava(boolean packed) throws Exception {
    MessageReader reader = encode(AllKindsFixture.TEXT, packed, "Root");

    AllKindsFixture.assertFilled(reader.getRoot(AllKinds.Root.factory));
  }

  @ParameterizedTest(name = "packed={0}")
  @ValueSource(booleans = {false, true})
  void javaRoundTripKeepsEveryField(boolean packed) throws Exception {
    MessageBuilder message = new MessageBuilder();
    AllKinds.Root.Builder root = message.initRoot(AllKinds.Root.factory);
    AllKindsFixture.fill(root);
    AllKindsFixture.assertFilled(root.asReader());

    AllKindsFixture.assertFilled(read(CapnpTool.write(message, packed), packed).getRoot(AllKinds.Root.factory));
  }

  @Test
  void unsetFieldsReadSchemaDefaults() throws Exception {
    assertThat(encode("()", false, "Defaults").getRoot(AllKinds.Defaults.factory).hasTextDefault()).isFalse();
    AllKindsFixture.assertDefaults(encode("()", false, "Defaults").getRoot(AllKinds.Defaults.factory));
    AllKindsFixture.assertDefaults(new MessageBuilder().initRoot(AllKinds.Defaults.factory).asReader());
    // A null struct pointer reads as an all-default struct too.
    AllKindsFixture.assertDefaults(new MessageBuilder().initRoot(AllKinds.Root.factory).asReader().getDefaults());
  }

  @Test
  void builderGettersMaterialiseDefaults() {
    AllKinds.Defaults.Builder d = new MessageBuilder().initRoot(AllKinds.Defaults.factory);
    assertThat(d.getStructDefault().getId()).isEqualTo(42);
    assertThat(d.getTextDefault().toString()).isEqualTo("hello \"world\"\n");
    assertThat(d.getListDefault().size()).isEqualTo(3);
    assertThat(d.getStructListDefault().get(1).getLabel().toString()).isEqualTo("two");
    d.getStructDefault().setId(1);
    assertThat(d.asReader().getStructDefault().getId()).isEqualTo(1);
  }

  @Test
  void scalarsSetToTheirDefaultsAreZeroOnTheWireAndDecodeAsDefaults() throws Exception {
    MessageBuilder explicit = new MessageBuilder();
    AllKinds.Defaults.Builder d = explicit.initRoot(AllKinds.Defaults.factory);
    d.setBoolDefault(true);
    d.setInt8Default((byte) -7);
    d.setInt16Default((short) -1234);
    d.setInt32Default(123456);
    d.setInt64Default(-9000000000L);
    d.setUint8Default((byte) 200);
    d.setUint16Default((short) 60000);
    d.setUint32Default((int) 4000000000L);
    d.setUint64Default(Long.parseUnsignedLong("18000000000000000000"));
    d.setFloat32Default(1.5f);
    d.setFloat64Default(-2.25);
    d.setEnumDefault(AllKinds.Suit.HEARTS);
    d.setImportedEnumDefault(Imported.Color.BLUE);
    MessageBuilder untouched = new MessageBuilder();
    untouched.initRoot(AllKinds.Defaults.factory);

    byte[] bytes = CapnpTool.write(explicit, false);
    assertThat(bytes).isEqualTo(CapnpTool.write(untouched, false));
    AllKindsFixture.assertDefaults(read(bytes, false).getRoot(AllKinds.Defaults.factory));
    assertThat(decode(bytes, false, "Defaults")).startsWith("(boolDefault = true, int8Default = -7, "
        + "int16Default = -1234, int32Default = 123456, int64Default = -9000000000, uint8Default = 200, "
        + "uint16Default = 60000, uint32Default = 4000000000, uint64Default = 18000000000000000000, "
        + "float32Default = 1.5, float64Default = -2.25, enumDefault = hearts, ");
  }

  @Test
  void pointerFieldsSetToTheirDefaultsRoundTripThroughCapnp() throws Exception {
    String text = "(textDefault = \"hello \\\"world\\\"\\n\", dataDefault = \"\\336\\255\\276\\357\", "
        + "structDefault = (id = 42, label = \"answer\"), listDefault = [1, -2, 3], "
        + "structListDefault = [(id = 1), (id = 2, label = \"two\")], textListDefault = [\"a\", \"bc\"], "
        + "importedDefault = (x = -1, y = 1))";
    MessageReader fromCapnp = encode(text, true, "Defaults");
    AllKinds.Defaults.Reader read = fromCapnp.getRoot(AllKinds.Defaults.factory);
    assertThat(read.hasTextDefault()).isTrue();
    AllKindsFixture.assertDefaults(read);

    MessageBuilder copy = new MessageBuilder();
    AllKinds.Defaults.Builder d = copy.initRoot(AllKinds.Defaults.factory);
    d.setTextDefault(read.getTextDefault());
    d.setDataDefault(read.getDataDefault());
    d.setStructDefault(read.getStructDefault());
    d.setListDefault(read.getListDefault());
    d.setStructListDefault(read.getStructListDefault());
    d.setTextListDefault(read.getTextListDefault());
    d.setImportedDefault(read.getImportedDefault());
    assertThat(decode(CapnpTool.write(copy, true), true, "Defaults")).contains(text.substring(1, text.length() - 1));
  }

  @ParameterizedTest(name = "packed={0}")
  @ValueSource(booleans = {false, true})
  void anyPointerAndGenericFieldsCarryStructs(boolean packed) throws Exception {
    MessageBuilder message = new MessageBuilder();
    AllKinds.Root.Builder root = message.initRoot(AllKinds.Root.factory);
    AllKinds.Inner.Builder any = root.initAnyField().initAs(AllKinds.Inner.factory);
    any.setId(5);
    any.setLabel("any");
    AllKinds.Box.Builder box = root.initBoxed();
    box.initValue().initAs(AllKinds.Inner.factory).setId(3);
    box.setLabel("boxed");

    String text = decode(CapnpTool.write(message, packed), packed, "Root");
    // capnp knows Box's brand, so it prints the boxed Inner; an AnyPointer stays opaque.
    assertThat(text).contains("boxed = (value = (id = 3), label = \"boxed\")");
    assertThat(text).contains("anyField = <opaque pointer>");

    AllKinds.Root.Reader read = encode("(boxed = (value = (id = 8, label = \"b\")))", packed, "Root")
        .getRoot(AllKinds.Root.factory);
    assertThat(read.getBoxed().getValue().getAs(AllKinds.Inner.factory).getId()).isEqualTo(8);
    assertThat(read.getBoxed().getValue().getAs(AllKinds.Inner.factory).getLabel().toString()).isEqualTo("b");
    AllKinds.Root.Reader again = read(CapnpTool.write(message, packed), packed).getRoot(AllKinds.Root.factory);
    assertThat(again.hasAnyField()).isTrue();
    assertThat(again.getAnyField().getAs(AllKinds.Inner.factory).getLabel().toString()).isEqualTo("any");
  }

  @Test
  void unionSettersSwitchTheDiscriminant() {
    AllKinds.Root.Builder root = new MessageBuilder().initRoot(AllKinds.Root.factory);
    assertThat(root.which()).isEqualTo(AllKinds.Root.Which.NONE);
    root.setCount((short) 5);
    assertThat(root.which()).isEqualTo(AllKinds.Root.Which.COUNT);
    root.setName("n");
    assertThat(root.which()).isEqualTo(AllKinds.Root.Which.NAME);
    assertThat(root.hasName()).isTrue();
    root.initPoint().setX(1);
    assertThat(root.which()).isEqualTo(AllKinds.Root.Which.POINT);
    assertThat(root.hasName()).isFalse();
    root.getChoice().setLeft(-1);
    assertThat(root.getChoice().which()).isEqualTo(AllKinds.Root.Choice.Which.LEFT);
    assertThat(root.asReader().getChoice().getLeft()).isEqualTo(-1);
  }

  @Test
  void constantsMatchTheSchema() throws Exception {
    assertThat(AllKinds.MAX_COUNT).isEqualTo(1000);
    assertThat(AllKinds.NEGATIVE).isEqualTo(-5L);
    assertThat(AllKinds.PI).isEqualTo(3.14159);
    assertThat(AllKinds.GREETING.toString()).isEqualTo("hi there");
    assertThat(AllKinds.MAGIC.toArray()).containsExactly(0, 1, 0xfe, 0xff);
    assertThat(AllKinds.FLAG).isTrue();
    assertThat(AllKinds.FAVOURITE_SUIT).isEqualTo(AllKinds.Suit.SPADES);
    assertThat(AllKinds.ORIGIN.getX()).isEqualTo(10);
    assertThat(AllKinds.ORIGIN.getY()).isEqualTo(-20);
    assertThat(new int[] {AllKinds.PRIMES.get(0), AllKinds.PRIMES.get(1), AllKinds.PRIMES.get(2),
        AllKinds.PRIMES.get(3)}).containsExactly(2, 3, 5, 7);
    assertThat(AllKindsFixture.texts(AllKinds.WORDS)).containsExactly("x", "yz");
    String evaluated = new String(CapnpTool.run(SCHEMAS, new byte[0], "eval", "--no-standard-import", "-I.",
        "allkinds.capnp", "origin"), StandardCharsets.UTF_8).trim();
    assertThat(evaluated).isEqualTo("(x = " + AllKinds.ORIGIN.getX() + ", y = " + AllKinds.ORIGIN.getY() + ")");
  }

  @Test
  void unknownEnumCodesReadAsNotInSchema() throws Exception {
    MessageBuilder message = new MessageBuilder();
    message.initRoot(AllKinds.Root.factory).setEnumField(AllKinds.Suit.SPADES);
    byte[] bytes = CapnpTool.write(message, false);
    // enumField is the UInt16 at data offset 18 bytes after the 8-byte header and 8-byte root pointer.
    int at = indexOfShort(bytes, 3);
    bytes[at] = 99;
    AllKinds.Root.Reader root = read(bytes, false).getRoot(AllKinds.Root.factory);
    assertThat(root.getEnumField()).isEqualTo(AllKinds.Suit._NOT_IN_SCHEMA);
  }

  private static int indexOfShort(byte[] bytes, int value) {
    for (int i = 16; i + 1 < bytes.length; i += 2) {
      if (bytes[i] == value && bytes[i + 1] == 0) {
        return i;
      }
    }
    throw new AssertionError("value not found");
  }
}
