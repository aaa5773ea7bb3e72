import Foundation

/// One event of a run's stream (DESIGN.md §10): `seq` counts from 1 per run without gaps.
public struct RunEventMessage: Sendable, Codable, Equatable {
    public var seq: Int
    public var kind: String
    /// The event's JSON object, as text.
    public var data: String
    /// For live events, what `data` says about the target and output, so subscribers need not parse it.
    var facts: Facts?

    struct Facts: Sendable, Equatable {
        var targetIndex: Int?
        /// Output events: step, phase, stream and the text.
        var output: (step: Int, phase: String, stream: String, text: String)?

        static func == (lhs: Facts, rhs: Facts) -> Bool {
            lhs.targetIndex == rhs.targetIndex && lhs.output?.step == rhs.output?.step
                && lhs.output?.phase == rhs.output?.phase && lhs.output?.stream == rhs.output?.stream
                && lhs.output?.text == rhs.output?.text
        }
    }

    enum CodingKeys: String, CodingKey {
        case seq, kind, data
    }

    public init(seq: Int, kind: String, data: String) {
        self.seq = seq
        self.kind = kind
        self.data = data
    }

    init(seq: Int, kind: String, data: String, facts: Facts?) {
        self.init(seq: seq, kind: kind, data: data)
        self.facts = facts
    }
}

/// Fans a run's events out to the subscribers in this process (web pages, SSE, WebSocket), as they
/// happen. Subscribers that fall behind lose nothing: they catch up from the database by `seq`.
public actor RunEventBus {
    private var subscribers: [String: [UUID: AsyncStream<RunEventMessage>.Continuation]] = [:]

    public init() {}

    /// Events of `run` from now on; the stream ends after `run.finished` or when dropped.
    public func subscribe(run: String) -> AsyncStream<RunEventMessage> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: RunEventMessage.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = UUID()
        subscribers[run, default: [:]][id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(run: run, id: id) } }
        return stream
    }

    public func publish(run: String, _ events: [RunEventMessage]) {
        guard let listeners = subscribers[run] else { return }
        for continuation in listeners.values {
            for event in events { continuation.yield(event) }
            if events.contains(where: { $0.kind == "run.finished" }) { continuation.finish() }
        }
    }

    private func unsubscribe(run: String, id: UUID) {
        subscribers[run]?[id] = nil
        if subscribers[run]?.isEmpty == true { subscribers[run] = nil }
    }
}
