import Foundation
import Testing

@testable import OpsCore

@Suite("Run engine")
struct RunEngineTests {
    @Test func everyTargetRunsEveryStepAndTheRunSucceeds() async {
        // setup
        let fake = FakeTransport()
        let observer = RecordingObserver()
        let plan = PlanFixture.plan(targets: 5, steps: [PlanFixture.step("a"), PlanFixture.step("b")])
        // act
        let summary = await RunEngine(plan: plan, transport: fake.transport, observer: observer).run()
        // assert
        #expect(summary.status == .succeeded)
        #expect(summary.counts.succeeded == 10)
        #expect(observer.changes.first == .runStarted)
        #expect(observer.changes.last == .runFinished(.succeeded))
        for target in 0..<5 {
            let order = fake.ran.filter { $0.hasPrefix("t\(target):") }
            #expect(order == ["t\(target):0:action", "t\(target):1:action"])
        }
    }

    @Test func theWindowBoundsTargetsInFlightAndTheFirstWaveIsOneBatch() async {
        // setup
        let fake = FakeTransport { _, _ in FakeBehaviour(delay: .milliseconds(20)) }
        let plan = PlanFixture.plan(targets: 12, concurrency: 3)
        // act
        let summary = await RunEngine(plan: plan, transport: fake.transport, observer: RecordingObserver()).run()
        // assert
        #expect(summary.status == .succeeded)
        #expect(fake.peak == 3)
        #expect(fake.batches.withLock { $0.first } == 3)
    }

    @Test func theProcessWideLimiterCapsInvocationsAcrossTheWindow() async {
        let fake = FakeTransport(limit: 2) { _, _ in FakeBehaviour(delay: .milliseconds(20)) }
        let summary = await RunEngine(
            plan: PlanFixture.plan(targets: 8, concurrency: 8), transport: fake.transport,
            observer: RecordingObserver()
        ).run()
        #expect(summary.counts.succeeded == 8)
        #expect(fake.peak == 2)
    }

    @Test func pastMaxErrorsNoNewTargetStartsAndTheRestAreSkipped() async {
        // setup: t0 and t1 fail, one error allowed, one target at a time
        let fake = FakeTransport { target, _ in FakeBehaviour(exitStatus: ["t0", "t1"].contains(target) ? 3 : 0) }
        let observer = RecordingObserver()
        // act
        let summary = await RunEngine(
            plan: PlanFixture.plan(targets: 5, concurrency: 1, maxErrors: 1), transport: fake.transport,
            observer: observer
        ).run()
        // assert
        #expect(observer.status(0) == .failed)
        #expect(observer.status(1) == .failed)
        #expect((2..<5).map { observer.status($0) } == [.skipped, .skipped, .skipped])
        #expect(observer.outcomes[[3, 0]]?.error?.contains("more than max errors (1)") == true)
        #expect(fake.ran.count == 2)
        #expect(summary.status == .failed)
        #expect(observer.outcomes[[0, 0]]?.error == "exit status 3")
    }

    @Test func aFailedStepStopsItsTargetAndTheLaterStepsAreSkipped() async {
        let fake = FakeTransport { target, key in FakeBehaviour(exitStatus: target == "t0" && key.step == 0 ? 1 : 0) }
        let observer = RecordingObserver()
        let plan = PlanFixture.plan(targets: 2, steps: [PlanFixture.step("a"), PlanFixture.step("b")])
        let summary = await RunEngine(plan: plan, transport: fake.transport, observer: observer).run()
        #expect(observer.status(0, 0) == .failed)
        #expect(observer.status(0, 1) == .skipped)
        #expect(observer.status(1, 1) == .succeeded)
        #expect(summary.status == .partiallyFailed)
    }

    @Test func continuePolicyGoesOnToTheNextStep() async {
        let fake = FakeTransport { _, key in FakeBehaviour(exitStatus: key.step == 0 ? 1 : 0) }
        let observer = RecordingObserver()
        let plan = PlanFixture.plan(
            targets: 1, steps: [PlanFixture.step("a", onFailure: .continue), PlanFixture.step("b")])
        let summary = await RunEngine(plan: plan, transport: fake.transport, observer: observer).run()
        #expect(observer.status(0, 0) == .failed)
        #expect(observer.status(0, 1) == .succeeded)
        #expect(summary.status == .failed)
    }

    @Test func aFailedValidationRunsTheRollbackAndRecordsIt() async {
        // setup: the action exits 0, its validation exits 1
        let fake = FakeTransport { _, key in
            FakeBehaviour(exitStatus: key.phase == .validation ? 1 : 0, stdout: ["\(key.phase.rawValue) out\n"])
        }
        let observer = RecordingObserver()
        let step = PlanFixture.step("restart", validation: true, rollback: true, onFailure: .rollback)
        // act
        _ = await RunEngine(
            plan: PlanFixture.plan(targets: 1, steps: [step, PlanFixture.step("after")]), transport: fake.transport,
            observer: observer
        ).run()
        // assert
        #expect(fake.ran == ["t0:0:action", "t0:0:validation", "t0:0:rollback"])
        let outcome = observer.outcomes[[0, 0]]
        #expect(outcome?.status == .failed)
        #expect(outcome?.rollback == "succeeded")
        #expect(outcome?.error == "validation failed: exit status 1; rollback succeeded")
        #expect(outcome?.stdout.contains("action out\n--- pcm-ops: validation ---\nvalidation out") == true)
        #expect(outcome?.stdout.contains("--- pcm-ops: rollback ---\nrollback out") == true)
        #expect(observer.status(0, 1) == .skipped)
    }

