import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

/// One kept-alive HTTP/1.1 connection to a WinRM listener, plain or TLS. Exchanges go one after
/// another (NTLM authenticates the connection, not the request); the caller serialises them.
public final class WinRMHTTPConnection: Sendable {
    public let endpoint: WinRMEndpoint
    let channel: any Channel
    /// The server's leaf certificate (DER), for channel binding; nil over plain HTTP.
    public let peerCertificate: [UInt8]?
    /// How long the TCP connect and the TLS handshake took.
    public let timings: [WinRMStage: Duration]

    /// Largest response accepted: a listener's MaxEnvelopeSize is 150 KiB by default (at most 500 KiB
    /// configurable up to a few MiB); anything far beyond is a broken or hostile server.
    static let maxResponseBytes = 16 * 1024 * 1024

    private init(
        endpoint: WinRMEndpoint, channel: any Channel, peerCertificate: [UInt8]?, timings: [WinRMStage: Duration]
    ) {
        self.endpoint = endpoint
        self.channel = channel
        self.peerCertificate = peerCertificate
        self.timings = timings
    }

    /// Connects (and over HTTPS completes the TLS handshake, verifying the certificate as `tls` says).
    public static func connect(
        to endpoint: WinRMEndpoint, name: String, tls: NIOSSLContext?, timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WinRMHTTPConnection {
        let clock = ContinuousClock()
        let started = clock.now
        let eventLoop = group.next()
        let handshake = eventLoop.makePromise(of: Void.self)
        let serverHostname = Self.isIPAddress(endpoint.host) ? nil : endpoint.host
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(TimeAmount(timeout))
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let tls {
                            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                            try sync.addHandler(HandshakeWatcher(done: handshake))
                        } else {
                            handshake.succeed()
                        }
                        try sync.addHTTPClientHandlers()
                        try sync.addHandler(HTTPExchangeHandler(maxResponseBytes: maxResponseBytes))
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port).get()
        } catch {
            handshake.fail(error)
            throw WinRMConnectionError(
                stage: .connect, target: name,
                message: "cannot reach \(endpoint.host):\(endpoint.port): \(Self.reason(error))")
        }
        let connected = clock.now
        let timer = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            handshake.fail(HTTPExchangeError.timedOut(seconds: timeout.seconds))
        }
        defer { timer.cancel() }
        var peerCertificate: [UInt8]?
        do {
            try await handshake.futureResult.get()
            if tls != nil {
                peerCertificate = try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate?
                        .toDERBytes()
                }.get()
            }
        } catch {
            channel.close(promise: nil)
            throw WinRMConnectionError(
                stage: .tls, target: name,
                message: "TLS handshake with \(endpoint.host):\(endpoint.port) failed: \(Self.reason(error))")
        }
        var timings: [WinRMStage: Duration] = [.connect: connected - started]
        if tls != nil { timings[.tls] = clock.now - connected }
        return WinRMHTTPConnection(
            endpoint: endpoint, channel: channel, peerCertificate: peerCertificate, timings: timings)
    }

    /// Whether the connection can carry another exchange.
    public var isActive: Bool { channel.isActive }

    /// POSTs `body` to the endpoint's path and returns the whole response, or throws when none arrives
    /// within `timeout` (the connection is then closed: its state is unknown).
    public func post(headers extra: HTTPHeaders, body: [UInt8], timeout: Duration) async throws -> WinRMHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: hostHeader)
        headers.add(name: "User-Agent", value: "pcm-ops WinRM")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "keep-alive")
        headers.add(contentsOf: extra)
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: endpoint.path, headers: headers)
        let promise = channel.eventLoop.makePromise(of: WinRMHTTPResponse.self)
        let exchange = HTTPExchange(head: head, body: channel.allocator.buffer(bytes: body), response: promise)
        let channel = channel
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(HTTPExchangeError.timedOut(seconds: timeout.seconds))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        channel.writeAndFlush(exchange, promise: nil)
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
            channel.close(promise: nil)
        }
    }

    /// Closes the connection (idempotent).
    public func close() async {
        try? await channel.close()
    }

    private var hostHeader: String {
        let host = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
        let standard = endpoint.scheme == .https ? 443 : 80
        return endpoint.port == standard ? host : "\(host):\(endpoint.port)"
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? NIOSSLError {
            switch error {
            case .handshakeFailed(let underlying):
                return
                    "\(underlying) (is the certificate trusted? set a CA bundle for the target, or turn verification off explicitly)"
            default: return String(describing: error)
            }
        }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return String(describing: first.error)
        }
        return String(describing: error)
    }
}

/// Fulfils `done` when the TLS handshake completes; fails it with the first error before that.
final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) { self.done = done }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { done.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(HTTPExchangeError.closedByPeer)
        context.fireChannelInactive()
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
