import Logging
import NIOCore

/// Closes a client connection that takes too long to send a request header, or that sits idle.
///
/// The header deadline runs from the moment the connection opens (and, for later requests on it,
/// from the first byte of each request) until the header is complete, however the bytes trickle
/// in, so a client dribbling one byte at a time is closed too. The idle timeout closes a
/// connection without traffic either way while it waits for a request or while the client is
/// sending one; while the server owes a response (a slow handler, a quiet event stream) it does
/// not apply, and after a protocol upgrade (WebSocket) neither does.
///
/// Bytes pass through unchanged; ``HTTPFraming`` only watches them. Fires ``RequestHeadReceived``
/// once, when the first request header is complete, so the connection to the server behind is
/// made only for clients that have sent one.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// User inbound event: the first complete request header has been passed on.
    struct RequestHeadReceived: Sendable {}

    /// Why the handler closed its connection.
    enum CloseReason: String, Sendable {
        case headerTimeout = "header timeout"
        case idleTimeout = "idle timeout"
    }

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let logger: Logger
    private var requests = HTTPFraming(kind: .request)
    private var responses = HTTPFraming(kind: .response)
    /// When the request header being received must be complete; nil when none is being waited for.
    private var headerDeadline: NIODeadline?
    private var lastActivity = NIODeadline.uptimeNanoseconds(0)
    /// Requests whose header arrived and whose final response has not ended.
    private var outstanding = 0
    private var sentFirstHead = false
    private var timer: (task: Scheduled<Void>, at: NIODeadline)?
    private var closed = false

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount, logger: Logger) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        timer?.task.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        lastActivity = context.eventLoop.now
        let events = requests.consume(buffer)
        context.fireChannelRead(data)
        for event in events {
            switch event {
            case .headStarted:
                if headerDeadline == nil { headerDeadline = context.eventLoop.now + headerTimeout }
            case .headComplete:
                headerDeadline = nil
                outstanding += 1
                responses.expectResponse(to: requests.lastMethod)
                if !sentFirstHead {
                    sentFirstHead = true
                    context.fireUserInboundEventTriggered(RequestHeadReceived())
                }
            case .messageComplete, .stoppedFollowing:
                break
            }
        }
        arm(context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        lastActivity = context.eventLoop.now
        for event in responses.consume(buffer) where event == .messageComplete {
            outstanding = max(0, outstanding - 1)
        }
        context.write(data, promise: promise)
        arm(context)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard timer == nil, !closed else { return }
        lastActivity = context.eventLoop.now
        headerDeadline = lastActivity + headerTimeout
        arm(context)
    }

    /// True when silence should end the connection: between requests or while the client sends one.
    private var idleApplies: Bool {
        !responses.hasStopped && (outstanding == 0 || requests.isMidMessage)
    }

    /// The next moment something may be due.
    private var nextCheck: NIODeadline? {
        let idle = idleApplies ? lastActivity + idleTimeout : nil
        switch (headerDeadline, idle) {
        case (let header?, let idle?): return min(header, idle)
        case (let header?, nil): return header
        case (nil, let idle?): return idle
        case (nil, nil): return nil
        }
    }

    /// Makes sure a timer fires at or before ``nextCheck``; a timer that fires early looks again.
    private func arm(_ context: ChannelHandlerContext) {
        guard !closed, let due = nextCheck else { return }
        if let timer, timer.at <= due { return }
        timer?.task.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: due) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.check(context)
        }
        timer = (task, due)
    }

    private func check(_ context: ChannelHandlerContext) {
        guard !closed else { return }
        let now = context.eventLoop.now
        if let headerDeadline, now >= headerDeadline {
            close(context, .headerTimeout)
        } else if idleApplies, now >= lastActivity + idleTimeout {
            close(context, .idleTimeout)
        } else {
            arm(context)
        }
    }

    private func close(_ context: ChannelHandlerContext, _ reason: CloseReason) {
        closed = true
        logger.debug(
            "closing a client connection",
            metadata: [
                "reason": .string(reason.rawValue),
                "client": .string(context.channel.remoteAddress?.ipAddress ?? "-"),
            ])
        context.fireUserInboundEventTriggered(reason)
        context.close(promise: nil)
    }
}
