/// Drives one run (DESIGN.md §6): each target runs the steps in order; at most `maxConcurrency`
/// targets are in flight and a new one starts as soon as one finishes (a rolling window); after each
/// action its validation script runs; a failed step follows its policy (stop, continue, or rollback
/// then stop); once more targets have failed than `maxErrors` allows, no new target starts and the
/// rest end `skipped`; ``cancel(reason:)`` stops everything at any time.
///
/// The engine is a single loop over one inbox (transport events and cancel requests), so its state
/// needs no locks, and every change reaches the observer in the order it happened.
public final class RunEngine: Sendable {
    enum Input: Sendable {
        case transport(TransportEvent)
        case cancel(String)
    }

    let plan: RunPlan
    let transport: any Transport
    let observer: any RunObserver
    private let inbox: AsyncStream<Input>
    private let mailbox: AsyncStream<Input>.Continuation

    public init(plan: RunPlan, transport: any Transport, observer: any RunObserver) {
        self.plan = plan
        self.transport = transport
        self.observer = observer
        (inbox, mailbox) = AsyncStream.makeStream(of: Input.self)
    }

    /// Stops the run: running steps are stopped and end `cancelled`, as do steps not yet started.
    public func cancel(reason: String) {
        mailbox.yield(.cancel(reason))
    }

    /// Runs to the end (or until cancelled, also by cancelling the calling task).
    public func run() async -> RunSummary {
        var state = EngineState(plan: plan)
        await observer.record(.runStarted)
        let transport = self.transport
        let mailbox = self.mailbox
        await withTaskGroup(of: Void.self) { group in
            var outbox = state.admit()
            var cancelReason: String?
            var iterator = inbox.makeAsyncIterator()
            while !state.isFinished {
                await flush(&state)
                if !outbox.isEmpty {
                    let batch = outbox
                    outbox = []
                    group.addTask {
                        for await event in transport.execute(batch) { mailbox.yield(.transport(event)) }
                    }
                }
                if state.isFinished { break }
                guard let input = await iterator.next() else {
                    cancelReason = "the run's task was cancelled"
                    break
                }
                switch input {
                case .cancel(let reason):
                    cancelReason = reason
                case .transport(let event):
                    outbox += state.handle(event)
                }
                if cancelReason != nil { break }
            }
            if let cancelReason {
                group.cancelAll()
                state.cancelAll(reason: cancelReason)
            }
            await flush(&state)
        }
        let summary = state.summary
        await observer.record(.runFinished(summary.status))
        return summary
    }

    private func flush(_ state: inout EngineState) async {
        for change in state.takeChanges() { await observer.record(change) }
    }
}
