import Foundation
import Logging
import NIOConcurrencyHelpers
import OpsCore
import OpsWinRM
import Testing

@testable import OpsServer

/// A session that answers as told and counts what happens to it.
final class FakeWindowsSession: WindowsSession {
    enum Outcome: Sendable {
        case exit(Int)
        case timeout
        case fail(WinRMConnectionError)
    }

    struct Log: Sendable {
        var runs = 0
        var closes = 0
        var admin: [Bool] = []
    }

    let name: String
    private let outcomes: NIOLockedValueBox<[Outcome]>
    let log = NIOLockedValueBox(Log())
    /// Awaited before `.started` is reported (a slow connect).
    let gate: (@Sendable () async -> Void)?

    init(name: String, outcomes: [Outcome], gate: (@Sendable () async -> Void)? = nil) {
        self.name = name
        self.outcomes = NIOLockedValueBox(outcomes)
        self.gate = gate
    }

    func run(
        _ request: ExecRequest, requiresAdmin: Bool, onEvent: @escaping @Sendable (ExecEvent) -> Void
    ) async throws -> ExecResult {
        log.withLockedValue {
            $0.runs += 1
            $0.admin.append(requiresAdmin)
        }
        await gate?()
        let outcome = outcomes.withLockedValue { $0.isEmpty ? .exit(0) : $0.removeFirst() }
        switch outcome {
        case .fail(let error): throw error
        case .exit(let status):
            onEvent(.started)
            onEvent(.output(.stdout, Array("ran \(String(decoding: request.stdin ?? [], as: UTF8.self))\n".utf8)))
            return ExecResult(
                exitStatus: status, exitSignal: nil, stdout: "", stderr: "", stdoutTruncated: false,
                stderrTruncated: false, timedOut: false, duration: .milliseconds(1))
        case .timeout:
            onEvent(.started)
            return ExecResult(
                exitStatus: nil, exitSignal: nil, stdout: "", stderr: "", stdoutTruncated: false,
                stderrTruncated: false, timedOut: true, duration: .seconds(1))
        }
    }

    func close() async { log.withLockedValue { $0.closes += 1 } }
}

/// Makes fake sessions and keeps them, in order.
final class FakeSessionFactory: Sendable {
    let made = NIOLockedValueBox<[FakeWindowsSession]>([])
    let outcomes: NIOLockedValueBox<[[FakeWindowsSession.Outcome]]>
    let gate: (@Sendable () async -> Void)?

    init(outcomes: [[FakeWindowsSession.Outcome]] = [], gate: (@Sendable () async -> Void)? = nil) {
        self.outcomes = NIOLockedValueBox(outcomes)
        self.gate = gate
    }

    var pool: WinRMSessionPool {
        WinRMSessionPool { [self] target, _ in
            let script = outcomes.withLockedValue { $0.isEmpty ? [] : $0.removeFirst() }
            let session = FakeWindowsSession(name: target.name, outcomes: script, gate: gate)
            made.withLockedValue { $0.append(session) }
            return session
        }
    }

    var sessions: [FakeWindowsSession] { made.withLockedValue { $0 } }
}

@Suite("WinRM sessions of a run")
struct WinRMSessionPoolTests {
    static func target(_ name: String) -> WinRMTarget {
        WinRMTarget(
            name: name, endpoint: WinRMEndpoint(host: "127.0.0.1", port: 5985),
            credential: WinRMCredential(login: "ops", password: "pw"))
    }

    static func run(
        _ pool: WinRMSessionPool, _ target: String, admin: Bool = false, limiter: ConcurrencyLimiter = .init(limit: 4)
    ) async throws -> ExecResult {
        try await pool.run(
            ExecRequest(command: "", stdin: Array("step".utf8)), on: Self.target(target), requiresAdmin: admin,
            handshakes: limiter, logger: Logger(label: "test"), onEvent: { _ in })
    }

