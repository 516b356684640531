package org.quicproquo.mls.crypto;

/** Result of {@link CipherSuite#hpkeExportSender}: the KEM output to send and the exported secret. */
public record HpkeExport(byte[] kemOutput, byte[] secret) {
  public HpkeExport {
    kemOutput = kemOutput.clone();
    secret = secret.clone();
  }

  @Override
  public byte[] kemOutput() {
    return kemOutput.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }
}
