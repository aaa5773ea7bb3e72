import Fluent
import Foundation
import OpsCore
import Testing
import Vapor

@testable import OpsServer

/// One log for all targets (issue 16.4): lines joined across output events, prefixed with their target.
@Suite("Prefixed log lines")
struct PrefixedLogTests {
    @Test func linesSplitOverChunksAreJoinedAndKeptInTheOrderTheyEnded() {
        var log = PrefixedLog(stepCount: 1)
        log.add(targetIndex: 0, target: "web01", step: 0, stderr: false, text: "star")
        log.add(targetIndex: 1, target: "web02", step: 0, stderr: false, text: "one\ntw")
        log.add(targetIndex: 0, target: "web01", step: 0, stderr: false, text: "ted\n")
        log.add(targetIndex: 1, target: "web02", step: 0, stderr: true, text: "oops\n")
        let lines = log.finished()
        #expect(
            lines.map { log.text(of: $0) } == ["web02 | one\n", "web01 | started\n", "web02 |! oops\n", "web02 | tw\n"])
        #expect(lines.last?.open == true)
        #expect(lines.last?.key == "1-0-o")
    }

    @Test func aWorkflowNamesTheStepAndTheTailIsCut() {
        var log = PrefixedLog(stepCount: 3, keep: 2)
        for index in 1...5 { log.add(targetIndex: 0, target: "db", step: 1, stderr: false, text: "l\(index)\n") }
        #expect(log.finished().map { log.text(of: $0) } == ["db [2] | l4\n", "db [2] | l5\n"])
    }

    @Test func drainingHandsOutEndedLinesAndKeepsTheOpenOne() {
        var log = PrefixedLog(stepCount: 1)
        log.add(targetIndex: 0, target: "a", step: 0, stderr: false, text: "x\ny")
        #expect(log.drain().map(\.text) == ["x"])
        #expect(log.drain().isEmpty)
        #expect(log.remainder().map(\.text) == ["y"])
    }
}

@Suite("All targets' output", .enabled(if: SSHFixture.current != nil))
struct RunAllTargetsLogTests {
    /// `testkit.claim` on three targets: the first to get there fails, the others print "not first".
    static func claimRun(_ fixture: RunFixture) async throws -> (RunDTO, [ExecutionDTO]) {
        let marker = "/tmp/pcmops-all-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: marker + ".claim") }
        return try await fixture.run(
            "testkit.claim", on: ["n1", "n2", "n3"], parameters: ["marker": marker],
            configure: { $0.maxErrors = "100%" })
    }

    @Test func thePageAndLogTxtShowEveryTargetsLinesPrefixed() async throws {
        try await RunFixture.run(targets: 3) { fixture in
            let (run, executions) = try await Self.claimRun(fixture)
            let failing = try #require(executions.first { $0.status == "failed" }?.target)
            let session = try await fixture.test.session("vera")
            // act: the all-targets view
            let page = try await fixture.test.send(.GET, "/runs/\(run.id)?view=all", session: session)
            // assert: one line per target, prefixed, and the view is marked for run.js
            #expect(page.status == .ok)
            #expect(page.text.contains(#"data-view="all""#))
            for name in ["n1", "n2", "n3"] { #expect(page.text.contains(#"<span class="who">\#(name) | </span>"#)) }
            #expect(page.text.contains("first here: failing"))
            // act: failed targets only
            let failed = try await fixture.test.send(.GET, "/runs/\(run.id)?view=all&failed=1", session: session)
            #expect(failed.text.contains("first here: failing"))
            #expect(!failed.text.contains("not first"))
            #expect(failed.text.contains(#"id="all-failed" name="failed" value="1" checked"#))
            // act: a search
            let searched = try await fixture.test.send(.GET, "/runs/\(run.id)?view=all&q=NOT%20FIRST", session: session)
            #expect(searched.text.contains("not first"))
            #expect(!searched.text.contains("first here"))
            let none = try await fixture.test.send(.GET, "/runs/\(run.id)?view=all&q=zzzz", session: session)
            #expect(none.text.contains("No line matches the filter."))
            // act: log.txt in the prefixed form
            let log = try await fixture.test.send(.GET, "/runs/\(run.id)/log.txt?format=prefixed", session: session)
            #expect(log.status == .ok)
            #expect(log.text.hasPrefix("run \(run.id) testkit.claim: "))
            #expect(log.text.contains("\(failing) | first here: failing\n"))
            #expect(log.text.components(separatedBy: " | not first\n").count == 3)
            let failedLog = try await fixture.test.send(
                .GET, "/runs/\(run.id)/log.txt?format=prefixed&failed=1", session: session)
            #expect(failedLog.text.contains("first here: failing"))
            #expect(!failedLog.text.contains("not first"))
            // the per-target form is still the default
            let plain = try await fixture.test.send(.GET, "/runs/\(run.id)/log.txt", session: session)
            #expect(plain.text.contains("=== \(failing) · 1. claim · failed"))
        }
    }

    @Test func anUnknownLogFormatIsRefusedNamingTheField() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            let (run, _) = try await fixture.run("testkit.echo", parameters: ["value": "hi\n"])
            let response = try await fixture.test.send(
                .GET, "/runs/\(run.id)/log.txt?format=html", session: try await fixture.test.session("vera"))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("format: must be 'targets' or 'prefixed'"))
        }
    }

    @Test func withoutOutputEventsTheViewIsBuiltFromTheStoredSteps() async throws {
        try await RunFixture.run(targets: 2) { fixture in
            // setup: a run whose events are gone (as after the retention policy)
            let (run, _) = try await fixture.run("testkit.echo", on: ["n1", "n2"], parameters: ["value": "kept\n"])
            let stored = try await fixture.service.find(run.id)
            try await RunEvent.query(on: fixture.test.app.db).filter(\.$run.$id == stored.requireID()).delete()
            let session = try await fixture.test.session("vera")
            // act
            let page = try await fixture.test.send(.GET, "/runs/\(run.id)?view=all", session: session)
            let log = try await fixture.test.send(.GET, "/runs/\(run.id)/log.txt?format=prefixed", session: session)
            // assert
            #expect(page.text.contains(#"<span class="who">n1 | </span>kept"#))
            #expect(log.text.contains("n1 | kept\n") && log.text.contains("n2 | kept\n"))
        }
    }

    /// Times on the run page (issue 16.2): `<time>` tags for the run and each execution, no ETA once it ended.
    @Test func aFinishedRunShowsItsTimesAndNoETA() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            let (run, _) = try await fixture.run("testkit.echo", parameters: ["value": "hi\n"])
            let page = try await fixture.test.send(
                .GET, "/runs/\(run.id)", session: try await fixture.test.session("vera"))
            #expect(page.text.contains(#"<time datetime=""#))
            #expect(page.text.contains(#"<span id="run-finished"> · finished <time"#))
            #expect(page.text.contains(#"<span id="eta-part" hidden="hidden">"#))
            #expect(page.text.contains(#"<span id="elapsed-label"> · took </span>"#))
            // one Started and one Finished time per execution row
            #expect(page.text.components(separatedBy: #"<td class="started"><time"#).count == 2)
            #expect(page.text.components(separatedBy: #"<td class="finished"><time"#).count == 2)
        }
    }
}
