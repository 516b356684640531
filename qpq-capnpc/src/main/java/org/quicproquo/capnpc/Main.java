package org.quicproquo.capnpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Command line entry point of the generator.
 *
 * <pre>
 * java -cp ... org.quicproquo.capnpc.Main [--out DIR] [--java FILE=pkg.Outer]... [--package PKG] [REQUEST]
 * </pre>
 *
 * <p>Reads a {@code CodeGeneratorRequest} ({@code capnp compile -o- FILE.capnp}) from REQUEST or
 * standard input and writes one Java file per requested schema file under DIR (default "."). A
 * schema file maps to a package and outer class with {@code --java}; files without a mapping use
 * {@code --package} and an outer class named after the file ({@code foo-bar.capnp} to
 * {@code FooBar}). Exit status 1 and a message on standard error if the request is bad.
 */
public final class Main {
  private Main() {
  }

  /** Runs the generator; see the class comment for arguments. */
  public static void main(String[] args) {
    try {
      run(args);
    } catch (CapnpcException | IOException e) {
      System.err.println("qpq-capnpc: " + e.getMessage());
      System.exit(1);
    }
  }

  static void run(String[] args) throws IOException {
    Path out = Path.of(".");
    Map<String, JavaMapping> mappings = new HashMap<>();
    String defaultPackage = null;
    Path input = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--package" -> defaultPackage = value(args, ++i, arg);
        case "--java" -> {
          String spec = value(args, ++i, arg);
          int eq = spec.indexOf('=');
          if (eq <= 0) {
            throw new CapnpcException("--java expects FILE=pkg.Outer, got " + spec);
          }
          mappings.put(spec.substring(0, eq), JavaMapping.parse(spec.substring(eq + 1)));
        }
        default -> {
          if (arg.startsWith("-") || input != null) {
            throw new CapnpcException("unexpected argument " + arg);
          }
          input = Path.of(arg);
        }
      }
    }
    byte[] request;
    if (input == null) {
      try (InputStream in = System.in) {
        request = in.readAllBytes();
      }
    } else {
      request = Files.readAllBytes(input);
    }
    Map<String, String> files = generateMapped(request, mappings, defaultPackage);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = out.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Generates Java for every requested file of a serialized request.
   *
   * @param request the bytes {@code capnp compile -o-} wrote
   * @param mappings schema file name (as the compiler names it) to package and outer class
   * @param defaultPackage package for files without a mapping, or null to require a mapping
   * @return relative output path to source text, in request order
   * @throws CapnpcException if the request is malformed or uses something unsupported
   */
  public static Map<String, String> generate(byte[] request, Map<String, String> mappings, String defaultPackage) {
    Map<String, JavaMapping> parsed = new HashMap<>();
    mappings.forEach((file, qualified) -> parsed.put(file, JavaMapping.parse(qualified)));
    return generateMapped(request, parsed, defaultPackage);
  }

  private static Map<String, String> generateMapped(byte[] request, Map<String, JavaMapping> mappings,
      String defaultPackage) {
    GeneratorRequest parsed = RequestParser.parse(request);
    return new JavaGenerator(parsed, file -> {
      JavaMapping mapping = mappings.get(file);
      if (mapping == null && defaultPackage != null) {
        mapping = new JavaMapping(defaultPackage, JavaNames.outerClassFor(file));
      }
      return mapping;
    }).generate();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new CapnpcException(option + " needs a value");
    }
    return args[i];
  }
}
