import Logging
import NIOCore
import NIOPosix

/// The client side of a front door connection: holds the client's bytes until its first request
/// header is complete (``ConnectionGuardHandler/RequestHeadReceived``), then connects to the
/// server behind on the same event loop and relays both ways, reading from one side only while
/// the other can take more (back-pressure). Either side closing closes the other once what was
/// already written has gone out.
final class ClientRelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case waiting(pending: [ByteBuffer])
        case connecting(pending: [ByteBuffer])
        case relaying(backend: any Channel)
        case closed
    }

    private var state = State.waiting(pending: [])
    private let backend: SocketAddress
    private let peers: FrontDoorPeers
    private let client: String
    private let logger: Logger

    init(backend: SocketAddress, peers: FrontDoorPeers, client: String, logger: Logger) {
        self.backend = backend
        self.peers = peers
        self.client = client
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch state {
        case .waiting(var pending):
            pending.append(buffer)
            state = .waiting(pending: pending)
        case .connecting(var pending):
            pending.append(buffer)
            state = .connecting(pending: pending)
        case .relaying(let backend):
            backend.write(buffer, promise: nil)
        case .closed:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .relaying(let backend) = state { backend.flush() }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ConnectionGuardHandler.RequestHeadReceived, case .waiting(let pending) = state {
            connect(context, pending: pending)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .relaying(let backend) = state {
            backend.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .relaying(let backend) = state { Self.closeAfterWrites(backend) }
        state = .closed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func connect(_ context: ChannelHandlerContext, pending: [ByteBuffer]) {
        state = .connecting(pending: pending)
        let clientChannel = context.channel
        // Nothing more is read from the client until the server can take it.
        clientChannel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        let peers = peers
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        BackendRelayHandler(client: clientChannel, peers: peers))
                }
            }
            .connect(to: backend)
            .whenComplete { result in
                let (handler, context) = loopBound.value
                handler.connected(context, result)
            }
    }

    private func connected(_ context: ChannelHandlerContext, _ result: Result<any Channel, any Error>) {
        switch (state, result) {
        case (.connecting(let pending), .success(let backend)):
            if let port = backend.localAddress?.port { peers.register(backendPort: port, client: client) }
            for buffer in pending { backend.write(buffer, promise: nil) }
            backend.flush()
            state = .relaying(backend: backend)
            context.channel.setOption(ChannelOptions.autoRead, value: backend.isWritable).whenFailure { _ in }
        case (_, .success(let backend)):
            // The client went away while the connection was being made.
            backend.close(promise: nil)
        case (_, .failure(let error)):
            logger.error("cannot reach the server behind the front door", metadata: ["error": "\(error)"])
            state = .closed
            context.close(promise: nil)
        }
    }

    /// Closes `channel` once the writes already queued on it have gone out.
    static func closeAfterWrites(_ channel: any Channel) {
        channel.writeAndFlush(ByteBuffer()).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// The server side of a front door connection (see ``ClientRelayHandler``).
final class BackendRelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let client: any Channel
    private let peers: FrontDoorPeers
    private var port: Int?

    init(client: any Channel, peers: FrontDoorPeers) {
        self.client = client
        self.peers = peers
    }

    func channelActive(context: ChannelHandlerContext) {
        port = context.channel.localAddress?.port
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        client.write(unwrapInboundIn(data), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        client.flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        client.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let port { peers.remove(backendPort: port) }
        ClientRelayHandler.closeAfterWrites(client)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
