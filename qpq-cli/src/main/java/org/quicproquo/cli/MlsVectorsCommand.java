package org.quicproquo.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.quicproquo.mls.vectors.VectorFormatException;
import org.quicproquo.mls.vectors.VectorKinds;
import org.quicproquo.mls.vectors.VectorRunner;
import org.quicproquo.mls.vectors.VectorRunner.CaseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qpq mls-vectors FILE...}: checks official MLS test-vector files, one line per case. */
@Command(
    name = "mls-vectors",
    mixinStandardHelpOptions = true,
    description = {
      "Check official MLS (RFC 9420) test-vector files; the kind is detected from the file name.",
      "Prints one line per case, then 'N passed, N failed'; exits 1 if any case failed."
    })
final class MlsVectorsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Test-vector JSON files.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VectorRunner runner = new VectorRunner();
    int passed = 0;
    int failed = 0;
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        err.println(file + ": no such file");
        failed++;
        continue;
      }
      if (VectorKinds.forFile(file).isEmpty()) {
        err.println(file + ": unknown test-vector kind (known: "
            + String.join(", ", VectorKinds.all().stream().map(k -> k.name()).toList()) + ")");
        failed++;
        continue;
      }
      try {
        for (CaseResult r : runner.run(file)) {
          if (r.passed()) {
            passed++;
            out.println("PASS " + r.file() + " " + r.caseName());
          } else {
            failed++;
            out.println("FAIL " + r.file() + " " + r.caseName() + ": " + r.detail());
          }
        }
      } catch (VectorFormatException e) {
        err.println(file + ": " + e.getMessage());
        failed++;
      }
      out.flush();
    }
    out.println(passed + " passed, " + failed + " failed");
    out.flush();
    return failed == 0 ? 0 : 1;
  }
}
