import Fluent
import Foundation
import OpsCore
import SQLKit
import Testing
import Vapor

@testable import OpsServer

/// The runs list at any age (issue 17.2): one index range per filter and cursor, the counts from the run row.
/// Runs on in-memory SQLite, and on PostgreSQL in the PostgreSQL suite.
@Suite("Run history")
struct RunHistoryTests {
    /// A small generated history where hosts, tools and users repeat often.
    static func seed(_ test: TestApp, executions: Int = 1500) async throws -> HistorySeeder.Summary {
        var seeder = HistorySeeder(executions: executions)
        seeder.hosts = 25
        seeder.tools = 4
        seeder.users = 5
        seeder.days = 30
        return try await seeder.seed(into: test.app.db, now: test.clock.now())
    }

    static func service(_ test: TestApp) -> RunService {
        RunService(database: test.app.db, services: test.app.services, logger: test.app.logger)
    }

    /// Every run, newest first, with its targets from its executions: what each filter is checked against.
    static func reference(_ test: TestApp) async throws -> [(run: Run, targets: Set<String>)] {
        let runs = try await Run.query(on: test.app.db).all()
        let executions = try await Execution.query(on: test.app.db).field(\.$run.$id).field(\.$targetName).all()
        let targets = Dictionary(grouping: executions, by: \.$run.id).mapValues { Set($0.map(\.targetName)) }
        return runs.sorted {
            ($0.createdAt ?? .distantPast, $0.publicID) > ($1.createdAt ?? .distantPast, $1.publicID)
        }
        .map { ($0, $0.id.flatMap { targets[$0] } ?? []) }
    }

    /// Every page of `filter`, following the cursor; the ids in order.
    static func walk(_ service: RunService, _ filter: RunListFilter) async throws -> [RunDTO] {
        var filter = filter
        var shown = [RunDTO]()
        for _ in 0..<1000 {
            let page = try await service.page(filter)
            shown += page.runs
            guard let next = page.nextCursor else { return shown }
            #expect(page.runs.count == filter.limit, "only the last page is short")
            filter.cursor = RunCursor(publicID: next)
        }
        Issue.record("the cursor never ended")
        return shown
    }

    @Test func everyFilterAndEveryCursorPageAgreesWithTheWholeHistory() async throws {
        try await TestApp.run(fixtures: false) { test in
            // setup
            let summary = try await Self.seed(test)
            #expect(summary.executions >= 1500)
            let all = try await Self.reference(test)
            #expect(all.count == summary.runs)
            let service = Self.service(test)
            let now = test.clock.now()
            let ties = Dictionary(grouping: all, by: { $0.run.createdAt! }).values.filter { $0.count > 1 }
            #expect(!ties.isEmpty, "the history has runs created at the same moment, to test the cursor's tie-break")
            var cases: [(String, (inout RunListFilter) -> Void, (Run, Set<String>) -> Bool)] = [
                ("no filter", { _ in }, { _, _ in true }),
                ("status", { $0.status = "failed" }, { run, _ in run.status == "failed" }),
                ("tool", { $0.tool = "tool-02" }, { run, _ in run.tool == "tool-02" }),
                ("user", { $0.user = "user-03" }, { run, _ in run.requestedBy == "user-03" }),
                ("busy target", { $0.target = "host-0001" }, { _, targets in targets.contains("host-0001") }),
                ("quiet target", { $0.target = "host-0025" }, { _, targets in targets.contains("host-0025") }),
                ("unknown target", { $0.target = "nowhere" }, { _, _ in false }),
                (
                    "target and status",
                    {
                        $0.target = "host-0002"; $0.status = "succeeded"
                    },
                    { run, targets in targets.contains("host-0002") && run.status == "succeeded" }
                ),
                (
                    "tool and user",
                    {
                        $0.tool = "tool-01"; $0.user = "user-01"
                    },
                    { run, _ in run.tool == "tool-01" && run.requestedBy == "user-01" }
                ),
            ]
            let since = now.addingTimeInterval(-20 * 86400)
            let until = now.addingTimeInterval(-10 * 86400)
            cases.append(
                (
                    "since and until",
                    {
                        $0.since = since; $0.until = until
                    },
                    { run, _ in run.createdAt! >= since && run.createdAt! < until }
                ))
            cases.append(
                (
                    "target between dates",
                    {
                        $0.target = "host-0003"; $0.since = since; $0.until = until
                    },
                    { run, targets in targets.contains("host-0003") && run.createdAt! >= since && run.createdAt! < until
                    }
                ))
            for (name, apply, matches) in cases {
                var filter = RunListFilter()
                filter.limit = 7
                apply(&filter)
                // act
                let shown = try await Self.walk(service, filter)
                // assert
                let expected = all.filter { matches($0.run, $0.targets) }.map(\.run.publicID)
                #expect(shown.map(\.id) == expected, "\(name)")
            }
        }
    }

