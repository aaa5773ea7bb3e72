/// Which script of a step an invocation runs.
public enum ScriptPhase: String, Sendable, Codable, CaseIterable {
    case action, validation, rollback
}

/// Names one invocation within a run: the target (by index in the run), the step, the phase.
public struct InvocationKey: Hashable, Sendable, CustomStringConvertible {
    public var target: Int
    public var step: Int
    public var phase: ScriptPhase

    public init(target: Int, step: Int, phase: ScriptPhase) {
        self.target = target
        self.step = step
        self.phase = phase
    }

    public var description: String { "t\(target)/s\(step)/\(phase.rawValue)" }
}

/// One script for one target: what a transport runs (DESIGN.md §6).
public struct Invocation: Sendable {
    public var key: InvocationKey
    /// The target's name, as the transport knows it.
    public var target: String
    /// The interpreter command (`bash -s`, …) with the rendered script as its standard input, and the
    /// step's timeout.
    public var request: ExecRequest
    /// Run with admin rights (`sudo -n` for a non-root login; an elevated session on Windows).
    public var requiresAdmin: Bool

    public init(key: InvocationKey, target: String, request: ExecRequest, requiresAdmin: Bool) {
        self.key = key
        self.target = target
        self.request = request
        self.requiresAdmin = requiresAdmin
    }
}

/// Why a transport could not run an invocation (it never ran, or the connection was lost).
public struct TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// connect, handshake, host_key, authentication, exec, admin, …
    public var stage: String
    public var message: String

    public init(stage: String, message: String) {
        self.stage = stage
        self.message = message
    }

    public var description: String { "\(stage): \(message)" }

    /// The run was cancelled while the invocation waited for a permit.
    public static let cancelledBeforeStart = TransportFailure(
        stage: "cancelled", message: "cancelled before it started")
}

/// What a transport reports for the invocations of a batch, in any interleaving; each invocation ends
/// with exactly one `finished`.
public enum TransportEvent: Sendable {
    case started(InvocationKey)
    case output(InvocationKey, ExecStream, [UInt8])
    case finished(InvocationKey, Result<ExecResult, TransportFailure>)
}

/// Runs batches of invocations (DESIGN.md §6). SSH runs each on its own channel with bounded
/// concurrency; SSM will send one command for up to 50 instances. When the consumer stops reading
/// the stream (the run was cancelled), the transport stops every invocation still running.
public protocol Transport: Sendable {
    func execute(_ batch: [Invocation]) -> AsyncStream<TransportEvent>
}

/// A transport that runs each invocation on its own through `runner` (which throws
/// ``TransportFailure`` for what went wrong), all of a batch at once, each
/// holding a permit of the process-wide `limiter` while it runs.
public struct PerInvocationTransport: Transport {
    public typealias Runner =
        @Sendable (Invocation, _ onEvent: @escaping @Sendable (ExecEvent) -> Void) async throws -> ExecResult

    let limiter: ConcurrencyLimiter
    let runner: Runner

    public init(limiter: ConcurrencyLimiter, runner: @escaping Runner) {
        self.limiter = limiter
        self.runner = runner
    }

    public func execute(_ batch: [Invocation]) -> AsyncStream<TransportEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: TransportEvent.self)
        let task = Task { [limiter, runner] in
            await withTaskGroup(of: Void.self) { group in
                for invocation in batch {
                    group.addTask {
                        let key = invocation.key
                        do {
                            try await limiter.acquire()
                        } catch {
                            continuation.yield(.finished(key, .failure(.cancelledBeforeStart)))
                            return
                        }
                        let result: Result<ExecResult, TransportFailure>
                        do {
                            result = .success(
                                try await runner(invocation) { event in
                                    switch event {
                                    case .started: continuation.yield(.started(key))
                                    case .output(let stream, let bytes): continuation.yield(.output(key, stream, bytes))
                                    }
                                })
                        } catch let failure as TransportFailure {
                            result = .failure(failure)
                        } catch {
                            result = .failure(
                                Task.isCancelled
                                    ? TransportFailure(stage: "cancelled", message: "cancelled")
                                    : TransportFailure(stage: "exec", message: String(describing: error)))
                        }
                        await limiter.release()
                        continuation.yield(.finished(key, result))
                    }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
