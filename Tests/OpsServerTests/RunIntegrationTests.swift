import Fluent
import Foundation
import OpsCore
import SQLKit
import Testing

@testable import OpsServer

@Suite("Runs against real sshd", .enabled(if: SSHFixture.current != nil), .serialized)
struct RunIntegrationTests {
    @Test func pingRunsOnEveryTargetAndEverythingIsRecorded() async throws {
        try await RunFixture.run(targets: 5) { fixture in
            // act
            let (run, executions) = try await fixture.run("system.ping", on: ["n1", "n2", "n3", "n4", "n5"])
            // assert
            #expect(run.status == "succeeded")
            #expect(run.counts.succeeded == 5)
            #expect(executions.map(\.stdout) == Array(repeating: "ok\n", count: 5))
            #expect(executions.allSatisfy { $0.startedAt != nil && $0.finishedAt != nil && $0.exitCode == 0 })
            let events = try await fixture.events(run.id)
            #expect(events.map(\.seq) == Array(1...events.count), "sequence numbers without gaps")
            #expect(events.first?.kind == "run.status")
            #expect(events.last?.kind == "run.finished")
            #expect(events.filter { $0.kind == "output" }.count == 5)
            let script = try #require(try await ScriptRecord.query(on: fixture.test.app.db).first())
            #expect(script.tool == "system" && script.action == "ping" && script.content == "echo ok\n")
            let stored = try #require(try await Run.query(on: fixture.test.app.db).first())
            #expect(stored.stepsJSON.contains(script.sha256))
            #expect(stored.stepsJSON.contains("rendered_sha256"))
            #expect(stored.owner == nil, "a finished run holds no lease")
        }
    }

    /// Values reach the target exactly as given, whatever they contain.
    @Test func hostileValuesArriveLiterally() async throws {
        let corpus = [
            "it's", "\"double\"", "$(touch /tmp/pcmops-pwned)", "`id`", "a\nb\n\nc", "; rm -rf / #", "'\\''",
            "$HOME ${PATH} $((1+1))", "back\\slash\\", "ünïcødé ✓ 日本語 🚀", "-n", "\t tab", "*", "!!",
            String(repeating: "x'y\"z$`\\\n", count: 10_000),
        ]
        try await RunFixture.run(targets: 1) { fixture in
            for value in corpus {
                let (run, executions) = try await fixture.run("testkit.echo", parameters: ["value": value])
                #expect(run.status == "succeeded", "\(value.prefix(40))")
                #expect(executions.first?.stdout == value, "value \(value.prefix(40).debugDescription) changed")
            }
            #expect(!FileManager.default.fileExists(atPath: "/tmp/pcmops-pwned"))
        }
    }

