import Foundation
import NIOConcurrencyHelpers

/// Groups a client's events into batches every 40 ms, and merges output chunks of the same target,
/// step and stream within a batch into one event (carrying the later sequence number, so order and
/// resume points hold), so a thousand chatty targets do not flood a socket. An event that arrives
/// when nothing has been sent for a whole interval goes out at once (a quiet stream waits for no
/// tick); under load, batches still leave at most about once per interval.
struct OutputCoalescer {
    static let interval: Duration = .milliseconds(40)
    var interval: Duration = Self.interval

    private final class Buffer: Sendable {
        struct State {
            var batch = Batch()
            var ended = false
            var failure: (any Error)?
            var lastFlush: ContinuousClock.Instant?
        }
        let state = NIOLockedValueBox(State())
    }

    /// The events of one flush window, with what is needed to merge in constant time per event.
    struct Batch {
        struct Key: Hashable {
            var target: Int
            var step: Int
            var phase: String
            var stream: String
        }

        var events: [RunEventMessage] = []
        /// Where the last output event of each target/step/phase/stream is.
        var lastOutput: [Key: Int] = [:]
        /// Where the last event of each target is: output merges only across nothing else of its target.
        var lastOfTarget: [Int: Int] = [:]
        var merged: Set<Int> = []

        mutating func append(_ event: RunEventMessage) {
            let facts = event.facts ?? OutputCoalescer.facts(of: event)
            guard let target = facts?.targetIndex else {
                events.append(event)
                return
            }
            if let output = facts?.output {
                let key = Key(target: target, step: output.step, phase: output.phase, stream: output.stream)
                if let index = lastOutput[key], lastOfTarget[target] == index,
                    let earlier = events[index].facts?.output
                {
                    events[index].seq = event.seq
                    events[index].facts?.output = (
                        earlier.step, earlier.phase, earlier.stream, earlier.text + output.text
                    )
                    merged.insert(index)
                    return
                }
                var copy = event
                copy.facts = facts
                events.append(copy)
                lastOutput[key] = events.count - 1
            } else {
                events.append(event)
            }
            lastOfTarget[target] = events.count - 1
        }

        /// The events in sequence order, merged ones re-encoded.
        func finished() -> [RunEventMessage] {
            var result = events
            for index in merged {
                guard var fields = OutputCoalescer.decode(result[index].data),
                    let output = result[index].facts?.output
                else { continue }
                fields["text"] = .string(output.text)
                result[index].data = JSONValue.object(fields).text
            }
            return merged.isEmpty ? result : result.sorted { $0.seq < $1.seq }
        }
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
                    let quiet = buffer.state.withLockedValue { state in
                        let wasEmpty = state.batch.events.isEmpty
                        state.batch.append(event)
                        return wasEmpty && (state.lastFlush.map { $0.duration(to: .now) >= interval } ?? true)
                    }
                    if quiet || event.kind == "run.finished" { waker.yield() }
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
                    try? await Task.sleep(for: interval)
                    waker.yield()
                }
            }
            defer { ticker.cancel() }
            for await _ in wake {
                let (batch, ended, failure) = buffer.state.withLockedValue { state in
                    defer {
                        if !state.batch.events.isEmpty { state.lastFlush = .now }
                        state.batch = Batch()
                    }
                    return (state.batch, state.ended, state.failure)
                }
                let events = batch.finished()
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

    /// What an event read back from the database says about its target and output.
    static func facts(of event: RunEventMessage) -> RunEventMessage.Facts? {
        guard event.kind == "output" || event.kind == "execution.status", let fields = decode(event.data),
            case .int(let target) = fields["target_index"]
        else { return nil }
        guard event.kind == "output", case .int(let step) = fields["step"], case .string(let phase) = fields["phase"],
            case .string(let stream) = fields["stream"], case .string(let text) = fields["text"]
        else { return .init(targetIndex: target) }
        return .init(targetIndex: target, output: (step, phase, stream, text))
    }

    static func decode(_ data: String) -> [String: JSONValue]? {
        try? JSONDecoder().decode([String: JSONValue].self, from: Data(data.utf8))
    }

}
