import Fluent
import Foundation
import OpsCore
import Testing
import Vapor

@testable import OpsServer

/// Output is never lost (issue 16.1): what a step printed before a cancel stays with it, and a running step's
/// output so far is readable from the API, `log.txt` and the run page, whose live stream goes on from exactly the
/// event the page was drawn at. Against the throwaway sshd, with `testkit.drip` printing slowly.
@Suite("Run output so far", .enabled(if: SSHFixture.current != nil))
struct RunOutputTests {
    /// Starts `testkit.drip` printing `lines` lines on n1, then holding until `marker.release` exists.
    static func startDrip(_ fixture: RunFixture, lines: Int, marker: String) async throws -> RunService.Submission {
        var request = try RunRequest(reference: "testkit.drip", catalog: fixture.test.app.services.catalog.catalog)
        request.targets = ["n1"]
        request.parameters = ["code": String(lines), "marker": marker]
        return try await fixture.service.submit(request, by: RunFixture.operatorActor, source: "api")
    }

    /// Waits (on a loaded machine, up to two minutes) until the API shows n1's running step has printed `text`.
    static func waitForPrinted(_ fixture: RunFixture, _ id: String, _ text: String, stderr: String = "") async throws
        -> ExecutionDTO
    {
        for _ in 0..<1200 {
            if let execution = try await fixture.service.executions(id).first, execution.stdout.contains(text),
                stderr.isEmpty || execution.stderr.contains(stderr)
            {
                return execution
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record(
            "the step never printed \(text): \(String(describing: try await fixture.service.executions(id).first))")
        throw Abort(.internalServerError)
    }

    static func marker() -> String { "/tmp/pcmops-drip-\(UUID().uuidString)" }

    @Test func aRunningStepsOutputSoFarIsInTheAPIAndLogTxtAndACancelKeepsIt() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            // setup: five lines printed, then the step waits
            let marker = Self.marker()
            let submission = try await Self.startDrip(fixture, lines: 5, marker: marker)
            let id = submission.run.publicID
            // act + assert: mid-step, the API and log.txt show the lines so far
            let running = try await Self.waitForPrinted(fixture, id, "line 5", stderr: "to stderr")
            #expect(running.status == "running")
            #expect(running.stdout == "line 1\nline 2\nline 3\nline 4\nline 5\n")
            let session = try await fixture.test.session("vera")
            let midLog = try await fixture.test.send(.GET, "/runs/\(id)/log.txt", session: session)
            #expect(midLog.text.contains("· running\nline 1\nline 2\nline 3\nline 4\nline 5\n"))
            let token = try await fixture.test.token("vera")
            let api = try await fixture.test.send(.GET, "/api/v1/runs/\(id)/executions?target=n1", bearer: token)
            #expect(api.text.contains(#"line 1\nline 2"#))
            // act: cancel while it waits
            _ = try await fixture.service.cancel(id, by: .init(name: "oscar", source: .api))
            _ = await submission.completion?.value
            // assert: the cancelled step keeps what it printed, everywhere
            let execution = try #require(try await fixture.service.executions(id).first)
            #expect(execution.status == "cancelled")
            #expect(execution.stdout == "line 1\nline 2\nline 3\nline 4\nline 5\n")
            #expect(execution.stderr == "to stderr\n")
            let log = try await fixture.test.send(.GET, "/runs/\(id)/log.txt", session: session)
            #expect(log.text.contains("· cancelled\nerror: cancelled: cancelled by oscar\nline 1\n"))
            #expect(log.text.contains("--- stderr ---\nto stderr\n"))
            let page = try await fixture.test.send(.GET, "/runs/\(id)?target=n1", session: session)
            #expect(page.text.contains("line 5"))
        }
    }

    @Test func theRunPageDrawnMidStepAndItsStreamMakeTheWholeOutputOnce() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            // setup: three lines printed, then the step waits for the marker
            let marker = Self.marker()
            defer { try? FileManager.default.removeItem(atPath: marker + ".release") }
            let submission = try await Self.startDrip(fixture, lines: 3, marker: marker)
            let id = submission.run.publicID
            _ = try await Self.waitForPrinted(fixture, id, "line 3")
            // act: the page as a browser first gets it, then the step goes on to its end
            let page = try await fixture.test.send(
                .GET, "/runs/\(id)?target=n1", session: try await fixture.test.session("vera"))
            FileManager.default.createFile(atPath: marker + ".release", contents: Data())
            _ = await submission.completion?.value
            // assert: the page's output plus the events after the page's number are the stored output, once each
            let seq = try #require(Self.attribute("data-seq", in: page.text).flatMap(Int.init))
            let drawn = try #require(Self.preText(id: "log-0", in: page.text))
            #expect(drawn == "line 1\nline 2\nline 3\n")
            let streamed = try await fixture.service.events(id, after: seq, limit: 10_000)
                .filter { $0.kind == "output" && $0.data.contains(#""stream":"stdout""#) }
                .compactMap { event -> String? in
                    let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
                    return object?["text"] as? String
                }.joined()
            let stored = try #require(try await fixture.service.executions(id).first)
            #expect(stored.status == "succeeded")
            #expect(drawn + streamed == stored.stdout)
            #expect(stored.stdout == "line 1\nline 2\nline 3\nafter release\n")
        }
    }

    static func attribute(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: name + "=\"") else { return nil }
        let rest = html[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The text of `<pre … id="ID" …>…</pre>`, entities decoded.
    static func preText(id: String, in html: String) -> String? {
        guard let tag = html.range(of: "id=\"\(id)\""), let open = html[tag.upperBound...].firstIndex(of: ">"),
            let close = html[open...].range(of: "</pre>")
        else { return nil }
        return String(html[html.index(after: open)..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// A step interrupted by a process that stopped keeps what it printed (from its events).
@Suite("Interrupted output")
struct InterruptedOutputTests {
    @Test func anInterruptedStepKeepsWhatItPrinted() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            // setup: a run owned by a process that is gone, its step running, two output events stored
            try await RunRequestTests.seed(test)
            let service = RunRequestTests.service(test)
            let request = try RunRequestTests.request(test, "testkit.echo") { $0.targets = ["lin1"] }
            let prepared = try await service.planner(actor: .init(name: "oscar", source: .cli)).prepare(request)
            let (run, _) = try await service.store(prepared, requester: "oscar", source: "cli", hash: "h")
            run.owner = ProcessIdentity(host: ProcessIdentity.localHostName, pid: 999_999, token: "gone").description
            run.status = RunStatus.running.rawValue
            try await run.save(on: test.app.db)
            let execution = try #require(try await Execution.query(on: test.app.db).first())
            execution.status = ExecutionStatus.running.rawValue
            try await execution.save(on: test.app.db)
            for (seq, stream, text) in [(1, "stdout", "half a job\\n"), (2, "stderr", "a warning\\n")] {
                let event = RunEvent()
                event.$run.id = try run.requireID()
                event.seq = seq
                event.kind = "output"
                event.targetIndex = 0
                event.payload =
                    #"{"target":"lin1","target_index":0,"step":0,"phase":"action","stream":"\#(stream)","text":"\#(text)"}"#
                try await event.create(on: test.app.db)
            }
            // act
            #expect(try await service.recoverOrphanedRuns() == [run.publicID])
            // assert
            let after = try #require(try await service.executions(run.publicID).first)
            #expect(after.status == "interrupted")
            #expect(after.stdout == "half a job\n")
            #expect(after.stderr == "a warning\n")
        }
    }
}
