package org.quicproquo.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicproquo.capnpc.Main;

/**
 * Fails when a committed request (*.req) or generated Java file no longer matches its schema:
 * someone edited a .capnp without running scripts/regen-capnp, or edited generated code by hand.
 * Runs the real capnp tool; a machine without it fails this test rather than skipping it.
 */
class SchemaDriftTest {
  private static final Path MODULE = CapnpTool.moduleDir();
  private static final Pattern IMPORT = Pattern.compile("import\\s+\"([^\"]+)\"");

  /** One line of capnp-codegen.txt. */
  record Entry(String request, String schemaDir, String outDir, Map<String, String> mappings) {
    @Override
    public String toString() {
      return request;
    }
  }

  static List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(MODULE.resolve("capnp-codegen.txt"))) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      Map<String, String> mappings = new LinkedHashMap<>();
      for (int i = 3; i < parts.length; i++) {
        String[] spec = parts[i].split("=", 2);
        mappings.put(spec[0], spec[1]);
      }
      entries.add(new Entry(parts[0], parts[1], parts[2], mappings));
    }
    return entries;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void committedRequestMatchesCapnpCompile(Entry entry) throws Exception {
    List<String> args = new ArrayList<>(List.of("compile", "-o-", "--no-standard-import", "-I."));
    args.addAll(entry.mappings().keySet());
    byte[] fresh = CapnpTool.run(MODULE.resolve(entry.schemaDir()), new byte[0], args.toArray(String[]::new));
    byte[] committed = Files.readAllBytes(MODULE.resolve(entry.request()));

    String version = new String(CapnpTool.run(MODULE, new byte[0], "--version"), StandardCharsets.UTF_8).trim();
    // The request embeds the compiler version, so another capnp release also shows up here.
    assertThat(fresh)
        .as("%s is stale: run scripts/regen-capnp (committed bytes come from Cap'n Proto 0.9.2; this is %s)",
            entry.request(), version)
        .isEqualTo(committed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void committedJavaMatchesGenerator(Entry entry) throws Exception {
    byte[] request = Files.readAllBytes(MODULE.resolve(entry.request()));
    Map<String, String> generated = Main.generate(request, entry.mappings(), null);

    assertThat(generated).hasSize(entry.mappings().size());
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path committed = MODULE.resolve(entry.outDir()).resolve(file.getKey());
      assertThat(committed).as("generated file missing: run scripts/regen-capnp").exists();
      assertThat(Files.readString(committed, StandardCharsets.UTF_8))
          .as("%s differs from the generator's output: run scripts/regen-capnp", committed)
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void everySchemaFileIsGeneratedOrImported() throws IOException {
    Set<Path> covered = new HashSet<>();
    for (Entry entry : entries()) {
      Path dir = MODULE.resolve(entry.schemaDir());
      for (String file : entry.mappings().keySet()) {
        Path schema = dir.resolve(file).normalize();
        covered.add(schema);
        Matcher imports = IMPORT.matcher(Files.readString(schema));
        while (imports.find()) {
          String name = imports.group(1);
          covered.add((name.startsWith("/") ? dir.resolve(name.substring(1)) : schema.resolveSibling(name)).normalize());
        }
      }
    }
    List<Path> schemas;
    try (Stream<Path> files = Files.walk(MODULE.resolve("src"))) {
      schemas = files.filter(p -> p.toString().endsWith(".capnp")).map(Path::normalize).toList();
    }
    assertThat(schemas).isNotEmpty();
    assertThat(covered).as("every .capnp must be listed in capnp-codegen.txt (or imported by one that is)")
        .containsAll(schemas);
  }
}
