package org.quicproquo.proto.allkinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.capnproto.PrimitiveList;
import org.capnproto.StructList;
import org.capnproto.TextList;

/**
 * One message with every field kind set, three ways: {@link #TEXT} in capnp's text format,
 * {@link #fill} writing it with the generated builders, {@link #assertFilled} checking it with the
 * generated readers.
 */
final class AllKindsFixture {
  /** What {@code capnp decode --short allkinds.capnp Root} prints for the filled message. */
  static final String TEXT = "("
      + "voidField = void, boolField = true, int8Field = -128, int16Field = -32768, "
      + "int32Field = -2147483648, int64Field = -9223372036854775808, uint8Field = 255, "
      + "uint16Field = 65535, uint32Field = 4294967295, uint64Field = 18446744073709551615, "
      + "float32Field = 1.25, float64Field = -1e100, textField = \"t\u00e9xt\\n\", "
      + "dataField = \"\\000\\377\", enumField = hearts, structField = (id = 9, label = \"inner\"), "
      + "voidList = [void, void], boolList = [true, false, true], int8List = [-1, 2], "
      + "int16List = [-300, 300], int32List = [-70000, 70000], int64List = [-5000000000, 5000000000], "
      + "uint8List = [0, 255], uint16List = [65535], uint32List = [4294967295, 1], "
      + "uint64List = [18446744073709551615], float32List = [0.5, -0.5], float64List = [1e-10], "
      + "textList = [\"a\", \"\", \"c\"], dataList = [\"\\001\", \"\"], enumList = [spades, clubs], "
      + "structList = [(id = 1, label = \"one\"), (id = 2)], intListList = [[1, 2], [], [3]], "
      + "textListList = [[\"x\"], [\"y\", \"z\"]], structListList = [[(id = 7)]], "
      + "importedStruct = (x = -3, y = 4), importedEnumList = [blue, red], "
      + "shape = (width = 2.5, height = 0.75), choice = (right = \"r\"), "
      + "meta = (version = 9, tags = [\"m\"], origin = (host = \"h\", port = 8443), "
      + "kind = (tagged = diamonds)), "
      + "defaults = (boolDefault = false, int8Default = 7, int16Default = 1234, int32Default = -123456, "
      + "int64Default = 9000000000, uint8Default = 1, uint16Default = 2, uint32Default = 3, "
      + "uint64Default = 4, float32Default = -1.5, float64Default = 2.25, enumDefault = clubs, "
      + "textDefault = \"changed\", dataDefault = \"\\001\", structDefault = (id = 43, label = \"other\"), "
      + "listDefault = [], structListDefault = [(id = 3)], textListDefault = [\"d\"], "
      + "importedDefault = (x = 5, y = 6), importedEnumDefault = green), "
      + "nestedEnum = on, nested = (mode = off, child = (mode = on, child = (mode = auto))))";

  private AllKindsFixture() {
  }

