import Foundation
import Testing

@testable import OpsServer

@Suite("Output coalescing")
struct OutputCoalescerTests {
    static func output(_ seq: Int, target: Int, _ text: String, stream: String = "stdout") -> RunEventMessage {
        let data = JSONValue.object([
            "target": .string("t\(target)"), "target_index": .int(target), "step": .int(0), "phase": .string("action"),
            "stream": .string(stream), "text": .string(text),
        ]).text
        return RunEventMessage(seq: seq, kind: "output", data: data)
    }

    static func status(_ seq: Int, target: Int) -> RunEventMessage {
        RunEventMessage(
            seq: seq, kind: "execution.status",
            data: JSONValue.object(["target_index": .int(target), "status": .string("succeeded")]).text)
    }

    static func text(_ event: RunEventMessage) -> String? {
        guard case .string(let text) = OutputCoalescer.decode(event.data)?["text"] else { return nil }
        return text
    }

    /// With an hour-long interval no tick ever fires: a quiet stream's event still goes out at once,
    /// and events right behind it wait for the next flush (here, the end of the stream).
    @Test(.timeLimit(.minutes(1))) func aQuietStreamIsNotHeldForATick() async throws {
        let (source, feed) = AsyncThrowingStream.makeStream(of: RunEventMessage.self)
        var batches = OutputCoalescer(interval: .seconds(3600)).batches(source).makeAsyncIterator()
        feed.yield(RunEventMessage(seq: 1, kind: "run.status", data: #"{"status":"running"}"#))
        #expect(try await batches.next()?.map(\.seq) == [1])
        feed.yield(RunEventMessage(seq: 2, kind: "run.status", data: #"{"status":"running"}"#))
        feed.yield(RunEventMessage(seq: 3, kind: "run.status", data: #"{"status":"running"}"#))
        feed.finish()
        #expect(try await batches.next()?.map(\.seq) == [2, 3])
        #expect(try await batches.next() == nil)
    }

    @Test func chunksOfOneTargetMergeInSequenceOrderAndOthersStayApart() {
        var batch = OutputCoalescer.Batch()
        for event in [
            Self.output(1, target: 0, "a"), Self.output(2, target: 1, "x"), Self.output(3, target: 0, "b"),
            Self.output(4, target: 0, "err", stream: "stderr"), Self.output(5, target: 0, "c"),
        ] { batch.append(event) }
        let events = batch.finished()
        // stderr between stdout chunks keeps them apart: the interleaving a person saw is kept.
        #expect(events.map(\.seq) == [2, 3, 4, 5])
        #expect(events.map(Self.text) == ["x", "ab", "err", "c"])
    }

    @Test func aStatusOfTheSameTargetStopsTheMerge() {
        var batch = OutputCoalescer.Batch()
        for event in [Self.output(1, target: 0, "a"), Self.status(2, target: 0), Self.output(3, target: 0, "b")] {
            batch.append(event)
        }
        #expect(batch.finished().map(\.seq) == [1, 2, 3])
    }

    @Test func eventsFromTheDatabaseMergeToo() {
        var batch = OutputCoalescer.Batch()
        batch.append(Self.output(7, target: 3, "one\n"))
        batch.append(Self.output(8, target: 3, "two\n"))
        let events = batch.finished()
        #expect(events.count == 1)
        #expect(events.first?.seq == 8)
        #expect(events.first.flatMap(Self.text) == "one\ntwo\n")
    }
}
