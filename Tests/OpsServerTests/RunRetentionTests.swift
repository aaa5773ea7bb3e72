import Fluent
import Foundation
import OpsCore
import SQLKit
import Testing
import Vapor

@testable import OpsServer

/// `--retain-output-days` and `--retain-runs-days` (issue 17.2). Runs on in-memory SQLite, and on PostgreSQL in
/// the PostgreSQL suite.
@Suite("Run retention")
struct RunRetentionTests {
    static func policy(output: Int? = nil, runs: Int? = nil) -> RetentionPolicy {
        var policy = RetentionPolicy(outputDays: output, runsDays: runs)
        policy.executionsPerBatch = 40  // many small batches
        policy.pause = .zero
        return policy
    }

    /// A run still going, created long ago: retention never touches it.
    static func addRunningRun(_ test: TestApp) async throws -> Run {
        let run = Run()
        run.id = UUID()
        run.publicID = "r-running000"
        run.tool = "tool-01"
        run.action = "check"
        run.parametersJSON = "{}"
        run.stepsJSON = #"[{"action":"check"}]"#
        run.requestedBy = "oscar"
        run.source = "api"
        run.status = "running"
        run.maxConcurrency = "1"
        run.maxErrors = "0"
        run.targetCount = 1
        run.cancelRequested = false
        run.createdAt = test.clock.now().addingTimeInterval(-400 * 86400)
        try await run.create(on: test.app.db)
        let execution = Execution()
        execution.$run.id = try run.requireID()
        execution.targetIndex = 0
        execution.targetName = "host-0001"
        execution.targetAddress = "10.0.0.1"
        execution.stepIndex = 0
        execution.stepAction = "check"
        execution.status = "running"
        execution.stdout = "still going\n"
        execution.stderr = ""
        execution.truncated = false
        execution.attempt = 1
        try await execution.create(on: test.app.db)
        return run
    }

    static func retention(_ test: TestApp, _ policy: RetentionPolicy) -> RunRetention {
        RunRetention(database: test.app.db, policy: policy, logger: test.app.logger)
    }