  static void fill(AllKinds.Root.Builder root) {
    root.setVoidField();
    root.setBoolField(true);
    root.setInt8Field(Byte.MIN_VALUE);
    root.setInt16Field(Short.MIN_VALUE);
    root.setInt32Field(Integer.MIN_VALUE);
    root.setInt64Field(Long.MIN_VALUE);
    root.setUint8Field((byte) 255);
    root.setUint16Field((short) 65535);
    root.setUint32Field(-1);
    root.setUint64Field(-1L);
    root.setFloat32Field(1.25f);
    root.setFloat64Field(-1e100);
    root.setTextField("t\u00e9xt\n");
    root.setDataField(new byte[] {0, (byte) 0xff});
    root.setEnumField(AllKinds.Suit.HEARTS);
    AllKinds.Inner.Builder inner = root.initStructField();
    inner.setId(9);
    inner.setLabel("inner");
    root.initVoidList(2);
    PrimitiveList.Boolean.Builder bools = root.initBoolList(3);
    bools.set(0, true);
    bools.set(2, true);
    PrimitiveList.Byte.Builder int8s = root.initInt8List(2);
    int8s.set(0, (byte) -1);
    int8s.set(1, (byte) 2);
    PrimitiveList.Short.Builder int16s = root.initInt16List(2);
    int16s.set(0, (short) -300);
    int16s.set(1, (short) 300);
    PrimitiveList.Int.Builder int32s = root.initInt32List(2);
    int32s.set(0, -70000);
    int32s.set(1, 70000);
    PrimitiveList.Long.Builder int64s = root.initInt64List(2);
    int64s.set(0, -5000000000L);
    int64s.set(1, 5000000000L);
    PrimitiveList.Byte.Builder uint8s = root.initUint8List(2);
    uint8s.set(1, (byte) 255);
    root.initUint16List(1).set(0, (short) 65535);
    PrimitiveList.Int.Builder uint32s = root.initUint32List(2);
    uint32s.set(0, -1);
    uint32s.set(1, 1);
    root.initUint64List(1).set(0, -1L);
    PrimitiveList.Float.Builder float32s = root.initFloat32List(2);
    float32s.set(0, 0.5f);
    float32s.set(1, -0.5f);
    root.initFloat64List(1).set(0, 1e-10);
    TextList.Builder texts = root.initTextList(3);
    texts.set(0, new org.capnproto.Text.Reader("a"));
    texts.set(1, new org.capnproto.Text.Reader(""));
    texts.set(2, new org.capnproto.Text.Reader("c"));
    org.capnproto.DataList.Builder datas = root.initDataList(2);
    datas.set(0, new org.capnproto.Data.Reader(new byte[] {1}));
    datas.set(1, new org.capnproto.Data.Reader(new byte[0]));
    org.capnproto.EnumList.Builder<AllKinds.Suit> suits = root.initEnumList(2);
    suits.set(0, AllKinds.Suit.SPADES);
    suits.set(1, AllKinds.Suit.CLUBS);
    StructList.Builder<AllKinds.Inner.Builder> inners = root.initStructList(2);
    inners.get(0).setId(1);
    inners.get(0).setLabel("one");
    inners.get(1).setId(2);
    org.capnproto.ListList.Builder<PrimitiveList.Int.Builder> intLists = root.initIntListList(3);
    PrimitiveList.Int.Builder first = intLists.init(0, 2);
    first.set(0, 1);
    first.set(1, 2);
    intLists.init(1, 0);
    intLists.init(2, 1).set(0, 3);
    org.capnproto.ListList.Builder<TextList.Builder> textLists = root.initTextListList(2);
    textLists.init(0, 1).set(0, new org.capnproto.Text.Reader("x"));
    TextList.Builder yz = textLists.init(1, 2);
    yz.set(0, new org.capnproto.Text.Reader("y"));
    yz.set(1, new org.capnproto.Text.Reader("z"));
    root.initStructListList(1).init(0, 1).get(0).setId(7);
    Imported.Point.Builder point = root.initImportedStruct();
    point.setX(-3);
    point.setY(4);
    org.capnproto.EnumList.Builder<Imported.Color> colors = root.initImportedEnumList(2);
    colors.set(0, Imported.Color.BLUE);
    colors.set(1, Imported.Color.RED);
    AllKinds.Root.Shape.Builder shape = root.initShape();
    shape.setWidth(2.5);
    shape.setHeight(0.75);
    root.getChoice().setRight("r");
    AllKinds.Root.Meta.Builder meta = root.initMeta();
    meta.setVersion((short) 9);
    meta.initTags(1).set(0, new org.capnproto.Text.Reader("m"));
    meta.getOrigin().setHost("h");
    meta.getOrigin().setPort((short) 8443);
    meta.getKind().setTagged(AllKinds.Suit.DIAMONDS);
    AllKinds.Defaults.Builder d = root.initDefaults();
    d.setBoolDefault(false);
    d.setInt8Default((byte) 7);
    d.setInt16Default((short) 1234);
    d.setInt32Default(-123456);
    d.setInt64Default(9000000000L);
    d.setUint8Default((byte) 1);
    d.setUint16Default((short) 2);
    d.setUint32Default(3);
    d.setUint64Default(4);
    d.setFloat32Default(-1.5f);
    d.setFloat64Default(2.25);
    d.setEnumDefault(AllKinds.Suit.CLUBS);
    d.setTextDefault("changed");
    d.setDataDefault(new byte[] {1});
    AllKinds.Inner.Builder sd = d.initStructDefault();
    sd.setId(43);
    sd.setLabel("other");
    d.initListDefault(0);
    d.initStructListDefault(1).get(0).setId(3);
    d.initTextListDefault(1).set(0, new org.capnproto.Text.Reader("d"));
    Imported.Point.Builder ip = d.initImportedDefault();
    ip.setX(5);
    ip.setY(6);
    d.setImportedEnumDefault(Imported.Color.GREEN);
    root.setNestedEnum(AllKinds.Nested.Mode.ON);
    AllKinds.Nested.Builder nested = root.initNested();
    nested.setMode(AllKinds.Nested.Mode.OFF);
    AllKinds.Nested.Builder child = nested.initChild();
    child.setMode(AllKinds.Nested.Mode.ON);
    child.initChild();
  }

