/**
 * Cap'n Proto RPC level 0 over QUIC for qpq.
 *
 * <pre>
 *   RpcServer ── one QUIC connection ──> ServerConnection ── BootstrapFactory ──> Capability
 *      │                                   │ push(Event) on a server-opened uni stream
 *      └── per bidirectional stream: FrameDecoder ─> ServerVat (Bootstrap/Call/Return/Finish)
 *
 *   RpcClient ── openStream() ──> RpcConnection.call(interfaceId, methodId, params, results)
 *      └── EventListener receives pushed Events
 * </pre>
 *
 * Public: the interfaces and values an application uses ({@link org.quicproquo.rpc.RpcServer},
 * {@link org.quicproquo.rpc.RpcClient}, {@link org.quicproquo.rpc.Capability},
 * {@link org.quicproquo.rpc.TlsIdentity}, {@link org.quicproquo.rpc.ServerTrust},
 * {@link org.quicproquo.rpc.RpcLimits}, {@link org.quicproquo.rpc.RpcException}). Everything
 * else is package-private. The wire contract is {@code docs/wire.md}.
 */
package org.quicproquo.rpc;
