package org.quicproquo.capnpc;

/**
 * Where a schema file's Java goes: package and outer class, e.g. {@code qpq.capnp} to
 * {@code org.quicproquo.proto.Qpq}.
 */
record JavaMapping(String packageName, String outerClass) {
  JavaMapping {
    if (!outerClass.matches("[A-Za-z_$][A-Za-z0-9_$]*")
        || !packageName.matches("([a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*)?")) {
      throw new CapnpcException("bad Java mapping " + packageName + "." + outerClass);
    }
  }

  /** Parses {@code pkg.sub.Outer}. */
  static JavaMapping parse(String qualified) {
    int dot = qualified.lastIndexOf('.');
    return dot < 0 ? new JavaMapping("", qualified)
        : new JavaMapping(qualified.substring(0, dot), qualified.substring(dot + 1));
  }

  String qualifiedName() {
    return packageName.isEmpty() ? outerClass : packageName + "." + outerClass;
  }

  /** Relative output path, e.g. {@code org/quicproquo/proto/Qpq.java}. */
  String relativePath() {
    return qualifiedName().replace('.', '/') + ".java";
  }
}