  static void assertFilled(AllKinds.Root.Reader root) {
    assertThat(root.getVoidField()).isEqualTo(org.capnproto.Void.VOID);
    assertThat(root.getBoolField()).isTrue();
    assertThat(root.getInt8Field()).isEqualTo(Byte.MIN_VALUE);
    assertThat(root.getInt16Field()).isEqualTo(Short.MIN_VALUE);
    assertThat(root.getInt32Field()).isEqualTo(Integer.MIN_VALUE);
    assertThat(root.getInt64Field()).isEqualTo(Long.MIN_VALUE);
    assertThat(root.getUint8Field() & 0xff).isEqualTo(255);
    assertThat(root.getUint16Field() & 0xffff).isEqualTo(65535);
    assertThat(Integer.toUnsignedLong(root.getUint32Field())).isEqualTo(4294967295L);
    assertThat(Long.toUnsignedString(root.getUint64Field())).isEqualTo("18446744073709551615");
    assertThat(root.getFloat32Field()).isEqualTo(1.25f);
    assertThat(root.getFloat64Field()).isEqualTo(-1e100);
    assertThat(root.getTextField().toString()).isEqualTo("t\u00e9xt\n");
    assertThat(root.getDataField().toArray()).containsExactly(0, 0xff);
    assertThat(root.getEnumField()).isEqualTo(AllKinds.Suit.HEARTS);
    assertThat(root.getStructField().getId()).isEqualTo(9);
    assertThat(root.getStructField().getLabel().toString()).isEqualTo("inner");
    assertThat(root.hasAnyField()).isFalse();
    assertThat(root.getVoidList().size()).isEqualTo(2);
    assertThat(root.getBoolList().size()).isEqualTo(3);
    assertThat(root.getBoolList().get(0)).isTrue();
    assertThat(root.getBoolList().get(1)).isFalse();
    assertThat(root.getBoolList().get(2)).isTrue();
    assertThat(new int[] {root.getInt8List().get(0), root.getInt8List().get(1)}).containsExactly(-1, 2);
    assertThat(new int[] {root.getInt16List().get(0), root.getInt16List().get(1)}).containsExactly(-300, 300);
    assertThat(new int[] {root.getInt32List().get(0), root.getInt32List().get(1)}).containsExactly(-70000, 70000);
    assertThat(new long[] {root.getInt64List().get(0), root.getInt64List().get(1)})
        .containsExactly(-5000000000L, 5000000000L);
    assertThat(new int[] {root.getUint8List().get(0) & 0xff, root.getUint8List().get(1) & 0xff}).containsExactly(0, 255);
    assertThat(root.getUint16List().size()).isEqualTo(1);
    assertThat(root.getUint16List().get(0) & 0xffff).isEqualTo(65535);
    assertThat(new int[] {root.getUint32List().get(0), root.getUint32List().get(1)}).containsExactly(-1, 1);
    assertThat(root.getUint64List().get(0)).isEqualTo(-1L);
    assertThat(new float[] {root.getFloat32List().get(0), root.getFloat32List().get(1)}).containsExactly(0.5f, -0.5f);
    assertThat(root.getFloat64List().get(0)).isEqualTo(1e-10);
    assertThat(texts(root.getTextList())).containsExactly("a", "", "c");
    assertThat(root.getDataList().size()).isEqualTo(2);
    assertThat(root.getDataList().get(0).toArray()).containsExactly(1);
    assertThat(root.getDataList().get(1).toArray()).isEmpty();
    assertThat(root.getEnumList().size()).isEqualTo(2);
    assertThat(root.getEnumList().get(0)).isEqualTo(AllKinds.Suit.SPADES);
    assertThat(root.getEnumList().get(1)).isEqualTo(AllKinds.Suit.CLUBS);
    assertThat(root.getStructList().size()).isEqualTo(2);
    assertThat(root.getStructList().get(0).getId()).isEqualTo(1);
    assertThat(root.getStructList().get(0).getLabel().toString()).isEqualTo("one");
    assertThat(root.getStructList().get(1).getId()).isEqualTo(2);
    assertThat(root.getStructList().get(1).hasLabel()).isFalse();
    org.capnproto.ListList.Reader<PrimitiveList.Int.Reader> intLists = root.getIntListList();
    assertThat(intLists.size()).isEqualTo(3);
    assertThat(new int[] {intLists.get(0).get(0), intLists.get(0).get(1)}).containsExactly(1, 2);
    assertThat(intLists.get(0).size()).isEqualTo(2);
    assertThat(intLists.get(1).size()).isZero();
    assertThat(intLists.get(2).size()).isEqualTo(1);
    assertThat(intLists.get(2).get(0)).isEqualTo(3);
    assertThat(root.getTextListList().size()).isEqualTo(2);
    assertThat(texts(root.getTextListList().get(0))).containsExactly("x");
    assertThat(texts(root.getTextListList().get(1))).containsExactly("y", "z");
    assertThat(root.getStructListList().size()).isEqualTo(1);
    assertThat(root.getStructListList().get(0).size()).isEqualTo(1);
    assertThat(root.getStructListList().get(0).get(0).getId()).isEqualTo(7);
    assertThat(root.getImportedStruct().getX()).isEqualTo(-3);
    assertThat(root.getImportedStruct().getY()).isEqualTo(4);
    assertThat(root.getImportedEnumList().size()).isEqualTo(2);
    assertThat(root.getImportedEnumList().get(0)).isEqualTo(Imported.Color.BLUE);
    assertThat(root.getImportedEnumList().get(1)).isEqualTo(Imported.Color.RED);
    assertThat(root.which()).isEqualTo(AllKinds.Root.Which.SHAPE);
    assertThat(root.isShape()).isTrue();
    assertThat(root.isCount()).isFalse();
    assertThat(root.hasName()).isFalse();
    assertThat(root.getShape().getWidth()).isEqualTo(2.5);
    assertThat(root.getShape().getHeight()).isEqualTo(0.75);
    assertThat(root.getChoice().which()).isEqualTo(AllKinds.Root.Choice.Which.RIGHT);
    assertThat(root.getChoice().getRight().toString()).isEqualTo("r");
    AllKinds.Root.Meta.Reader meta = root.getMeta();
    assertThat(meta.getVersion()).isEqualTo((short) 9);
    assertThat(texts(meta.getTags())).containsExactly("m");
    assertThat(meta.getOrigin().getHost().toString()).isEqualTo("h");
    assertThat(meta.getOrigin().getPort() & 0xffff).isEqualTo(8443);
    assertThat(meta.getKind().which()).isEqualTo(AllKinds.Root.Meta.Kind.Which.TAGGED);
    assertThat(meta.getKind().getTagged()).isEqualTo(AllKinds.Suit.DIAMONDS);
    AllKinds.Defaults.Reader d = root.getDefaults();
    assertThat(d.getBoolDefault()).isFalse();
    assertThat(d.getInt8Default()).isEqualTo((byte) 7);
    assertThat(d.getInt16Default()).isEqualTo((short) 1234);
    assertThat(d.getInt32Default()).isEqualTo(-123456);
    assertThat(d.getInt64Default()).isEqualTo(9000000000L);
    assertThat(d.getUint8Default()).isEqualTo((byte) 1);
    assertThat(d.getUint16Default()).isEqualTo((short) 2);
    assertThat(d.getUint32Default()).isEqualTo(3);
    assertThat(d.getUint64Default()).isEqualTo(4L);
    assertThat(d.getFloat32Default()).isEqualTo(-1.5f);
    assertThat(d.getFloat64Default()).isEqualTo(2.25);
    assertThat(d.getEnumDefault()).isEqualTo(AllKinds.Suit.CLUBS);
    assertThat(d.getTextDefault().toString()).isEqualTo("changed");
    assertThat(d.getDataDefault().toArray()).containsExactly(1);
    assertThat(d.getStructDefault().getId()).isEqualTo(43);
    assertThat(d.getStructDefault().getLabel().toString()).isEqualTo("other");
    assertThat(d.hasListDefault()).isTrue();
    assertThat(d.getListDefault().size()).isZero();
    assertThat(d.getStructListDefault().size()).isEqualTo(1);
    assertThat(d.getStructListDefault().get(0).getId()).isEqualTo(3);
    assertThat(texts(d.getTextListDefault())).containsExactly("d");
    assertThat(d.getImportedDefault().getX()).isEqualTo(5);
    assertThat(d.getImportedDefault().getY()).isEqualTo(6);
    assertThat(d.getImportedEnumDefault()).isEqualTo(Imported.Color.GREEN);
    assertThat(root.getNestedEnum()).isEqualTo(AllKinds.Nested.Mode.ON);
    assertThat(root.getNested().getMode()).isEqualTo(AllKinds.Nested.Mode.OFF);
    assertThat(root.getNested().getChild().getMode()).isEqualTo(AllKinds.Nested.Mode.ON);
    assertThat(root.getNested().getChild().getChild().getMode()).isEqualTo(AllKinds.Nested.Mode.AUTO);
    assertThat(root.getNested().getChild().getChild().hasChild()).isFalse();
  }

