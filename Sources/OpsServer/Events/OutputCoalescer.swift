import Foundation
import NIOConcurrencyHelpers

/// Groups a client's events into batches every 40 ms, and merges output chunks of the same target,
/// step and stream within a batch into one event (carrying the later sequence number, so order and
/// resume points hold), so a thousand chatty targets do not flood a socket.
struct OutputCoalescer {
    static let interval: Duration = .milliseconds(40)

    private final class Buffer: Sendable {
        struct State {
            var events: [RunEventMessage] = []
            var ended = false
            var failure: (any Error)?
        }
        let state = NIOLockedValueBox(State())
    }

    func batches(_ source: AsyncThrowingStream<RunEventMessage, any Error>)
        -> AsyncThrowingStream<[RunEventMessage], any Error>
    {
        let (output, continuation) = AsyncThrowingStream.makeStream(of: [RunEventMessage].self)
        let buffer = Buffer()
        let (wake, waker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let reader = Task {
            do {
                for try await event in source {
                    buffer.state.withLockedValue { Self.append(event, to: &$0.events) }
                    if event.kind == "run.finished" { waker.yield() }
                }
            } catch {
                buffer.state.withLockedValue { $0.failure = error }
            }
            buffer.state.withLockedValue { $0.ended = true }
            waker.yield()
        }
        let flusher = Task {
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.interval)
                    waker.yield()
                }
            }
            defer { ticker.cancel() }
            for await _ in wake {
                let (events, ended, failure) = buffer.state.withLockedValue { state in
                    defer { state.events = [] }
                    return (state.events, state.ended, state.failure)
                }
                if !events.isEmpty { continuation.yield(events) }
                if ended {
                    if let failure { continuation.finish(throwing: failure) } else { continuation.finish() }
                    return
                }
            }
        }
        continuation.onTermination = { _ in
            reader.cancel()
            flusher.cancel()
        }
        return output
    }

    /// Appends `event`, folding it into an earlier output event of the same target, step, phase and
    /// stream when nothing else about that target came in between.
    static func append(_ event: RunEventMessage, to events: inout [RunEventMessage]) {
        guard event.kind == "output", let fields = decode(event.data), let key = outputKey(fields) else {
            events.append(event)
            return
        }
        let target = fields["target_index"]
        for index in events.indices.reversed() {
            guard let earlier = decode(events[index].data) else { break }
            if events[index].kind == "output", outputKey(earlier) == key,
                case .string(let before) = earlier["text"], case .string(let after) = fields["text"]
            {
                var merged = earlier
                merged["text"] = .string(before + after)
                events.remove(at: index)
                events.append(RunEventMessage(seq: event.seq, kind: "output", data: JSONValue.object(merged).text))
                return
            }
            if earlier["target_index"] == target { break }
        }
        events.append(event)
    }

    static func decode(_ data: String) -> [String: JSONValue]? {
        try? JSONDecoder().decode([String: JSONValue].self, from: Data(data.utf8))
    }

    static func outputKey(_ fields: [String: JSONValue]) -> [JSONValue]? {
        guard let target = fields["target_index"] else { return nil }
        return [target, fields["step"] ?? .null, fields["phase"] ?? .null, fields["stream"] ?? .null]
    }
}