    @Test func aStepWithoutRollbackPolicyDoesNotRollBack() async {
        let fake = FakeTransport { _, _ in FakeBehaviour(exitStatus: 2) }
        let observer = RecordingObserver()
        let step = PlanFixture.step("restart", rollback: true, onFailure: .stop)
        _ = await RunEngine(
            plan: PlanFixture.plan(targets: 1, steps: [step]), transport: fake.transport, observer: observer
        ).run()
        #expect(fake.ran == ["t0:0:action"])
        #expect(observer.outcomes[[0, 0]]?.rollback == nil)
    }

    @Test func aTimeoutEndsTheStepTimedOut() async {
        let fake = FakeTransport { _, _ in FakeBehaviour(timedOut: true) }
        let observer = RecordingObserver()
        let summary = await RunEngine(
            plan: PlanFixture.plan(targets: 1, steps: [PlanFixture.step("slow", timeout: .seconds(7))]),
            transport: fake.transport, observer: observer
        ).run()
        #expect(observer.status(0) == .timedOut)
        #expect(observer.outcomes[[0, 0]]?.error == "timed out after 7 s")
        #expect(summary.counts.timedOut == 1)
    }

    @Test func aTransportFailureNamesTheStage() async {
        let fake = FakeTransport { _, _ in
            FakeBehaviour(failure: TransportFailure(stage: "host_key", message: "unknown host key SHA256:abc"))
        }
        let observer = RecordingObserver()
        _ = await RunEngine(plan: PlanFixture.plan(targets: 1), transport: fake.transport, observer: observer).run()
        #expect(observer.outcomes[[0, 0]]?.error == "host_key: unknown host key SHA256:abc")
    }

    @Test func cancelStopsRunningStepsAndEndsTheRestCancelled() async throws {
        // setup: every invocation takes a minute
        let fake = FakeTransport { _, _ in FakeBehaviour(delay: .seconds(60)) }
        let observer = RecordingObserver()
        let engine = RunEngine(
            plan: PlanFixture.plan(targets: 4, steps: [PlanFixture.step("a"), PlanFixture.step("b")], concurrency: 2),
            transport: fake.transport, observer: observer)
        // act
        let run = Task { await engine.run() }
        while fake.ran.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        let started = ContinuousClock.now
        engine.cancel(reason: "cancelled by oscar")
        let summary = await run.value
        // assert
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(summary.status == .cancelled)
        #expect(summary.counts.cancelled == 8)
        #expect(observer.outcomes[[0, 0]]?.error == "cancelled: cancelled by oscar")
        #expect(observer.outcomes[[3, 1]]?.error == "cancelled before it started: cancelled by oscar")
        #expect(observer.changes.last == .runFinished(.cancelled))
    }

    /// Issue 16.1: a cancelled step showed nothing of what it had printed.
    @Test func aCancelledStepKeepsWhatItPrintedMasked() async throws {
        let fake = FakeTransport { _, _ in
            FakeBehaviour(stdout: ["line 1\n", "the token is hunter2\n", "half a li"], delay: .seconds(60))
        }
        let observer = RecordingObserver()
        let engine = RunEngine(
            plan: PlanFixture.plan(targets: 1, secrets: ["hunter2"]), transport: fake.transport, observer: observer)
        let run = Task { await engine.run() }
        while !observer.changes.contains(where: { if case .output = $0 { true } else { false } }) {
            try await Task.sleep(for: .milliseconds(5))
        }
        engine.cancel(reason: "cancelled by oscar")
        _ = await run.value
        let outcome = try #require(observer.outcomes[[0, 0]])
        #expect(outcome.status == .cancelled)
        #expect(outcome.stdout == "line 1\nthe token is ***\nhalf a li")
    }

    /// A connection lost mid-step keeps what the step printed before it.
    @Test func aStepWhoseTransportFailsKeepsWhatItPrinted() async throws {
        let fake = FakeTransport { _, _ in
            FakeBehaviour(stdout: ["partial\n"], failure: TransportFailure(stage: "exec", message: "connection lost"))
        }
        let observer = RecordingObserver()
        _ = await RunEngine(plan: PlanFixture.plan(targets: 1), transport: fake.transport, observer: observer).run()
        let outcome = try #require(observer.outcomes[[0, 0]])
        #expect(outcome.status == .failed)
        #expect(outcome.stdout == "partial\n")
    }

    @Test func secretsAreMaskedEvenWhenSplitAcrossChunks() async {
        let fake = FakeTransport { _, _ in FakeBehaviour(stdout: ["token is hun", "ter2 and ", "done\n"]) }
        let observer = RecordingObserver()
        _ = await RunEngine(
            plan: PlanFixture.plan(targets: 1, secrets: ["hunter2"]), transport: fake.transport, observer: observer
        ).run()
        var streamed = ""
        for case .output(_, _, _, .stdout, let text) in observer.changes { streamed += text }
        #expect(streamed == "token is *** and done\n")
        #expect(observer.outcomes[[0, 0]]?.stdout == "token is *** and done\n")
    }
}
