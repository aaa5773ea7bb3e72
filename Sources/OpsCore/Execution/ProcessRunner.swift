import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a local program with the same contract as a remote exec: separate stdout and stderr streamed
/// as they arrive, each captured up to the cap, exit status or signal, and a timeout after which the
/// process group gets SIGTERM and, two seconds later, SIGKILL. Used by the `local` and `openssh`
/// transports.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`; `environment` replaces the inherited one when given.
    public static func run(
        executable: String, arguments: [String], environment: [String: String]? = nil, request: ExecRequest,
        onEvent: @escaping @Sendable (ExecEvent) -> Void = { _ in }
    ) async throws -> ExecResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        let state = RunState(cap: request.outputCap)

        let start = ContinuousClock.now
        return try await withCheckedThrowingContinuation { continuation in
            let group = DispatchGroup()
            for (pipe, stream) in [(stdoutPipe, ExecStream.stdout), (stderrPipe, .stderr)] {
                group.enter()
                pipe.fileHandleForReading.readabilityHandler = { handle in
                    let data = handle.availableData
                    if data.isEmpty {
                        handle.readabilityHandler = nil
                        group.leave()
                        return
                    }
                    let kept = state.append(Array(data), to: stream)
                    if !kept.isEmpty { onEvent(.output(stream, kept)) }
                }
            }
            group.enter()
            process.terminationHandler = { _ in group.leave() }
            do {
                try process.run()
            } catch {
                stdoutPipe.fileHandleForReading.readabilityHandler = nil
                stderrPipe.fileHandleForReading.readabilityHandler = nil
                continuation.resume(throwing: error)
                return
            }
            onEvent(.started)
            let pid = process.processIdentifier
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(
                deadline: .now()
                    + .nanoseconds(
                        Int(
                            request.timeout.components.seconds * 1_000_000_000 + request.timeout.components.attoseconds
                                / 1_000_000_000)))
            timer.setEventHandler {
                state.markTimedOut()
                kill(pid, SIGTERM)
                DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                    if process.isRunning { kill(pid, SIGKILL) }
                }
            }
            timer.resume()
            group.notify(queue: .global()) {
                timer.cancel()
                let signalled = process.terminationReason == .uncaughtSignal
                let status = Int(process.terminationStatus)
                continuation.resume(
                    returning: state.result(
                        exitStatus: signalled ? nil : status,
                        exitSignal: signalled ? SignalName.name(Int32(status)) : nil,
                        duration: ContinuousClock.now - start))
            }
        }
    }
}

/// Output and flags of one run, shared by the pipe handlers.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var stdout: OutputCapture
    private var stderr: OutputCapture
    private var timedOut = false

    init(cap: Int) {
        stdout = OutputCapture(cap: cap)
        stderr = OutputCapture(cap: cap)
    }

    func append(_ bytes: [UInt8], to stream: ExecStream) -> [UInt8] {
        lock.withLock {
            switch stream {
            case .stdout: Array(stdout.append(bytes))
            case .stderr: Array(stderr.append(bytes))
            }
        }
    }

    func markTimedOut() { lock.withLock { timedOut = true } }

    func result(exitStatus: Int?, exitSignal: String?, duration: Duration) -> ExecResult {
        lock.withLock {
            ExecResult(
                exitStatus: timedOut ? nil : exitStatus, exitSignal: timedOut ? nil : exitSignal, stdout: stdout.text,
                stderr: stderr.text, stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated,
                timedOut: timedOut, duration: duration)
        }
    }
}

/// POSIX signal names as SSH reports them (RFC 4254 §6.10: without the "SIG" prefix).
public enum SignalName {
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGHUP: "HUP"
        case SIGINT: "INT"
        case SIGQUIT: "QUIT"
        case SIGILL: "ILL"
        case SIGABRT: "ABRT"
        case SIGFPE: "FPE"
        case SIGKILL: "KILL"
        case SIGSEGV: "SEGV"
        case SIGPIPE: "PIPE"
        case SIGALRM: "ALRM"
        case SIGTERM: "TERM"
        case SIGUSR1: "USR1"
        case SIGUSR2: "USR2"
        default: "SIG\(number)"
        }
    }
}
