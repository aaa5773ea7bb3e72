import NIOCore
import NIOSSH
import OpsCore

/// Runs one command on a session channel (RFC 4254 §6.5) and reports its output and exit.
///
/// stdout and stderr arrive as separate channel data types (RFC 4254 §5.2); each is captured up to the
/// request's cap. The result promise completes exactly once: when the channel closes, or with an error
/// in `handlerRemoved` if it never did.
final class ExecHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private let request: ExecRequest
    private let onEvent: @Sendable (ExecEvent) -> Void
    private let result: EventLoopPromise<ExecResult>
    private var stdout: OutputCapture
    private var stderr: OutputCapture
    private var exitStatus: Int?
    private var exitSignal: String?
    private var timedOut = false
    private var started = false
    private var completed = false
    private var failure: (any Error)?
    private var startTime = ContinuousClock.now
    private var timeoutTask: Scheduled<Void>?

    init(request: ExecRequest, onEvent: @escaping @Sendable (ExecEvent) -> Void, result: EventLoopPromise<ExecResult>) {
        self.request = request
        self.onEvent = onEvent
        self.result = result
        self.stdout = OutputCapture(cap: request.outputCap)
        self.stderr = OutputCapture(cap: request.outputCap)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        startTime = .now
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let exec = SSHChannelRequestEvent.ExecRequest(command: request.command, wantReply: true)
        context.triggerUserOutboundEvent(exec).whenFailure { error in
            loopBound.value.handler.fail(error, context: loopBound.value.context)
        }
        let nanoseconds =
            request.timeout.components.seconds * 1_000_000_000
            + request.timeout.components.attoseconds / 1_000_000_000
        timeoutTask = context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            let (handler, context) = loopBound.value
            handler.timedOut = true
            // Ask the server to stop the command (RFC 4254 §6.9), report at once, and close the channel
            // without waiting for the server: a command that ignores the signal cannot hold the run.
            context.triggerUserOutboundEvent(SSHChannelRequestEvent.SignalRequest(signal: "TERM"), promise: nil)
            handler.complete()
            context.close(promise: nil)
        }
        onEvent(.started)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(let buffer) = message.data else { return }
        let bytes = buffer.readableBytesView
        switch message.type {
        case .channel:
            let kept = stdout.append(bytes)
            if !kept.isEmpty { onEvent(.output(.stdout, Array(kept))) }
        case .stdErr:
            let kept = stderr.append(bytes)
            if !kept.isEmpty { onEvent(.output(.stderr, Array(kept))) }
        default:
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let status as SSHChannelRequestEvent.ExitStatus:
            exitStatus = status.exitStatus
        case let signal as SSHChannelRequestEvent.ExitSignal:
            exitSignal = signal.signalName
        case is ChannelSuccessEvent:
            sendStandardInput(context: context)
        case is ChannelFailureEvent:
            fail(
                SSHConnectionError(stage: .exec, target: "", message: "the server refused to run the command"),
                context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Writes the request's stdin (flow-controlled by the channel window) and then EOF (RFC 4254 §5.3).
    private func sendStandardInput(context: ChannelHandlerContext) {
        if let bytes = request.stdin, !bytes.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.write(wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(buffer))), promise: nil)
        }
        context.flush()
        context.close(mode: .output, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        if failure == nil { failure = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        complete()
    }

    private func complete() {
        guard !completed else { return }
        completed = true
        timeoutTask?.cancel()
        if let failure, !timedOut {
            result.fail(failure)
            return
        }
        result.succeed(
            ExecResult(
                exitStatus: timedOut ? nil : exitStatus, exitSignal: exitSignal, stdout: stdout.text,
                stderr: stderr.text,
                stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated, timedOut: timedOut,
                duration: ContinuousClock.now - startTime))
    }
}