    @Test func oneSessionServesEveryStepOfATarget() async throws {
        // setup
        let factory = FakeSessionFactory()
        let pool = factory.pool

        // act
        for _ in 0..<3 { _ = try await Self.run(pool, "w1") }
        _ = try await Self.run(pool, "w2", admin: true)
        await pool.closeAll()

        // assert
        #expect(factory.sessions.map(\.name) == ["w1", "w2"])
        #expect(factory.sessions[0].log.withLockedValue { $0.runs } == 3)
        #expect(factory.sessions[1].log.withLockedValue { $0.admin } == [true])
        #expect(factory.sessions.allSatisfy { $0.log.withLockedValue { $0.closes } == 1 })
        #expect(pool.count == 0)
    }

    @Test func aFailedSessionIsClosedAndReplacedAtTheNextStep() async throws {
        // setup
        let lost = WinRMConnectionError(stage: .exec, target: "w1", message: "connection reset")
        let factory = FakeSessionFactory(outcomes: [[.exit(0), .fail(lost)], [.exit(0)]])
        let pool = factory.pool

        // act
        _ = try await Self.run(pool, "w1")
        await #expect(throws: lost) { try await Self.run(pool, "w1") }
        _ = try await Self.run(pool, "w1")

        // assert
        #expect(factory.sessions.count == 2)
        #expect(factory.sessions[0].log.withLockedValue { $0.closes } == 1)
        #expect(factory.sessions[1].log.withLockedValue { $0.closes } == 0)
    }

    @Test func aTimedOutScriptReplacesTheSessionButAnAdminRefusalDoesNot() async throws {
        // setup
        let notElevated = WinRMConnectionError(stage: .admin, target: "w1", message: "the session is not elevated")
        let factory = FakeSessionFactory(outcomes: [[.fail(notElevated), .exit(0), .timeout], [.exit(0)]])
        let pool = factory.pool

        // act
        await #expect(throws: notElevated) { try await Self.run(pool, "w1", admin: true) }
        let next = try await Self.run(pool, "w1")
        let slow = try await Self.run(pool, "w1")
        _ = try await Self.run(pool, "w1")

        // assert
        #expect(next.exitStatus == 0)
        #expect(slow.timedOut)
        #expect(factory.sessions.count == 2)
        #expect(factory.sessions[0].log.withLockedValue { ($0.runs, $0.closes) } == (3, 1))
    }

    @Test func afterTheRunEndsNoSessionIsMade() async throws {
        let factory = FakeSessionFactory()
        let pool = factory.pool
        await pool.closeAll()
        await #expect(throws: TransportFailure(stage: "connect", message: "the run has ended")) {
            try await Self.run(pool, "w1")
        }
        #expect(factory.sessions.isEmpty)
    }

    @Test func newSessionsHoldAHandshakePermitUntilTheirScriptStarts() async throws {
        // setup: a limit of one; the first session's connect waits until released.
        let release = AsyncStream.makeStream(of: Void.self)
        let arrived = AsyncStream.makeStream(of: Void.self)
        let gateOnce = NIOLockedValueBox(true)
        let factory = FakeSessionFactory(gate: {
            guard
                gateOnce.withLockedValue({
                    let first = $0; $0 = false; return first
                })
            else { return }
            arrived.continuation.yield()
            for await _ in release.stream { return }
        })
        let pool = factory.pool
        let limiter = ConcurrencyLimiter(limit: 1)

        // act
        let first = Task { try await Self.run(pool, "w1", limiter: limiter) }
        for await _ in arrived.stream { break }
        let second = Task { try await Self.run(pool, "w2", limiter: limiter) }
        try await Task.sleep(for: .milliseconds(100))
        let waitingWhileConnecting = await limiter.waiting
        release.continuation.yield()
        _ = try await first.value
        _ = try await second.value
        // A target's second step makes no handshake: it holds no permit even when none is free.
        try await limiter.acquire()
        let reused = Task { try await Self.run(pool, "w1", limiter: limiter) }
        let reusedResult = try await reused.value
        await limiter.release()

        // assert
        #expect(waitingWhileConnecting == 1)
        #expect(await limiter.running == 0)
        #expect(reusedResult.exitStatus == 0)
    }
}