    @Test func theCountsOfAListComeFromTheRunRowAndMatchTheExecutions() async throws {
        try await TestApp.run(fixtures: false) { test in
            // setup
            _ = try await Self.seed(test, executions: 400)
            let service = Self.service(test)
            var filter = RunListFilter()
            filter.limit = 500
            // act
            let listed = try await service.page(filter).runs
            let counted = try await service.progress(try await Run.query(on: test.app.db).all())
            // assert
            let runs = try await Run.query(on: test.app.db).all()
            #expect(listed.count == runs.count)
            for run in runs {
                let stored = try #require(StoredProgress.progress(run.progressText))
                #expect(stored == counted[run.id!], "run \(run.publicID)")
                let dto = try #require(listed.first { $0.id == run.publicID })
                #expect(dto.counts == counted[run.id!]?.executions)
                #expect(dto.targetCounts == counted[run.id!]?.targets)
            }
        }
    }

    @Test func aRowWithoutStoredCountsIsCountedFromItsExecutions() async throws {
        try await TestApp.run(fixtures: false) { test in
            // setup: a row from before the column, and one whose text is not understood
            _ = try await Self.seed(test, executions: 60)
            let runs = try await Run.query(on: test.app.db).sort(\.$createdAt).all()
            try await Run.query(on: test.app.db).filter(\.$id == runs[0].id!).set(\.$progressText, to: nil).update()
            try await Run.query(on: test.app.db).filter(\.$id == runs[1].id!).set(\.$progressText, to: #"{"v":9}"#)
                .update()
            var filter = RunListFilter()
            filter.limit = 500
            // act
            let listed = try await Self.service(test).page(filter).runs
            // assert
            let counted = try await Self.service(test).progress(runs)
            for run in runs.prefix(2) {
                let dto = try #require(listed.first { $0.id == run.publicID })
                #expect(dto.counts == counted[run.id!]?.executions)
                #expect(dto.counts.total == run.targetCount * dto.steps.count)
            }
        }
    }

    @Test func aCursorThatNamesNoRunIsRefused() async throws {
        try await TestApp.run(fixtures: false) { test in
            _ = try await Self.seed(test, executions: 20)
            var filter = RunListFilter()
            filter.cursor = RunCursor(publicID: "r-0000000000")
            await #expect(throws: RunError.notFound("r-0000000000")) {
                _ = try await Self.service(test).page(filter)
            }
        }
    }

