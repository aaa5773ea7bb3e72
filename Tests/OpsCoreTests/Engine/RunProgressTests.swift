import Foundation
import Testing

@testable import OpsCore

/// Issue 17.4: users count targets, not executions. A target's outcome from its steps' statuses, and a run's
/// progress by target and by step.
@Suite("Target outcomes and run progress")
struct RunProgressTests {
    static let p = ExecutionStatus.pending
    static let r = ExecutionStatus.running
    static let s = ExecutionStatus.succeeded
    static let f = ExecutionStatus.failed
    static let t = ExecutionStatus.timedOut
    static let c = ExecutionStatus.cancelled
    static let k = ExecutionStatus.skipped
    static let i = ExecutionStatus.interrupted

    static let outcomeCases: [([ExecutionStatus], TargetOutcome)] = [
        ([s, s, s, s], TargetOutcome(status: .succeeded)),
        // A step failed and the later ones were skipped: failed at that step.
        ([s, f, k, k], TargetOutcome(status: .failed, step: 1)),
        ([t, k], TargetOutcome(status: .timedOut, step: 0)),
        ([s, s, i, i], TargetOutcome(status: .interrupted, step: 2)),
        // Cancelled while its second step ran, or before it started at all.
        ([s, c, c], TargetOutcome(status: .cancelled, step: 1)),
        ([c, c], TargetOutcome(status: .cancelled, step: 0)),
        // on_failure: continue — the later steps ran and succeeded, the target still failed at step 1 (as the
        // run's status and "rerun on failed targets" have it).
        ([f, s], TargetOutcome(status: .failed, step: 0)),
        ([f, t], TargetOutcome(status: .failed, step: 0)),
        // Past max errors: no step ran.
        ([k, k, k], TargetOutcome(status: .skipped)),
        ([p, p], TargetOutcome(status: .pending)),
        ([s, r, p], TargetOutcome(status: .running)),
        // Between two steps: done with one, the next not started yet.
        ([s, p, p], TargetOutcome(status: .running)),
        // Still running after an earlier step failed under `continue`: running first.
        ([f, r], TargetOutcome(status: .running)),
        // A step just failed, the rest not skipped yet (or, under `continue`, not started yet): stopped there.
        ([s, f, p, p], TargetOutcome(status: .failed, step: 1)),
        ([f, p], TargetOutcome(status: .failed, step: 0)),
        ([s, i, p], TargetOutcome(status: .interrupted, step: 1)),
        ([s], TargetOutcome(status: .succeeded)),
        ([f], TargetOutcome(status: .failed, step: 0)),
    ]

    @Test(arguments: outcomeCases)
    func aTargetsOutcomeIsWhereItStopped(steps: [ExecutionStatus], expected: TargetOutcome) {
        #expect(TargetOutcome(steps: steps) == expected)
    }

    @Test func aRunCountsTargetsByOutcomeAndStepsByExecution() {
        // setup: a 4-step workflow on 10 targets, one failed at step 2, one still at step 3
        var targets = Array(repeating: [Self.s, Self.s, Self.s, Self.s], count: 8)
        targets.append([Self.s, Self.f, Self.k, Self.k])
        targets.append([Self.s, Self.s, Self.r, Self.p])

        // act
        let progress = RunProgress(stepCount: 4, targets: targets)

        // assert
        #expect(progress.targets.succeeded == 8)
        #expect(progress.targets.failed == 1)
        #expect(progress.targets.running == 1)
        #expect(progress.targets.total == 10)
        #expect(progress.executions.total == 40)
        #expect(progress.executions.succeeded == 8 * 4 + 1 + 2)
        #expect(progress.steps.map(\.finished) == [10, 10, 9, 9])
        #expect(progress.steps.map(\.executions.running) == [0, 0, 1, 0])
        #expect(progress.steps.map(\.executions.skipped) == [0, 0, 1, 1])
        #expect(progress.steps.map(\.stopped.failed) == [0, 1, 0, 0])
        #expect(progress.steps.map(\.stopped.total) == [0, 1, 0, 0], "succeeded and running targets stop nowhere")
    }

    /// A target with more statuses than the run has steps (a damaged row) counts only its first ones; one with
    /// fewer counts what it has.
    @Test func statusesBeyondTheStepsAreIgnored() {
        let progress = RunProgress(stepCount: 2, targets: [[Self.s, Self.s, Self.f], [Self.f]])
        #expect(progress.targets.succeeded == 1)
        #expect(progress.targets.failed == 1)
        #expect(progress.executions.total == 3)
        #expect(RunProgress(stepCount: -1).steps.isEmpty)
    }

    /// Whatever the engine does (failures, timeouts, continue, rollback, max errors, cancel), a target's outcome
    /// is `succeeded` exactly when the run counted it so, and every target ends in a terminal outcome.
    @Test(arguments: 0..<24)
    func outcomesAgreeWithTheRunsOwnVerdict(seed: Int) async {
        // setup
        var random = SeededRandom(seed: UInt64(seed + 101))
        let targets = Int.random(in: 1...12, using: &random)
        let policies: [FailurePolicy] = [.stop, .continue, .rollback]
        let steps = (0..<Int.random(in: 1...4, using: &random)).map { index in
            PlanFixture.step("s\(index)", onFailure: policies.randomElement(using: &random) ?? .stop)
        }
        let rolls = (0..<(targets * 4)).map { _ in Int.random(in: 0..<100, using: &random) }
        let fake = FakeTransport { target, key in
            let roll = rolls[((Int(target.dropFirst()) ?? 0) * 4 + key.step) % rolls.count]
            if roll < 10 { return FakeBehaviour(timedOut: true) }
            return FakeBehaviour(exitStatus: roll < 35 ? 1 : 0)
        }
        let observer = RecordingObserver()
        let plan = PlanFixture.plan(
            targets: targets, steps: steps, concurrency: Int.random(in: 1...4, using: &random),
            maxErrors: Int.random(in: 0...3, using: &random))

        // act
        let summary = await RunEngine(plan: plan, transport: fake.transport, observer: observer).run()

        // assert
        let statuses = (0..<targets).map { t in
            (0..<steps.count).map { observer.status(t, $0) ?? .pending }
        }
        let outcomes = statuses.map { TargetOutcome(steps: $0) }
        #expect(outcomes.map { $0.status == .succeeded } == summary.targetsSucceeded)
        #expect(outcomes.allSatisfy { $0.status.isTerminal })
        let progress = RunProgress(stepCount: steps.count, targets: statuses)
        #expect(progress.executions == summary.counts)
        #expect(progress.targets.total == targets)
    }
}
