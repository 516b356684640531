package org.quicproquo.mls.vectors;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Every vector kind this project can check. Add a kind here when its checker lands. */
public final class VectorKinds {
  private VectorKinds() {}

  public static List<VectorKind> all() {
    return List.of(
        new TreeMathVectors(),
        new TreeValidationVectors(),
        new TreeOperationsVectors(),
        new TreeKemVectors(),
        new CryptoBasicsVectors(),
        new DeserializationVectors(),
        new MessagesVectors(),
        new TranscriptHashesVectors(),
        new MessageProtectionVectors(),
        new WelcomeVectors(),
        new KeyScheduleVectors(),
        new PskSecretVectors(),
        new SecretTreeVectors(),
        new PassiveClientVectors("passive-client-welcome"),
        new PassiveClientVectors("passive-client-handling-commit"),
        new PassiveClientVectors("passive-client-random"));
  }

  /** The kind a file belongs to, from its base name (longest matching kind name wins). */
  public static Optional<VectorKind> forFile(Path file) {
    String base = file.getFileName().toString();
    return all().stream()
        .filter(k -> base.startsWith(k.name()))
        .max(java.util.Comparator.comparingInt(k -> k.name().length()));
  }
}