    @Test func theMigrationFillsTheNewTablesForRunsStoredBeforeThem() async throws {
        try await TestApp.run(fixtures: false) { test in
            // setup: a history written with the new tables, then those emptied (as in a database from before them)
            _ = try await Self.seed(test, executions: 600)
            let runs = try await Run.query(on: test.app.db).all()
            let progress = Dictionary(uniqueKeysWithValues: runs.map { ($0.id!, $0.progressText) })
            let weekAgo = test.clock.now().addingTimeInterval(-7 * 86400)
            let ended = try await RunHistoryTables.endedByTool(since: weekAgo, on: test.app.db)
            let targets = try await Self.runTargets(test)
            #expect(!ended.isEmpty && !targets.isEmpty)
            let sql = try #require(test.app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM run_targets").run()
            try await sql.raw("DELETE FROM run_tool_hours").run()
            try await Run.query(on: test.app.db).set(\.$progressText, to: nil).update()
            // act
            try await AddRunHistory.fill(on: test.app.db)
            // assert
            for run in try await Run.query(on: test.app.db).all() {
                #expect(StoredProgress.progress(run.progressText) == StoredProgress.progress(progress[run.id!] ?? nil))
            }
            #expect(try await Self.runTargets(test) == targets)
            let recounted = try await RunHistoryTables.endedByTool(since: weekAgo, on: test.app.db)
            #expect(
                recounted.map { "\($0.tool) \($0.succeeded)/\($0.ended)" }
                    == ended.map {
                        "\($0.tool) \($0.succeeded)/\($0.ended)"
                    })
        }
    }

    static func runTargets(_ test: TestApp) async throws -> [String] {
        let sql = try #require(test.app.db as? any SQLDatabase)
        return try await sql.raw("SELECT public_id, target_name FROM run_targets").all().map {
            "\(try $0.decode(column: "public_id", as: String.self)) \(try $0.decode(column: "target_name", as: String.self))"
        }.sorted()
    }

    @Test func theDashboardCountsRunsThatEndedThisWeekPerTool() async throws {
        try await TestApp.run { test in
            // setup
            _ = try await Self.seed(test, executions: 800)
            let now = test.clock.now()
            let weekAgo = now.addingTimeInterval(-7 * 86400)
            // act
            let model = try await DashboardModel.load(on: test.app.db, now: now, forAdmin: true)
            // assert: the same as counting the week's runs one by one
            let runs = try await Run.query(on: test.app.db).filter(\.$finishedAt >= weekAgo).all()
            let expected = Dictionary(grouping: runs, by: \.tool).map { tool, runs in
                "\(tool) \(runs.filter { $0.status == "succeeded" }.count)/\(runs.count)"
            }.sorted()
            #expect(!expected.isEmpty)
            #expect(model.successByTool.map { "\($0.tool) \($0.succeeded)/\($0.ended)" } == expected)
            let failures = try await Run.query(on: test.app.db)
                .filter(\.$status ~~ ["failed", "partially_failed"]).filter(\.$createdAt > weekAgo).all()
                .sorted { ($0.createdAt!, $0.publicID) > ($1.createdAt!, $1.publicID) }.prefix(10).map(\.publicID)
            #expect(model.recentFailures.map(\.id) == Array(failures))
        }
    }
}

@Suite("Stored progress")
struct StoredProgressTests {
    @Test func everyShapeOfProgressReadsBackAsItWasWritten() {
        let statuses: [[ExecutionStatus]] = [
            [.succeeded, .failed, .skipped], [.succeeded, .succeeded, .succeeded], [.running, .pending, .pending],
            [.timedOut, .skipped, .skipped], [.interrupted, .cancelled, .cancelled],
        ]
        for steps in 0...3 {
            let progress = RunProgress(stepCount: steps, targets: statuses.map { Array($0.prefix(steps)) })
            #expect(StoredProgress.progress(StoredProgress.text(progress)) == progress, "\(steps) steps")
        }
    }

    @Test(arguments: [
        "", "2|0,0,0,0,0,0,0,0|0,0,0,0,0,0,0,0", "1|0,0|0,0", "1|0,0,0,0,0,0,0,x|0,0,0,0,0,0,0,0",
        "1|0,0,0,0,0,0,0,-1|0,0,0,0,0,0,0,0", #"{"v":1}"#, "1|0,0,0,0,0,0,0,0|0,0,0,0,0,0,0,0|1,2",
    ])
    func textItDoesNotUnderstandIsNotTakenForCounts(text: String) {
        #expect(StoredProgress.progress(text) == nil)
    }
}
