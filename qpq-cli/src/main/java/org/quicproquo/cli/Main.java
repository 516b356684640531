package org.quicproquo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Composition root of the {@code qpq} command. Each subcommand is its own class; this one only
 * wires them into picocli.
 */
@Command(
    name = "qpq",
    mixinStandardHelpOptions = true,
    version = "qpq 0.1.0-SNAPSHOT",
    description = "quicproquo: end-to-end encrypted messaging over QUIC, Cap'n Proto and MLS.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      ServerCommand.class,
      BenchCommand.class,
      MlsVectorsCommand.class,
      InteropCommand.class,
      ChatCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