  /** Checks every schema default of {@code Defaults}, read from a struct where nothing is set. */
  static void assertDefaults(AllKinds.Defaults.Reader d) {
    assertThat(d.getBoolDefault()).isTrue();
    assertThat(d.getInt8Default()).isEqualTo((byte) -7);
    assertThat(d.getInt16Default()).isEqualTo((short) -1234);
    assertThat(d.getInt32Default()).isEqualTo(123456);
    assertThat(d.getInt64Default()).isEqualTo(-9000000000L);
    assertThat(d.getUint8Default() & 0xff).isEqualTo(200);
    assertThat(d.getUint16Default() & 0xffff).isEqualTo(60000);
    assertThat(Integer.toUnsignedLong(d.getUint32Default())).isEqualTo(4000000000L);
    assertThat(Long.toUnsignedString(d.getUint64Default())).isEqualTo("18000000000000000000");
    assertThat(d.getFloat32Default()).isEqualTo(1.5f);
    assertThat(d.getFloat64Default()).isEqualTo(-2.25);
    assertThat(d.getEnumDefault()).isEqualTo(AllKinds.Suit.HEARTS);
    assertThat(d.getTextDefault().toString()).isEqualTo("hello \"world\"\n");
    assertThat(d.getDataDefault().toArray()).containsExactly(0xde, 0xad, 0xbe, 0xef);
    assertThat(d.getStructDefault().getId()).isEqualTo(42);
    assertThat(d.getStructDefault().getLabel().toString()).isEqualTo("answer");
    assertThat(d.getListDefault().size()).isEqualTo(3);
    assertThat(new int[] {d.getListDefault().get(0), d.getListDefault().get(1), d.getListDefault().get(2)})
        .containsExactly(1, -2, 3);
    assertThat(d.getStructListDefault().size()).isEqualTo(2);
    assertThat(d.getStructListDefault().get(0).getId()).isEqualTo(1);
    assertThat(d.getStructListDefault().get(1).getLabel().toString()).isEqualTo("two");
    assertThat(texts(d.getTextListDefault())).containsExactly("a", "bc");
    assertThat(d.getImportedDefault().getX()).isEqualTo(-1);
    assertThat(d.getImportedDefault().getY()).isEqualTo(1);
    assertThat(d.getImportedEnumDefault()).isEqualTo(Imported.Color.BLUE);
  }

  static String[] texts(TextList.Reader list) {
    String[] out = new String[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).toString();
    }
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
