import Logging
import NIOCore
import NIOPosix
import NIOSSH
import OpsCore

#if canImport(Glibc)
    import Glibc
#endif

/// An authenticated SSH connection to one endpoint, directly or tunnelled through a bastion
/// (direct-tcpip, as OpenSSH's ProxyJump does). Run commands with ``execute(_:onEvent:)``; several may
/// run at once as separate channels. Close it with ``close()``.
public final class SSHConnection: Sendable {
    /// The endpoint this connection reaches.
    public let endpoint: SSHEndpoint
    let channel: any Channel
    /// The bastion connection this one is tunnelled through, closed with it.
    let bastion: SSHConnection?
    /// How long connect, handshake, host key check and authentication took.
    public let timings: [SSHStage: Duration]

    private init(endpoint: SSHEndpoint, channel: any Channel, bastion: SSHConnection?, timings: [SSHStage: Duration]) {
        self.endpoint = endpoint
        self.channel = channel
        self.bastion = bastion
        self.timings = timings
    }

    /// Connects and authenticates, verifying the host key first. `through` tunnels via an
    /// authenticated bastion connection, which the new connection then owns.
    public static func connect(
        to endpoint: SSHEndpoint, through bastion: SSHConnection? = nil, hostKeys: any HostKeyStore,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "pcm-ops.ssh")
    ) async throws -> SSHConnection {
        let progress = ConnectProgress()
        let eventLoop = bastion?.channel.eventLoop ?? group.next()
        let authenticated = eventLoop.makePromise(of: Void.self)
        let timeout = eventLoop.scheduleTask(in: .nanoseconds(endpoint.connectTimeout.nanoseconds)) {
            authenticated.fail(
                SSHConnectionError(
                    stage: progress.stage, target: endpoint.name,
                    message: "timed out after \(endpoint.connectTimeout) at the \(progress.stage.rawValue) stage"))
        }
        defer { timeout.cancel() }
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Void> = { channel in
            channel.eventLoop.makeCompletedFuture {
                let configuration = SSHClientConfiguration(
                    userAuthDelegate: UserAuthenticator(endpoint: endpoint, progress: progress),
                    serverAuthDelegate: HostKeyValidator(endpoint: endpoint, store: hostKeys, progress: progress))
                let ssh = NIOSSHHandler(
                    role: .client(configuration), allocator: channel.allocator, inboundChildChannelInitializer: nil)
                try channel.pipeline.syncOperations.addHandler(ssh)
                try channel.pipeline.syncOperations.addHandler(ConnectionStateHandler(authenticated: authenticated))
            }
        }

        let channel: any Channel
        do {
            if let bastion {
                channel = try await bastion.openTunnel(to: endpoint) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SSHChannelDataUnwrapper())
                    }.flatMap { initializer(channel) }
                }
            } else {
                channel = try await ClientBootstrap(group: eventLoop)
                    .connectTimeout(.nanoseconds(endpoint.connectTimeout.nanoseconds))
                    .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer(initializer)
                    .connect(host: endpoint.host, port: endpoint.port).get()
            }
        } catch {
            authenticated.fail(error)
            await bastion?.close()
            throw SSHConnectionError(
                stage: .connect, target: endpoint.name,
                message: "cannot reach \(endpoint.host):\(endpoint.port): \(Self.reason(error))")
        }
        progress.reached(.handshake)
        do {
            try await authenticated.futureResult.get()
        } catch {
            channel.close(promise: nil)
            await bastion?.close()
            let classified = progress.classify(error, target: endpoint.name)
            logger.notice(
                "ssh connect failed",
                metadata: ["target": .string(endpoint.name), "stage": .string(classified.stage.rawValue)])
            throw classified
        }
        return SSHConnection(endpoint: endpoint, channel: channel, bastion: bastion, timings: progress.timings())
    }

    /// Runs `request` on a new session channel; `onEvent` sees output as it arrives (on the event loop).
    public func execute(
        _ request: ExecRequest, onEvent: @escaping @Sendable (ExecEvent) -> Void = { _ in }
    ) async throws -> ExecResult {
        let result = channel.eventLoop.makePromise(of: ExecResult.self)
        let opened = channel.eventLoop.makePromise(of: (any Channel).self)
        let channel = channel
        channel.eventLoop.execute {
            do {
                let ssh = try channel.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
                ssh.createChannel(opened, channelType: .session) { child, _ in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(
                            ExecHandler(request: request, onEvent: onEvent, result: result))
                    }.flatMap { child.setOption(ChannelOptions.allowRemoteHalfClosure, value: true) }
                }
            } catch {
                opened.fail(error)
            }
        }
        do {
            _ = try await opened.futureResult.get()
        } catch {
            result.fail(error)
            throw SSHConnectionError(
                stage: .exec, target: endpoint.name, message: "cannot open a session channel: \(error)")
        }
        do {
            // Cancelling the task stops the command: signal it (RFC 4254 §6.9) and close the channel.
            return try await withTaskCancellationHandler {
                try await result.futureResult.get()
            } onCancel: {
                opened.futureResult.whenSuccess { child in
                    child.triggerUserOutboundEvent(SSHChannelRequestEvent.SignalRequest(signal: "TERM"), promise: nil)
                    child.close(promise: nil)
                }
            }
        } catch let error as SSHConnectionError {
            throw SSHConnectionError(stage: .exec, target: endpoint.name, message: error.message)
        } catch {
            throw SSHConnectionError(stage: .exec, target: endpoint.name, message: "the connection was lost: \(error)")
        }
    }

    /// Runs `request`, then closes the connection whatever happened (one command per connection).
    public func executeThenClose(
        _ request: ExecRequest, onEvent: @escaping @Sendable (ExecEvent) -> Void = { _ in }
    ) async throws -> ExecResult {
        do {
            let result = try await execute(request, onEvent: onEvent)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }

    /// Opens a direct-tcpip channel to `endpoint` through this connection (RFC 4254 §7.2).
    func openTunnel(
        to endpoint: SSHEndpoint, initializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> any Channel {
        let opened = channel.eventLoop.makePromise(of: (any Channel).self)
        let channel = channel
        channel.eventLoop.execute {
            do {
                let ssh = try channel.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
                let originator = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
                ssh.createChannel(
                    opened,
                    channelType: .directTCPIP(
                        .init(targetHost: endpoint.host, targetPort: endpoint.port, originatorAddress: originator))
                ) { child, _ in initializer(child) }
            } catch {
                opened.fail(error)
            }
        }
        return try await opened.futureResult.get()
    }

    /// The operating system's words for a failed connect ("Connection refused"), not NIO's wrapper types.
    static func reason(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return reason(first.error)
        }
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode))
        }
        if error is ChannelError { return "the connection timed out" }
        return String(describing: error)
    }

    /// Closes the connection (and the bastion connection it was tunnelled through).
    public func close() async {
        try? await channel.close()
        await bastion?.close()
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
