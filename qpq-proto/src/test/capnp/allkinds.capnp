# Every field kind the generator supports, for interop tests against the official capnp tool.
@0x9fe3c992df0c46b0;

using Imp = import "imported.capnp";

enum Suit {
  clubs @0;
  diamonds @1;
  hearts @2;
  spades @3;
}

struct Inner {
  id @0 :UInt32;
  label @1 :Text;
}

struct Root {
  voidField @0 :Void;
  boolField @1 :Bool;
  int8Field @2 :Int8;
  int16Field @3 :Int16;
  int32Field @4 :Int32;
  int64Field @5 :Int64;
  uint8Field @6 :UInt8;
  uint16Field @7 :UInt16;
  uint32Field @8 :UInt32;
  uint64Field @9 :UInt64;
  float32Field @10 :Float32;
  float64Field @11 :Float64;
  textField @12 :Text;
  dataField @13 :Data;
  enumField @14 :Suit;
  structField @15 :Inner;
  anyField @16 :AnyPointer;

  voidList @17 :List(Void);
  boolList @18 :List(Bool);
  int8List @19 :List(Int8);
  int16List @20 :List(Int16);
  int32List @21 :List(Int32);
  int64List @22 :List(Int64);
  uint8List @23 :List(UInt8);
  uint16List @24 :List(UInt16);
  uint32List @25 :List(UInt32);
  uint64List @26 :List(UInt64);
  float32List @27 :List(Float32);
  float64List @28 :List(Float64);
  textList @29 :List(Text);
  dataList @30 :List(Data);
  enumList @31 :List(Suit);
  structList @32 :List(Inner);
  intListList @33 :List(List(Int32));
  textListList @34 :List(List(Text));
  structListList @35 :List(List(Inner));

  importedStruct @36 :Imp.Point;
  importedEnumList @37 :List(Imp.Color);

  # An unnamed union.
  union {
    none @38 :Void;
    count @39 :UInt16;
    name @40 :Text;
    point @41 :Imp.Point;
    shape :group {
      width @42 :Float64;
      height @43 :Float64;
    }
  }

  # A named union.
  choice :union {
    left @44 :Int32;
    right @45 :Text;
  }

  # A group holding a nested group and its own union.
  meta :group {
    version @46 :UInt16 = 3;
    tags @47 :List(Text);
    origin :group {
      host @48 :Text;
      port @49 :UInt16 = 443;
    }
    kind :union {
      plain @50 :Void;
      tagged @51 :Suit;
    }
  }

  defaults @52 :Defaults;
  nestedEnum @53 :Nested.Mode;
  nested @54 :Nested;
  boxed @55 :Box(Inner);
}

# A generic struct: the generator treats type parameters as AnyPointer.
struct Box(T) {
  value @0 :T;
  label @1 :Text;
}

struct Nested {
  enum Mode {
    off @0;
    on @1;
    auto @2;
  }
  mode @0 :Mode = auto;
  child @1 :Nested;
}

struct Defaults {
  boolDefault @0 :Bool = true;
  int8Default @1 :Int8 = -7;
  int16Default @2 :Int16 = -1234;
  int32Default @3 :Int32 = 123456;
  int64Default @4 :Int64 = -9000000000;
  uint8Default @5 :UInt8 = 200;
  uint16Default @6 :UInt16 = 60000;
  uint32Default @7 :UInt32 = 4000000000;
  uint64Default @8 :UInt64 = 18000000000000000000;
  float32Default @9 :Float32 = 1.5;
  float64Default @10 :Float64 = -2.25;
  enumDefault @11 :Suit = hearts;
  textDefault @12 :Text = "hello \"world\"\n";
  dataDefault @13 :Data = 0x"de ad be ef";
  structDefault @14 :Inner = (id = 42, label = "answer");
  listDefault @15 :List(Int32) = [1, -2, 3];
  structListDefault @16 :List(Inner) = [(id = 1), (id = 2, label = "two")];
  textListDefault @17 :List(Text) = ["a", "bc"];
  importedDefault @18 :Imp.Point = (x = -1, y = 1);
  importedEnumDefault @19 :Imp.Color = blue;
}

const maxCount :UInt32 = 1000;
const negative :Int64 = -5;
const pi :Float64 = 3.14159;
const greeting :Text = "hi there";
const magic :Data = 0x"00 01 fe ff";
const flag :Bool = true;
const favouriteSuit :Suit = spades;
const origin :Imp.Point = (x = 10, y = -20);
const primes :List(UInt16) = [2, 3, 5, 7];
const words :List(Text) = ["x", "yz"];