    @Test func aValueWithNULIsRefusedBeforeAnythingRuns() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            await #expect(throws: RunError.self) {
                _ = try await fixture.run("testkit.echo", parameters: ["value": "a\u{0}b"])
            }
            let stored = try await Run.query(on: fixture.test.app.db).count()
            #expect(stored == 0)
        }
    }

    @Test func pastMaxErrorsTheRestAreSkipped() async throws {
        try await RunFixture.run(targets: 3) { fixture in
            try await TargetService(database: fixture.test.app.db, audit: fixture.test.audit, allowLocal: false)
                .create(
                    TargetSpec(name: "down2", address: fixture.ssh.host, port: 1),
                    by: .init(name: "admin", source: .system))
            let (run, executions) = try await fixture.run("system.ping", on: ["down", "down2", "n1", "n2", "n3"]) {
                $0.maxConcurrency = "1"
                $0.maxErrors = "1"
            }
            #expect(executions.map(\.status) == ["failed", "failed", "skipped", "skipped", "skipped"])
            #expect(executions[0].error?.hasPrefix("connect: cannot reach") == true)
            #expect(executions[2].error?.contains("more than max errors (1)") == true)
            #expect(run.status == "failed")
        }
    }

    @Test func aFailedValidationRollsBackOnTheTarget() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            let marker = try Self.sharedDirectory() + "/m"
            FileManager.default.createFile(atPath: marker + ".invalid", contents: Data())
            let (run, executions) = try await fixture.run("testkit.chain", parameters: ["marker": marker])
            #expect(executions.map(\.status) == ["failed", "skipped"])
            #expect(executions[0].rollback == "succeeded")
            #expect(executions[0].error == "validation failed: exit status 1; rollback succeeded")
            #expect(executions[0].stdout.contains("--- pcm-ops: rollback ---\nrestored"))
            #expect(try String(contentsOfFile: marker + ".rolledback", encoding: .utf8) == "rolled back\n")
            #expect(run.status == "failed")
        }
    }

    @Test func continuePolicyRunsTheNextStepAndStderrIsKeptApart() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            let (run, executions) = try await fixture.run(
                "testkit.keep-going", parameters: ["code": "3", "value": "next"])
            #expect(executions.map(\.status) == ["failed", "succeeded"])
            #expect(executions[0].exitCode == 3)
            #expect(executions[0].stdout == "exiting with 3\n")
            #expect(executions[0].stderr == "to stderr\n")
            #expect(executions[1].stdout == "next")
            #expect(run.status == "failed")
        }
    }

    @Test func aStepPastItsTimeoutEndsTimedOut() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            let started = ContinuousClock.now
            let (run, executions) = try await fixture.run("testkit.slow")
            // The step sleeps 300 s: ending well before that proves the 2 s timeout cut it, with room for a slow
            // key exchange on a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(120))
            #expect(executions.first?.status == "timed_out")
            #expect(executions.first?.error == "timed out after 2 s")
            #expect(executions.first?.stdout.hasPrefix("started") == true)
            #expect(run.status == "failed")
        }
    }

    @Test func cancelStopsRunningTargetsAndEndsThemCancelled() async throws {
        try await RunFixture.run(targets: 3) { fixture in
            // setup: three targets sleeping for a minute
            var request = try RunRequest(reference: "testkit.sleep", catalog: fixture.test.app.services.catalog.catalog)
            request.targets = ["n1", "n2", "n3"]
            request.parameters = ["seconds": "60"]
            let submission = try await fixture.service.submit(request, by: RunFixture.operatorActor, source: "api")
            let id = submission.run.publicID
            for _ in 0..<200 {
                if try await fixture.service.show(id).counts.running == 3 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            // act
            let started = ContinuousClock.now
            _ = try await fixture.service.cancel(id, by: .init(name: "vera-op", source: .api))
            let summary = await submission.completion?.value
            // assert
            // The targets sleep 60 s: a cancel that waited for them would take that long.
            #expect(ContinuousClock.now - started < .seconds(40))
            #expect(summary?.status == .cancelled)
            let executions = try await fixture.service.executions(id)
            #expect(executions.map(\.status) == ["cancelled", "cancelled", "cancelled"])
            #expect(executions.allSatisfy { $0.error == "cancelled: cancelled by vera-op" })
            #expect(try await fixture.service.show(id).status == "cancelled")
            await #expect(throws: RunError.notCancellable(id: id, status: "cancelled")) {
                _ = try await fixture.service.cancel(id, by: .init(name: "oscar", source: .api))
            }
        }
    }

    @Test func secretValuesAreMaskedEverywhere() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            let secret = "hunter2-\(UUID().uuidString.prefix(8))"
            let (run, executions) = try await fixture.run("testkit.secret", parameters: ["token": secret])
            #expect(executions.first?.stdout == "the token is ***\n")
            #expect(run.parameters["token"] == "***")
            let sql = try #require(fixture.test.app.db as? any SQLDatabase)
            for table in ["runs", "executions", "run_events", "audit_log", "scripts"] {
                let rows = try await sql.raw("SELECT * FROM \(ident: table)").all()
                for row in rows {
                    for column in row.allColumns {
                        let text = (try? row.decode(column: column, as: String?.self)) ?? nil
                        #expect(text?.contains(secret) != true, "\(table).\(column) holds the secret")
                    }
                }
            }
        }
    }

    @Test func anIdempotencyKeyReturnsTheEarlierRunAndRefusesADifferentRequest() async throws {
        try await RunFixture.run(targets: 2) { fixture in
            let (first, _) = try await fixture.run("system.ping") { $0.idempotencyKey = "deploy-42" }
            var request = try RunRequest(reference: "system.ping", catalog: fixture.test.app.services.catalog.catalog)
            request.targets = ["n1"]
            request.idempotencyKey = "deploy-42"
            let again = try await fixture.service.submit(request, by: RunFixture.operatorActor, source: "api")
            #expect(!again.created)
            #expect(again.run.publicID == first.id)
            request.targets = ["n2"]
            await #expect(throws: RunError.idempotencyConflict("deploy-42")) {
                _ = try await fixture.service.submit(request, by: RunFixture.operatorActor, source: "api")
            }
            #expect(try await Run.query(on: fixture.test.app.db).count() == 1)
        }
    }

    @Test func anAdminActionWithoutPasswordlessSudoSaysSo() async throws {
        try await RunFixture.run(targets: 1) { fixture in
            let (_, executions) = try await fixture.run("testkit.admin")
            #expect(executions.first?.status == "failed")
            #expect(executions.first?.error?.contains("sudo asks") == true, "\(executions.first?.error ?? "")")
        }
    }

    @Test func aDryRunRendersEverythingAndStoresNothing() async throws {
        try await RunFixture.run(targets: 2) { fixture in
            var request = try RunRequest(
                reference: "testkit.secret", catalog: fixture.test.app.services.catalog.catalog)
            request.selector = "fleet=test"
            request.parameters = ["token": "s3cr3t-value"]
            let report = try await fixture.service.dryRun(request, by: RunFixture.operatorActor)
            #expect(report.targets.map(\.name) == ["n1", "n2"])
            #expect(report.targets.first?.command == "sh -s")
            let text = try #require(report.steps.first?.scripts.first?.text)
            #expect(text.contains("export PARAM_TOKEN='***'"))
            #expect(!text.contains("s3cr3t-value"))
            #expect(try await Run.query(on: fixture.test.app.db).count() == 0)
        }
    }

    static func sharedDirectory() throws -> String {
        let path = "/tmp/pcmops-run-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o777)
        return path
    }
}
