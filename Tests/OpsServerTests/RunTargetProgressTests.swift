import Fluent
import Foundation
import OpsCore
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Issue 17.4: a 4-step workflow on several targets is "4 targets · 3 succeeded · 1 failed at step 2", not
/// "succeeded 13". `local` targets run the testkit scripts on this host: no sshd needed.
@Suite("Run progress by target and step")
struct RunTargetProgressTests {
    /// A test app with `local` targets l1…lN and the testkit tool; the body gets an operator token.
    static func withLocalTargets(_ count: Int, _ body: (TestApp, String) async throws -> Void) async throws {
        try await TestApp.run(configure: {
            $0.allowLocal = true
            $0.toolsDirectory = RunFixture.toolsDirectory
        }) { test in
            let admin = try await test.token("admin")
            for index in 1...count {
                let created = try await test.send(
                    .POST, "/api/v1/targets", bearer: admin, json: #"{"name":"l\#(index)","transport":"local"}"#)
                #expect(created.status == .created, "\(created.text)")
            }
            try await body(test, try await test.token("oscar"))
        }
    }

    /// testkit.four-steps (echo, claim, echo, echo) one target at a time: the first target fails at step 2
    /// (claim), the others succeed. Returns the ended run as the API shows it.
    static func runFourSteps(_ test: TestApp, _ token: String, targets: Int) async throws -> [String: Any] {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("pcmops-claim-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: marker + ".claim") }
        let names = (1...targets).map { #""l\#($0)""# }.joined(separator: ",")
        let created = try await test.send(
            .POST, "/api/v1/runs", bearer: token,
            json: #"""
                {"tool":"testkit","workflow":"four-steps","targets":[\#(names)],"max_concurrency":1,
                 "parameters":{"marker":"\#(marker)","value":"hi"}}
                """#)
        #expect(created.status == .created, "\(created.text)")
        let id = try #require(try created.json()["id"] as? String)
        return try await RunsAPITests.waitForEnd(test, id, token)
    }

    static func counts(_ value: Any?) -> [String: Int]? { value as? [String: Int] }

    static func zero(_ changes: [String: Int]) -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: ExecutionStatus.allCases.map { ($0.rawValue, 0) })
        counts.merge(changes) { _, new in new }
        return counts
    }

    @Test func theAPICountsTargetsByOutcomeAndEachStepsProgress() async throws {
        try await Self.withLocalTargets(4) { test, token in
            // act
            let run = try await Self.runFourSteps(test, token, targets: 4)

            // assert
            #expect(run["status"] as? String == "partially_failed")
            #expect(Self.counts(run["target_counts"]) == Self.zero(["succeeded": 3, "failed": 1]))
            // `counts` stays per execution: 4 steps × 4 targets.
            #expect(Self.counts(run["counts"]) == Self.zero(["succeeded": 13, "failed": 1, "skipped": 2]))
            let steps = try #require(run["steps"] as? [[String: Any]])
            #expect(steps.map { $0["index"] as? Int } == [0, 1, 2, 3])
            #expect(steps.map { $0["action"] as? String } == ["echo", "claim", "echo", "echo"])
            #expect(steps[1]["name"] as? String == "Fail on the first target here")
            #expect(steps.map { $0["finished"] as? Int } == [4, 4, 4, 4])
            #expect(steps.map { $0["succeeded"] as? Int } == [4, 3, 3, 3])
            #expect(steps.map { $0["failed"] as? Int } == [0, 1, 0, 0])
            #expect(steps.map { $0["skipped"] as? Int } == [0, 0, 1, 1])
            #expect(steps.map { $0["pending"] as? Int } == [0, 0, 0, 0])
            #expect(
                steps.map { Self.counts($0["stopped"]) } == [
                    ["failed": 0, "timed_out": 0, "interrupted": 0, "cancelled": 0],
                    ["failed": 1, "timed_out": 0, "interrupted": 0, "cancelled": 0],
                    ["failed": 0, "timed_out": 0, "interrupted": 0, "cancelled": 0],
                    ["failed": 0, "timed_out": 0, "interrupted": 0, "cancelled": 0],
                ])
            // The history says the same.
            let page = try await test.send(.GET, "/api/v1/runs", bearer: token).json()
            let listed = try #require((page["runs"] as? [[String: Any]])?.first)
            #expect(Self.counts(listed["target_counts"]) == Self.counts(run["target_counts"]))
            #expect((listed["steps"] as? [[String: Any]])?.count == 4)
        }
    }

    @Test func theRunPageHeadlinesTargetsAndShowsAStepBar() async throws {
        try await Self.withLocalTargets(4) { test, token in
            // setup
            let run = try await Self.runFourSteps(test, token, targets: 4)
            let id = try #require(run["id"] as? String)
            let vera = try await test.session("vera")

            // act
            let page = try await test.send(.GET, "/runs/\(id)", session: vera)
            let history = try await test.send(.GET, "/runs", session: vera)

            // assert
            #expect(page.status == .ok)
            #expect(HTMLText.visible(page.text).contains("4 targets · 3 succeeded · 1 failed at step 2 (claim)"))
            #expect(page.text.contains(#"id="count-succeeded">3<"#))
            #expect(
                page.text.contains(#"id="count-failed">1</strong> failed<span id="where-failed"> at step 2 (claim)<"#))
            #expect(page.text.contains(#"<span id="target-skipped" hidden="hidden">"#), "no target was skipped")
            // A run that ended is not "at" a step: the line is there for run.js, hidden.
            #expect(page.text.contains(#"id="current-step" hidden="hidden">All 4 steps done<"#))
            #expect(page.text.contains(#"id="step-finished-1">4</strong> of 4 through"#))
            #expect(page.text.contains(#"id="step-note-1"> · 1 failed<"#))
            #expect(page.text.contains(#"id="step-note-3"> · 1 skipped<"#))
            #expect(page.text.contains(#"<progress id="step-progress-2" max="4" value="4">"#))
            // The history's Succeeded and Failed count targets too (not 13 executions).
            #expect(history.text.contains("<td>4</td><td>3</td><td class=\"bad\">1</td>"))
        }
    }

    /// Without JavaScript mid-run: one target running step 2, one between steps 2 and 3, one not started.
    @Test func aRunningRunsPageSaysWhereTargetsAndStepsAre() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            // setup
            let (run, _) = try await Self.storedFourSteps(
                test, statuses: [["s", "r", "p", "p"], ["s", "s", "p", "p"], ["p", "p", "p", "p"]])

            // act
            let page = try await test.send(.GET, "/runs/\(run.publicID)", session: try await test.session("vera"))

            // assert
            #expect(HTMLText.visible(page.text).contains("3 targets · 2 running · 1 pending 0 of 3 targets done"))
            #expect(page.text.contains(#"id="current-step">Step 2 of 4: claim<"#))
            #expect(page.text.contains(#"id="step-finished-0">2</strong> of 3 through"#))
            #expect(page.text.contains(#"id="step-note-1"> · 1 running<"#))
            #expect(page.text.contains(#"id="step-note-2"></span>"#), "nothing else at step 3 yet")
            #expect(page.text.contains(#"data-statuses="srppsspppppp""#))
        }
    }

    /// The live stream: every `execution.status` says where its target now is, and `run.finished` has the
    /// target counts and the steps, as the API does.
    @Test func liveEventsCarryTargetLevelProgress() async throws {
        try await Self.withLocalTargets(3) { test, token in
            // setup
            let run = try await Self.runFourSteps(test, token, targets: 3)
            let id = try #require(run["id"] as? String)

            // act
            let stream = try await test.send(.GET, "/api/v1/runs/\(id)/events", bearer: token)

            // assert
            let events = SSEText.events(stream.text)
            let statuses = events.filter { $0.kind == "execution.status" }.map(\.data)
            #expect(!statuses.isEmpty)
            #expect(statuses.allSatisfy { $0["target_status"] is String && $0.keys.contains("target_step") })
            let first = statuses.filter { $0["target"] as? String == "l1" }
            #expect(first.first?["target_status"] as? String == "running")
            let claim = try #require(first.first { $0["step"] as? Int == 1 && $0["status"] as? String == "failed" })
            #expect(claim["target_status"] as? String == "failed")
            #expect(claim["target_step"] as? Int == 1)
            #expect(first.last?["status"] as? String == "skipped")
            #expect(first.last?["target_status"] as? String == "failed", "skipping the rest keeps it failed at step 2")
            let other = statuses.filter { $0["target"] as? String == "l2" }
            #expect(other.last?["target_status"] as? String == "succeeded")
            #expect(other.last?["target_step"] is NSNull)
            let between = try #require(
                other.first { $0["step"] as? Int == 0 && $0["status"] as? String == "succeeded" })
            #expect(between["target_status"] as? String == "running", "done with step 1, not with the rest")
            let finished = try #require(events.last)
            #expect(finished.kind == "run.finished")
            #expect(Self.counts(finished.data["target_counts"]) == Self.zero(["succeeded": 2, "failed": 1]))
            #expect(Self.counts(finished.data["counts"]) == Self.counts(run["counts"]))
            let steps = try #require(finished.data["steps"] as? [[String: Any]])
            #expect(steps.count == 4)
            #expect(Self.counts(steps[1]["stopped"])?["failed"] == 1)
            #expect(steps[2]["skipped"] as? Int == 1)
        }
    }

    /// A run whose process died: the steps left end interrupted, their events and `run.finished` say where the
    /// target stopped.
    @Test func recoveryEventsSayWhereTargetsStopped() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            // setup
            let (stored, service) = try await Self.storedFourSteps(test, statuses: [["s", "r", "p", "p"]])
            let dead = ProcessIdentity(host: ProcessIdentity.localHostName, pid: 999_999, token: "gone")
            stored.owner = dead.description
            try await stored.save(on: test.app.db)

            // act
            let recovered = try await service.recoverOrphanedRuns()

            // assert
            #expect(recovered == [stored.publicID])
            let events = try await service.events(stored.publicID, after: 0).map {
                (
                    kind: $0.kind,
                    data: try #require(try JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any])
                )
            }
            let interrupted = events.filter { $0.kind == "execution.status" }.map(\.data)
            #expect(interrupted.map { $0["step"] as? Int } == [1, 2, 3])
            #expect(interrupted.allSatisfy { $0["target_status"] as? String == "interrupted" })
            #expect(interrupted.allSatisfy { $0["target_step"] as? Int == 1 })
            let finished = try #require(events.last)
            #expect(finished.kind == "run.finished")
            #expect(Self.counts(finished.data["target_counts"]) == Self.zero(["interrupted": 1]))
            #expect(Self.counts((finished.data["steps"] as? [[String: Any]])?[1]["stopped"])?["interrupted"] == 1)
            let shown = try await service.show(stored.publicID)
            #expect(shown.targetHeadline == "1 target · 1 interrupted at step 2 (claim)")
        }
    }

    /// Steps stored unreadably (or an unknown status) do not break a run's page or API: the steps are then
    /// counted from the executions, unnamed.
    @Test func unreadableStoredStepsAreCountedFromTheExecutions() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            // setup
            let (stored, service) = try await Self.storedFourSteps(
                test, statuses: [["s", "f", "k", "k"], ["s", "s", "s", "s"]])
            stored.stepsJSON = "{not json"
            try await stored.save(on: test.app.db)
            let odd = try #require(
                try await Execution.query(on: test.app.db).filter(\.$targetIndex == 1).filter(\.$stepIndex == 3).first()
            )
            odd.status = "weird"
            try await odd.save(on: test.app.db)

            // act
            let api = try await test.send(.GET, "/api/v1/runs/\(stored.publicID)", bearer: try await test.token("vera"))
            let page = try await test.send(.GET, "/runs/\(stored.publicID)", session: try await test.session("vera"))

            // assert
            #expect(api.status == .ok)
            let run = try api.json()
            let steps = try #require(run["steps"] as? [[String: Any]])
            #expect(steps.map { $0["action"] as? String } == ["", "", "", ""])
            #expect(steps.map { $0["finished"] as? Int } == [2, 2, 2, 1])
            // The unknown status reads as not started: that target is still "running" (done with some steps).
            #expect(Self.counts(run["target_counts"]) == Self.zero(["failed": 1, "running": 1]))
            #expect(page.status == .ok)
            #expect(HTMLText.visible(page.text).contains("2 targets · 1 failed at step 2 () · 1 running"))
            #expect(try await service.show(stored.publicID).counts.total == 7, "the unknown status is no execution")
        }
    }

    /// The steps in `run.finished` are the API's steps, byte for byte.
    @Test func aStepInAnEventIsTheSameObjectAsInTheAPI() throws {
        var progress = RunProgress.Step()
        progress.executions[.succeeded] = 3
        progress.executions[.timedOut] = 1
        progress.stopped[.timedOut] = 1
        let step = RunStepDTO(index: 2, action: "claim", name: "Claim \"it\"", progress)
        let encoded = String(decoding: try JSONEncoder.sorted.encode(step), as: UTF8.self)
        #expect(step.json.text == encoded)
        #expect(step.notes == " · 1 timed out")
        #expect(step.finished == 4)
    }

    /// A stored four-steps run on SSH targets lin1…linN (nothing runs) whose executions are `statuses` (one
    /// letter per step: s, r, p, f, k), marked running.
    static func storedFourSteps(_ test: TestApp, statuses: [[String]]) async throws -> (Run, RunService) {
        let actor = AccountService.Actor(name: "admin", source: .system)
        let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: false)
        for index in statuses.indices {
            try await targets.create(TargetSpec(name: "lin\(index + 1)", address: "127.0.0.1", port: 1), by: actor)
        }
        let service = RunService(database: test.app.db, services: test.app.services, logger: test.app.logger)
        var request = try RunRequest(reference: "testkit.four-steps", catalog: test.app.services.catalog.catalog)
        request.targets = statuses.indices.map { "lin\($0 + 1)" }
        request.maxConcurrency = "1"
        let prepared = try await service.planner(actor: .init(name: "oscar", source: .cli)).prepare(request)
        let (run, _) = try await service.store(prepared, requester: "oscar", source: "cli", hash: "h")
        run.status = RunStatus.running.rawValue
        run.leaseExpiresAt = test.clock.now().addingTimeInterval(30)
        try await run.save(on: test.app.db)
        let letters: [String: ExecutionStatus] = [
            "s": .succeeded, "r": .running, "p": .pending, "f": .failed, "k": .skipped,
        ]
        for execution in try await Execution.query(on: test.app.db).filter(\.$run.$id == run.requireID()).all() {
            execution.status = (letters[statuses[execution.targetIndex][execution.stepIndex]] ?? .pending).rawValue
            try await execution.save(on: test.app.db)
        }
        return (run, service)
    }
}

/// What a reader sees of a page: the headline's hidden states and the tags left out, white space collapsed.
enum HTMLText {
    static func visible(_ html: String) -> String {
        // A hidden state: `<span id="target-x" hidden="hidden"> · <span …><strong …>0</strong> x<span …></span>`
        // then the two spans around it closed.
        html.replacingOccurrences(
            of: #"<span id="target-[a-z_]+" hidden="hidden">.*?</span></span></span>"#, with: "",
            options: .regularExpression
        )
        .replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        .replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }
}

/// Server-Sent Events text as (kind, data) pairs.
enum SSEText {
    static func events(_ text: String) -> [(kind: String, data: [String: Any])] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var kind: String?
            var data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { kind = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let kind, let data,
                let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
            else { return nil }
            return (kind, object)
        }
    }
}
