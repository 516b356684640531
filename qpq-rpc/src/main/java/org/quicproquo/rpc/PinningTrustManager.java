package org.quicproquo.rpc;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client trust manager that hands the leaf fingerprint to a {@link ServerTrust}. BoringSSL turns
 * our exception into a bare handshake failure, so the typed refusal is also kept here and the
 * connect path rethrows it. One instance serves one connection attempt.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
  private final String server;
  private final ServerTrust trust;
  private final AtomicReference<RpcException> refusal = new AtomicReference<>();
  private final AtomicReference<CertificateFingerprint> accepted = new AtomicReference<>();

  PinningTrustManager(String server, ServerTrust trust) {
    this.server = server;
    this.trust = trust;
  }

  /** The refusal of the last check, if the server was refused. */
  RpcException refusal() {
    return refusal.get();
  }

  /** The fingerprint of the accepted server certificate, once accepted. */
  CertificateFingerprint accepted() {
    return accepted.get();
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("server sent no certificate");
    }
    CertificateFingerprint presented = CertificateFingerprint.of(chain[0]);
    try {
      trust.verify(server, presented);
      accepted.set(presented);
    } catch (RpcException e) {
      refusal.set(e);
      throw new CertificateException(e.getMessage(), e);
    } catch (RuntimeException e) {
      RpcException wrapped = new RpcException(ExceptionType.DISCONNECTED,
          RpcErrors.CONNECT_FAILED, "server trust check failed: " + e, e);
      refusal.set(wrapped);
      throw new CertificateException(wrapped.getMessage(), e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