    @Test func oldOutputAndEventsGoInSmallBatchesAndTheRunsStay() async throws {
        try await TestApp.run { test in
            // setup
            let summary = try await RunHistoryTests.seed(test, executions: 1200)
            let running = try await Self.addRunningRun(test)
            let now = test.clock.now()
            let cutoff = now.addingTimeInterval(-12 * 86400)
            let auditBefore = try await AuditEntry.query(on: test.app.db).count()
            // act
            let report = try await Self.retention(test, Self.policy(output: 12)).apply(now: now)
            // assert
            let runs = try await Run.query(on: test.app.db).all()
            #expect(runs.count == summary.runs + 1, "the runs themselves stay")
            let old = runs.filter { ($0.finishedAt ?? .distantFuture) < cutoff }
            #expect(!old.isEmpty && old.count < summary.runs)
            #expect(report.prunedOutput == old.count)
            for run in runs {
                let executions = try await Execution.query(on: test.app.db).filter(\.$run.$id == run.id!).all()
                let events = try await RunEvent.query(on: test.app.db).filter(\.$run.$id == run.id!).all()
                if old.contains(where: { $0.id == run.id }) {
                    #expect(run.outputPrunedAt == now)
                    #expect(executions.allSatisfy { $0.stdout.isEmpty && $0.stderr.isEmpty })
                    #expect(events.map(\.kind) == ["run.finished"], "the end stays, for a client following the run")
                    #expect(!executions.isEmpty, "the executions (status, exit code) stay")
                } else {
                    #expect(run.outputPrunedAt == nil)
                    #expect(executions.contains { !$0.stdout.isEmpty })
                    #expect(events.count > 1 || run.id == running.id)
                }
            }
            #expect(try await AuditEntry.query(on: test.app.db).count() == auditBefore + 1)
            let entry = try #require(
                try await AuditEntry.query(on: test.app.db).filter(\.$action == "runs.retention").first())
            #expect(entry.details?.contains(#""output_pruned":"\#(old.count)""#) == true)
            // and again: nothing more is due
            #expect(try await Self.retention(test, Self.policy(output: 12)).apply(now: now).isEmpty)
        }
    }

    @Test func oldRunsGoWithEverythingThatHangsOffThem() async throws {
        try await TestApp.run { test in
            // setup
            _ = try await RunHistoryTests.seed(test, executions: 1200)
            let running = try await Self.addRunningRun(test)
            let now = test.clock.now()
            let cutoff = now.addingTimeInterval(-20 * 86400)
            let doomed = try await Run.query(on: test.app.db).filter(\.$finishedAt < cutoff).all().compactMap(\.id)
            let kept = try await Run.query(on: test.app.db).count() - doomed.count
            #expect(!doomed.isEmpty)
            // act
            let report = try await Self.retention(test, Self.policy(runs: 20)).apply(now: now)
            // assert
            #expect(report.deletedRuns == doomed.count)
            #expect(try await Run.query(on: test.app.db).count() == kept)
            #expect(try await Run.find(running.id, on: test.app.db) != nil, "a run that has not ended stays")
            #expect(try await Execution.query(on: test.app.db).filter(\.$run.$id ~~ doomed).count() == 0)
            #expect(try await RunEvent.query(on: test.app.db).filter(\.$run.$id ~~ doomed).count() == 0)
            let sql = try #require(test.app.db as? any SQLDatabase)
            let left = try await sql.raw("SELECT COUNT(*) AS n FROM run_targets WHERE created_at < \(bind: cutoff)")
                .first()?.decode(column: "n", as: Int.self)
            #expect(left == 0)
            // the list still pages through what is left
            var filter = RunListFilter()
            filter.limit = 500
            #expect(try await RunHistoryTests.service(test).page(filter).runs.count == kept)
        }
    }

    @Test func aPrunedRunSaysSoInTheAPIAndOnItsPage() async throws {
        try await TestApp.run { test in
            // setup
            _ = try await RunHistoryTests.seed(test, executions: 100)
            let old = try #require(try await Run.query(on: test.app.db).sort(\.$createdAt).first())
            _ = try await Self.retention(test, Self.policy(output: 1)).apply(now: test.clock.now())
            let token = try await test.token("vera")
            // act
            let run = try await test.send(.GET, "/api/v1/runs/\(old.publicID)", bearer: token).json()
            let executions = try await test.send(.GET, "/api/v1/runs/\(old.publicID)/executions", bearer: token)
            let page = try await test.send(.GET, "/runs/\(old.publicID)", session: try await test.session("vera"))
            // assert
            #expect(run["output_pruned_at"] as? String != nil)
            #expect(executions.status == .ok && !executions.text.contains("check succeeded"))
            #expect(page.text.contains(#"id="output-pruned""#))
        }
    }

    @Test(arguments: [
        ("0", "retain-output-days"), ("-3", "retain-output-days"), ("ten", "retain-output-days"),
        ("36501", "retain-output-days"), ("1.5", "retain-runs-days"), ("", "retain-runs-days"),
    ])
    func daysMustBeAWholeNumberInRange(value: String, field: String) throws {
        #expect(throws: ConfigError.self) {
            _ = try RetentionPolicy.load(
                outputDays: field == "retain-output-days" ? value : nil,
                runsDays: field == "retain-runs-days" ? value : nil, environment: [:])
        }
        do {
            _ = try RetentionPolicy.load(
                outputDays: field == "retain-output-days" ? value : nil,
                runsDays: field == "retain-runs-days" ? value : nil, environment: [:])
        } catch {
            #expect(error.field == field)
            #expect(error.description.contains("PCMOPS_\(field.uppercased().replacingOccurrences(of: "-", with: "_"))"))
        }
    }

    @Test func flagsWinOverTheEnvironmentAndTheDefaultKeepsEverything() throws {
        let environment = ["PCMOPS_RETAIN_OUTPUT_DAYS": "30", "PCMOPS_RETAIN_RUNS_DAYS": "400"]
        #expect(try RetentionPolicy.load(outputDays: nil, runsDays: nil, environment: [:]).keepsEverything)
        let fromEnvironment = try RetentionPolicy.load(outputDays: nil, runsDays: nil, environment: environment)
        #expect(fromEnvironment == RetentionPolicy(outputDays: 30, runsDays: 400))
        let flags = try RetentionPolicy.load(outputDays: "7", runsDays: nil, environment: environment)
        #expect(flags == RetentionPolicy(outputDays: 7, runsDays: 400))
    }
}
