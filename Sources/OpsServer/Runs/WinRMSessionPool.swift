import Logging
import NIOConcurrencyHelpers
import OpsCore
import OpsWinRM

/// What the pool needs of a WinRM session (``WinRMSession``; tests give a fake).
protocol WindowsSession: AnyObject, Sendable {
    func run(
        _ request: ExecRequest, requiresAdmin: Bool, onEvent: @escaping @Sendable (ExecEvent) -> Void
    ) async throws -> ExecResult
    func close() async
}

extension WinRMSession: WindowsSession {}

/// The WinRM sessions of one run, one per target: made at the target's first script and kept for the
/// next ones (NTLM authenticates a connection, and a shell costs a round trip, so each step would
/// otherwise pay both again); replaced at the next script after it failed or a script timed out; all
/// closed when the run ends, however it ends.
final class WinRMSessionPool: Sendable {
    typealias Factory = @Sendable (WinRMTarget, Logger) -> any WindowsSession

    private struct State {
        var sessions: [String: any WindowsSession] = [:]
        var closed = false
    }

    private let state = NIOLockedValueBox(State())
    private let makeSession: Factory

    init(makeSession: @escaping Factory = { WinRMSession(target: $0, logger: $1) }) {
        self.makeSession = makeSession
    }

    /// Runs a rendered PowerShell script on `target`'s session. A new session holds a permit of
    /// `handshakes` while it connects and authenticates (until the script has started).
    func run(
        _ request: ExecRequest, on target: WinRMTarget, requiresAdmin: Bool, handshakes: ConcurrencyLimiter,
        logger: Logger, onEvent: @escaping @Sendable (ExecEvent) -> Void
    ) async throws -> ExecResult {
        let (session, isNew) = try session(for: target, logger: logger)
        var permit: HandshakePermit?
        if isNew {
            try await handshakes.acquire()
            permit = HandshakePermit(handshakes)
        }
        do {
            let result = try await session.run(request, requiresAdmin: requiresAdmin) { [permit] event in
                if case .started = event { permit?.release() }
                onEvent(event)
            }
            await permit?.releaseNow()
            if result.timedOut { await discard(session, of: target.name) }
            return result
        } catch let error as WinRMConnectionError where error.stage == .admin {
            // The session works; it is only not elevated. Later steps that need no admin rights use it.
            await permit?.releaseNow()
            throw error
        } catch {
            await permit?.releaseNow()
            await discard(session, of: target.name)
            throw error
        }
    }

    /// Closes every session; a script started after this fails at `connect`.
    func closeAll() async {
        let sessions = state.withLockedValue { state in
            state.closed = true
            defer { state.sessions = [:] }
            return Array(state.sessions.values)
        }
        for session in sessions { await session.close() }
    }

    /// Sessions open now (for tests).
    var count: Int { state.withLockedValue { $0.sessions.count } }

    private func session(for target: WinRMTarget, logger: Logger) throws -> (any WindowsSession, Bool) {
        try state.withLockedValue { state in
            guard !state.closed else {
                throw TransportFailure(stage: "connect", message: "the run has ended")
            }
            if let session = state.sessions[target.name] { return (session, false) }
            var logger = logger
            logger[metadataKey: "target"] = .string(target.name)
            let session = makeSession(target, logger)
            state.sessions[target.name] = session
            return (session, true)
        }
    }

    private func discard(_ session: any WindowsSession, of name: String) async {
        let removed = state.withLockedValue { state in
            guard let current = state.sessions[name], current === session else { return false }
            state.sessions[name] = nil
            return true
        }
        if removed { await session.close() }
    }
}

/// A permit of the handshake limiter, given back exactly once: when the script starts, or when the
/// invocation ends, whichever comes first.
final class HandshakePermit: Sendable {
    private let limiter: ConcurrencyLimiter
    private let held = NIOLockedValueBox(true)

    init(_ limiter: ConcurrencyLimiter) {
        self.limiter = limiter
    }

    /// From a synchronous callback: gives the permit back on a task.
    func release() {
        if take() { Task { [limiter] in await limiter.release() } }
    }

    func releaseNow() async {
        if take() { await limiter.release() }
    }

    private func take() -> Bool {
        held.withLockedValue { held in
            defer { held = false }
            return held
        }
    }
}
