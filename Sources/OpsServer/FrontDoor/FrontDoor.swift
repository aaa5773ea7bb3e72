import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Vapor

/// The socket people connect to. Vapor's HTTP server has no place for handlers of our own on an
/// accepted connection, so it listens on a loopback port and the front door stands before it:
/// per connection it caps connections per client address, closes clients too slow to send a
/// request header or idle too long (``ConnectionGuardHandler``), and relays the rest
/// (``ClientRelayHandler``), telling the server which client each relayed connection carries
/// (``FrontDoorPeers``). A client that never completes a header never reaches the server.
final class FrontDoor: Server, Sendable {
    /// Why the front door could not start.
    enum StartError: Error, CustomStringConvertible {
        case backendWithoutAddress
        case syncStartUnsupported

        var description: String {
            switch self {
            case .backendWithoutAddress: "the HTTP server behind the front door has no address"
            case .syncStartUnsupported: "the front door starts only with the async start(address:)"
            }
        }
    }

    private let backend: HTTPServer
    private let host: String
    private let port: Int
    private let config: ConnectionConfig
    private let peers: FrontDoorPeers
    private let logger: Logger
    private let group: any EventLoopGroup
    private let counter: ClientConnectionCounter
    private let listener = NIOLockedValueBox<(any Channel)?>(nil)

    init(
        backend: HTTPServer, host: String, port: Int, config: ConnectionConfig, peers: FrontDoorPeers,
        logger: Logger, group: any EventLoopGroup
    ) {
        self.backend = backend
        self.host = host
        self.port = port
        self.config = config
        self.peers = peers
        self.logger = logger
        self.group = group
        self.counter = ClientConnectionCounter(limit: config.maxConnectionsPerClient)
    }

    /// Makes `app` serve through a front door on `host`:`port` with `config`'s limits.
    static func install(on app: Application, host: String, port: Int, config: ConnectionConfig) {
        let peers = FrontDoorPeers()
        app.frontDoorPeers = peers
        // The loopback server's own start and stop lines would name the wrong address.
        var quiet = app.logger
        quiet.logLevel = max(quiet.logLevel, .warning)
        app.http.server.configuration.logger = quiet
        let door = FrontDoor(
            backend: app.http.server.shared, host: host, port: port, config: config, peers: peers,
            logger: app.logger, group: app.eventLoopGroup)
        app.servers.use { _ in door }
    }

    var onShutdown: EventLoopFuture<Void> {
        guard let channel = listener.withLockedValue({ $0 }) else {
            return group.next().makeSucceededVoidFuture()
        }
        return channel.closeFuture
    }

    /// The address the front door listens on, once started.
    var localAddress: SocketAddress? { listener.withLockedValue { $0 }?.localAddress }

    func start(address: BindAddress?) throws {
        throw StartError.syncStartUnsupported
    }

    func start(address: BindAddress?) async throws {
        var host = host
        var port = port
        if case .hostname(let givenHost, let givenPort) = address {
            host = givenHost ?? host
            port = givenPort ?? port
        }
        try await backend.start(address: .hostname("127.0.0.1", port: 0))
        guard let backendAddress = backend.localAddress else {
            await backend.shutdown()
            throw StartError.backendWithoutAddress
        }
        let channel: any Channel
        do {
            channel = try await bootstrap(backend: backendAddress).bind(host: host, port: port).get()
        } catch {
            await backend.shutdown()
            throw error
        }
        listener.withLockedValue { $0 = channel }
        logger.notice(
            "Server started on http://\(host):\(channel.localAddress?.port ?? port)",
            metadata: [
                "header_timeout": .stringConvertible(config.headerTimeout),
                "idle_timeout": .stringConvertible(config.idleTimeout),
                "max_connections_per_client": .stringConvertible(config.maxConnectionsPerClient),
            ])
    }

    private func bootstrap(backend: SocketAddress) -> ServerBootstrap {
        let config = config
        let counter = counter
        let peers = peers
        let logger = logger
        return ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let client = channel.remoteAddress?.ipAddress ?? "-"
                let exempt = config.trustedProxies.contains { $0.contains(client) }
                guard counter.admit(channel, from: client, exempt: exempt) else {
                    logger.debug(
                        "refused a connection over the per-client limit", metadata: ["client": .string(client)])
                    return channel.eventLoop.makeFailedFuture(ChannelError.inputClosed)
                }
                channel.closeFuture.whenComplete { _ in counter.release(channel, from: client) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ConnectionGuardHandler(
                            headerTimeout: .nanoseconds(Int64(config.headerTimeout * 1e9)),
                            idleTimeout: .nanoseconds(Int64(config.idleTimeout * 1e9)), logger: logger),
                        ClientRelayHandler(backend: backend, peers: peers, client: client, logger: logger),
                    ])
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
    }

    func shutdown() {
        listener.withLockedValue { $0 }?.close(promise: nil)
        backend.shutdown()
        for channel in counter.openChannels { channel.close(promise: nil) }
    }

    /// Stops accepting, lets the server behind finish the responses under way, then closes what is left.
    func shutdown() async {
        if let channel = listener.withLockedValue({ $0 }) {
            try? await channel.close()
        }
        await backend.shutdown()
        for channel in counter.openChannels { try? await channel.close() }
    }
}
