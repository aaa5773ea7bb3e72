import Foundation
import Testing
import VaporTesting

@testable import OpsServer

@Suite("Events of one target's output")
struct RunEventFilterTests {
    static func output(_ seq: Int, target: Int, live: Bool) -> RunEventMessage {
        let data =
            #"{"target":"t\#(target)","target_index":\#(target),"step":0,"phase":"action","stream":"stdout","text":"x"}"#
        var event = RunEventMessage(seq: seq, kind: "output", data: data)
        if live { event.facts = .init(targetIndex: target, output: (0, "action", "stdout", "x")) }
        return event
    }

    @Test func onlyTheChosenTargetsOutputIsKeptLiveOrReplayed() {
        let status = RunEventMessage(seq: 1, kind: "execution.status", data: #"{"target_index":1,"status":"running"}"#)
        let batch = [
            status, Self.output(2, target: 0, live: true), Self.output(3, target: 1, live: true),
            Self.output(4, target: 0, live: false), Self.output(5, target: 1, live: false),
        ]
        #expect(RunEventFilter(outputTarget: 0).apply(batch).map(\.seq) == [1, 2, 4])
        #expect(RunEventFilter.everything.apply(batch).map(\.seq) == [1, 2, 3, 4, 5])
    }

    @Test func theStreamRefusesATargetTheRunDoesNotHave() async throws {
        try await TestApp.run { test in
            let token = try await RunsAPITests.setUp(test)
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","targets":["t1","t2"]}"#)
            let id = try #require(try created.json()["id"] as? String)
            _ = try await RunsAPITests.waitForEnd(test, id, token)
            let bad = try await test.send(.GET, "/api/v1/runs/\(id)/events?output=nope", bearer: token)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("output"))
            let one = try await test.send(.GET, "/api/v1/runs/\(id)/events?output=t1", bearer: token)
            #expect(one.status == .ok)
            // Status events of every target still come.
            #expect(one.text.contains(#""target":"t2""#))
            #expect(one.text.contains("event: run.finished"))
        }
    }

    @Test func aLongOutputIsCutToItsEndOnThePage() {
        let long = String(repeating: "line of output\n", count: 20_000)
        let shown = RunShowView.pageTail(long)
        #expect(shown.hasPrefix(RunShowView.cutNote))
        #expect(shown.utf8.count <= RunShowView.pageOutputLimit)
        #expect(long.hasSuffix(shown.dropFirst(RunShowView.cutNote.count)))
        #expect(RunShowView.pageTail("short") == "short")
    }
}
