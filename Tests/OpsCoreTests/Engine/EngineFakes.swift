import Foundation
import Synchronization
import Testing

@testable import OpsCore

/// What the fake transport does for one invocation.
struct FakeBehaviour: Sendable {
    var exitStatus: Int? = 0
    var stdout: [String] = []
    var stderr: String = ""
    var delay: Duration = .milliseconds(1)
    var timedOut = false
    var failure: TransportFailure?
}

/// A transport that answers from a table, records what ran and how many ran at once.
final class FakeTransport: Sendable {
    typealias Decide = @Sendable (String, InvocationKey) -> FakeBehaviour
    let decide: Decide
    let log = Locked<[String]>([])
    let concurrent = Locked<(now: Int, peak: Int)>((0, 0))
    let batches = Locked<[Int]>([])
    let limiter: ConcurrencyLimiter

    init(limit: Int = 1000, decide: @escaping Decide = { _, _ in FakeBehaviour() }) {
        self.decide = decide
        self.limiter = ConcurrencyLimiter(limit: limit)
    }

    var ran: [String] { log.withLock { $0 } }
    var peak: Int { concurrent.withLock { $0.peak } }

    var transport: any Transport {
        let inner = PerInvocationTransport(limiter: limiter) { [self] invocation, onEvent in
            let behaviour = decide(invocation.target, invocation.key)
            log.withLock { $0.append("\(invocation.target):\(invocation.key.step):\(invocation.key.phase)") }
            concurrent.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
            }
            defer { concurrent.withLock { $0.now -= 1 } }
            onEvent(.started)
            for chunk in behaviour.stdout { onEvent(.output(.stdout, Array(chunk.utf8))) }
            do {
                try await Task.sleep(for: behaviour.delay)
            } catch {
                throw TransportFailure(stage: "cancelled", message: "stopped")
            }
            if let failure = behaviour.failure { throw failure }
            return ExecResult(
                exitStatus: behaviour.timedOut ? nil : behaviour.exitStatus, exitSignal: nil,
                stdout: behaviour.stdout.joined(), stderr: behaviour.stderr, stdoutTruncated: false,
                stderrTruncated: false, timedOut: behaviour.timedOut, duration: behaviour.delay)
        }
        return RecordingBatches(inner: inner, batches: batches)
    }
}

struct RecordingBatches: Transport {
    let inner: any Transport
    let batches: Locked<[Int]>
    func execute(_ batch: [Invocation]) -> AsyncStream<TransportEvent> {
        batches.withLock { $0.append(batch.count) }
        return inner.execute(batch)
    }
}

/// Keeps every change, in order.
final class RecordingObserver: RunObserver {
    let box = Locked<[RunChange]>([])
    func record(_ change: RunChange) async { box.withLock { $0.append(change) } }
    var changes: [RunChange] { box.withLock { $0 } }

    /// The final outcome per (target, step).
    var outcomes: [[Int]: ExecutionOutcome] {
        var result = [[Int]: ExecutionOutcome]()
        for case .executionFinished(let target, let step, let outcome) in changes { result[[target, step]] = outcome }
        return result
    }

    func status(_ target: Int, _ step: Int = 0) -> ExecutionStatus? { outcomes[[target, step]]?.status }
}

enum PlanFixture {
    static func script(_ text: String) -> RenderedScript {
        ScriptRenderer.render(
            ScriptSource(origin: "test.sh", text: text), interpreter: .sh, values: [:], specs: [])
    }

    static func step(
        _ action: String, validation: Bool = false, rollback: Bool = false, onFailure: FailurePolicy = .stop,
        timeout: Duration = .seconds(30)
    ) -> PlannedStep {
        PlannedStep(
            action: action, name: action, script: script("echo \(action)"),
            validation: validation ? script("true") : nil, rollback: rollback ? script("echo undo") : nil,
            timeout: timeout, onFailure: onFailure)
    }

    static func plan(
        targets: Int, steps: [PlannedStep] = [step("ping")], concurrency: Int = 100, maxErrors: Int = 100,
        secrets: [String] = []
    ) -> RunPlan {
        RunPlan(
            steps: steps, targets: (0..<targets).map { "t\($0)" }, maxConcurrency: concurrency, maxErrors: maxErrors,
            redactor: OutputRedactor(secrets: secrets))
    }
}

/// A value behind a lock, shareable between tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
