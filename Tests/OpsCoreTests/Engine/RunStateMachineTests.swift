import Foundation
import Testing

@testable import OpsCore

@Suite("Run and execution state machines")
struct RunStateMachineTests {
    @Test func terminalStatesHaveNoWayOut() {
        for status in ExecutionStatus.allCases where status.isTerminal {
            #expect(ExecutionStatus.allCases.allSatisfy { !status.canTransition(to: $0) })
        }
        for status in RunStatus.allCases where status.isTerminal {
            #expect(RunStatus.allCases.allSatisfy { !status.canTransition(to: $0) })
        }
        #expect(ExecutionStatus.pending.canTransition(to: .running))
        #expect(!ExecutionStatus.running.canTransition(to: .pending))
    }

    @Test func finalRunStatus() {
        #expect(RunStatus.final(targetsSucceeded: [true, true], cancelled: false) == .succeeded)
        #expect(RunStatus.final(targetsSucceeded: [true, false], cancelled: false) == .partiallyFailed)
        #expect(RunStatus.final(targetsSucceeded: [false, false], cancelled: false) == .failed)
        #expect(RunStatus.final(targetsSucceeded: [true], cancelled: true) == .cancelled)
    }

    /// Random fleets, random outcomes, random policies and limits: whatever happens, every step of every
    /// target ends exactly once in a terminal state, never before it started when it ran, and the
    /// summary agrees with what was reported.
    @Test(arguments: 0..<40)
    func everyExecutionEndsExactlyOnceInATerminalState(seed: Int) async {
        // setup
        var random = SeededRandom(seed: UInt64(seed + 1))
        let targets = Int.random(in: 1...25, using: &random)
        let policies: [FailurePolicy] = [.stop, .continue, .rollback]
        let steps = (0..<Int.random(in: 1...3, using: &random)).map { index in
            PlanFixture.step(
                "s\(index)", validation: Bool.random(using: &random), rollback: Bool.random(using: &random),
                onFailure: policies.randomElement(using: &random) ?? .stop)
        }
        let failRate = Int.random(in: 0...60, using: &random)
        let outcomes = (0..<(targets * steps.count * 3)).map { _ in Int.random(in: 0..<100, using: &random) }
        let fake = FakeTransport { target, key in
            let index =
                (Int(target.dropFirst()) ?? 0) * 9 + key.step * 3 + ScriptPhase.allCases.firstIndex(of: key.phase)!
            let roll = outcomes[index % outcomes.count]
            if roll < failRate / 3 { return FakeBehaviour(timedOut: true) }
            if roll < failRate / 2 {
                return FakeBehaviour(failure: TransportFailure(stage: "connect", message: "refused"))
            }
            return FakeBehaviour(exitStatus: roll < failRate ? 1 : 0, delay: .microseconds(roll * 10))
        }
        let observer = RecordingObserver()
        let plan = PlanFixture.plan(
            targets: targets, steps: steps, concurrency: Int.random(in: 1...8, using: &random),
            maxErrors: Int.random(in: 0...5, using: &random))
        let cancelAfter = seed % 4 == 0 ? Int.random(in: 0...20, using: &random) : nil
        // act
        let engine = RunEngine(plan: plan, transport: fake.transport, observer: observer)
        let run = Task { await engine.run() }
        if let cancelAfter {
            while fake.ran.count < cancelAfter, observer.changes.last != .runFinished(.succeeded) {
                if observer.changes.contains(where: { if case .runFinished = $0 { true } else { false } }) { break }
                try? await Task.sleep(for: .milliseconds(1))
            }
            engine.cancel(reason: "test")
        }
        let summary = await run.value
        // assert
        var started = Set<[Int]>()
        var finished = [[Int]: Int]()
        var finalStatus = [[Int]: ExecutionStatus]()
        for change in observer.changes {
            switch change {
            case .executionStarted(let t, let s):
                #expect(finished[[t, s]] == nil, "started after it finished")
                started.insert([t, s])
            case .executionFinished(let t, let s, let outcome):
                #expect(outcome.status.isTerminal)
                finished[[t, s], default: 0] += 1
                finalStatus[[t, s]] = outcome.status
                if [.succeeded, .failed, .timedOut].contains(outcome.status) {
                    #expect(started.contains([t, s]), "\(outcome.status) without having started")
                }
            default: break
            }
        }
        #expect(finished.count == targets * steps.count)
        #expect(finished.values.allSatisfy { $0 == 1 })
        #expect(ExecutionCounts(finalStatus.values) == summary.counts)
        #expect(summary.counts.pending == 0 && summary.counts.running == 0)
        #expect(summary.status.isTerminal)
        #expect(observer.changes.filter { if case .runFinished = $0 { true } else { false } }.count == 1)
    }

    @Test func batchLimitsParseCountsAndPercentages() throws {
        #expect(try BatchLimit.parse("50", field: "max_concurrency", allowZero: false).get() == .count(50))
        #expect(try BatchLimit.parse("10%", field: "max_concurrency", allowZero: false).get() == .percent(10))
        #expect(BatchLimit.percent(10).resolve(total: 5, roundUp: true) == 1)
        #expect(BatchLimit.percent(10).resolve(total: 5, roundUp: false) == 0)
        #expect(BatchLimit.percent(25).resolve(total: 10, roundUp: true) == 3)
        #expect(try BatchLimit.parse("0", field: "max_errors", allowZero: true).get() == .count(0))
    }

    @Test(arguments: ["", "abc", "-1", "0", "101%", "5.5", "1e3", "99999999999", "%"])
    func malformedBatchLimitsNameTheField(text: String) {
        guard case .failure(let error) = BatchLimit.parse(text, field: "max_concurrency", allowZero: false) else {
            Issue.record("'\(text)' was accepted")
            return
        }
        #expect(error.description.hasPrefix("max_concurrency: "))
    }

    @Test func redactorMasksLongestSecretFirstAndKeepsUTF8Whole() {
        let redactor = OutputRedactor(secrets: ["pass", "password1", ""])
        #expect(redactor.redact("my password1 and pass") == "my *** and ***")
        var stream = OutputRedactor(secrets: ["s3cr3t"]).stream()
        var shown = ""
        for chunk in ["é", "s3", "c", "r3t ü", "ber"].flatMap({ Array($0.utf8).map { [$0] } }) {
            shown += stream.push(chunk)
        }
        shown += stream.finish()
        #expect(shown == "é*** über")
        #expect(!shown.contains("\u{FFFD}"))
    }

    @Test func limiterServesWaitersInOrderAndDropsCancelledOnes() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        while await limiter.waiting == 0 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await limiter.waiting == 0)
        await limiter.release()
        #expect(await limiter.running == 0)
    }
}

/// A small deterministic generator (SplitMix64) so a failing seed can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
