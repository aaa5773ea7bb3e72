import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import OpsCore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a local program with the same contract as a remote exec: stdout and stderr streamed
/// separately as they arrive, each captured up to the cap, exit status or signal, and a timeout after
/// which the program's process group gets SIGTERM and, two seconds later, SIGKILL. Used by the `local`
/// and `openssh` transports.
///
/// The program is started with posix_spawn in a process group of its own; every descriptor of ours is
/// close-on-exec, so it inherits only its three standard streams. Its output pipes are read by SwiftNIO
/// (epoll), so hundreds may run at once without a thread each.
///
/// Without an explicit `environment` the program gets ``LocalEnvironment/minimal(extra:)``, never the
/// server's own environment (which holds its secrets).
public enum ProcessRunner {
    public static func run(
        executable: String, arguments: [String], environment: [String: String]? = nil, request: ExecRequest,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onEvent: @escaping @Sendable (ExecEvent) -> Void = { _ in }
    ) async throws -> ExecResult {
        let state = ProcessOutput(cap: request.outputCap)
        let start = ContinuousClock.now
        let spawned = try Spawn.start(
            executable: executable, arguments: arguments,
            environment: environment ?? LocalEnvironment.minimal(), withInput: request.stdin != nil)
        onEvent(.started)

        let eventLoop = group.next()
        // The clock runs from the start, armed before anything awaits: a task that resumes late (a busy
        // machine) must not give the program more time than it was allowed.
        let pid = spawned.pid
        let timeout = eventLoop.scheduleTask(in: .nanoseconds(request.timeout.nanoseconds)) {
            state.markTimedOut()
            kill(-pid, SIGTERM)
            eventLoop.scheduleTask(in: .seconds(2)) { kill(-pid, SIGKILL) }
        }
        let stdoutDone = eventLoop.makePromise(of: Void.self)
        let stderrDone = eventLoop.makePromise(of: Void.self)
        for (fd, stream, done) in [
            (spawned.stdout, ExecStream.stdout, stdoutDone), (spawned.stderr, .stderr, stderrDone),
        ] {
            do {
                _ = try await NIOPipeBootstrap(group: eventLoop)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                PipeReader(stream: stream, output: state, onEvent: onEvent, done: done))
                        }
                    }
                    .takingOwnershipOfDescriptor(input: fd).get()
            } catch {
                close(fd)
                done.succeed(())
            }
        }

        // Feed stdin while the output is read: a child that writes before it has read everything
        // must not block on a full pipe while we block on its stdin.
        // A child that exits before reading all its input makes our writes fail with EPIPE; the
        // signal that would come with it must not end this process (children get SIG_DFL back).
        if spawned.stdin != nil { signal(SIGPIPE, SIG_IGN) }
        let input: Task<Void, Never>? = spawned.stdin.map { fd in
            Task { await writeInput(request.stdin ?? [], to: fd, group: group) }
        }
        // Cancelling the task stops the program the same way a timeout does.
        await withTaskCancellationHandler {
            try? await stdoutDone.futureResult.and(stderrDone.futureResult).get()
        } onCancel: {
            kill(-pid, SIGTERM)
            eventLoop.scheduleTask(in: .seconds(2)) { kill(-pid, SIGKILL) }
        }
        let status = await Spawn.waitForExit(pid)
        await input?.value
        timeout.cancel()
        return state.result(status: status, duration: ContinuousClock.now - start)
    }
}

extension ProcessRunner {
    /// Writes `bytes` to the child's stdin without blocking a thread, then closes it (EOF). A child
    /// that exits without reading just ends the write.
    static func writeInput(_ bytes: [UInt8], to fd: CInt, group: any EventLoopGroup) async {
        do {
            let channel = try await NIOPipeBootstrap(group: group).takingOwnershipOfDescriptor(output: fd).get()
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            try? await channel.writeAndFlush(buffer)
            try? await channel.close()
        } catch {
            close(fd)
        }
    }
}

/// Reads one output pipe into the shared capture.
private final class PipeReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let stream: ExecStream
    let output: ProcessOutput
    let onEvent: @Sendable (ExecEvent) -> Void
    let done: EventLoopPromise<Void>

    init(
        stream: ExecStream, output: ProcessOutput, onEvent: @escaping @Sendable (ExecEvent) -> Void,
        done: EventLoopPromise<Void>
    ) {
        self.stream = stream
        self.output = output
        self.onEvent = onEvent
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let kept = output.append(Array(buffer.readableBytesView), to: stream)
        if !kept.isEmpty { onEvent(.output(stream, kept)) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.succeed(())
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        done.succeed(())
    }
}

/// The captured output and flags of one run.
private final class ProcessOutput: Sendable {
    private struct State {
        var stdout: OutputCapture
        var stderr: OutputCapture
        var timedOut = false
    }

    private let state: NIOLockedValueBox<State>

    init(cap: Int) {
        state = NIOLockedValueBox(State(stdout: OutputCapture(cap: cap), stderr: OutputCapture(cap: cap)))
    }

    func append(_ bytes: [UInt8], to stream: ExecStream) -> [UInt8] {
        state.withLockedValue {
            switch stream {
            case .stdout: Array($0.stdout.append(bytes))
            case .stderr: Array($0.stderr.append(bytes))
            }
        }
    }

    func markTimedOut() { state.withLockedValue { $0.timedOut = true } }

    /// `status` as waitpid reports it.
    func result(status: Int32, duration: Duration) -> ExecResult {
        let signal = status & 0x7f
        return state.withLockedValue {
            ExecResult(
                exitStatus: $0.timedOut || signal != 0 ? nil : Int((status >> 8) & 0xff),
                exitSignal: $0.timedOut || signal == 0 ? nil : SignalName.name(signal),
                stdout: $0.stdout.text, stderr: $0.stderr.text, stdoutTruncated: $0.stdout.truncated,
                stderrTruncated: $0.stderr.truncated, timedOut: $0.timedOut, duration: duration)
        }
    }
}
