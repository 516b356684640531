# Imported by allkinds.capnp: proves generated code references types of another file.
@0xf9b31068ae94b849;

struct Point {
  x @0 :Int32;
  y @1 :Int32;
}

enum Color {
  red @0;
  green @1;
  blue @2;
}
