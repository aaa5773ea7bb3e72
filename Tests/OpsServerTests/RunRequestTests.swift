import Fluent
import Foundation
import OpsCore
import Testing

@testable import OpsServer

/// Requests refused before anything runs, and recovery of runs whose process died. No sshd needed.
@Suite("Run requests and recovery")
struct RunRequestTests {
    static func request(_ test: TestApp, _ reference: String, configure: (inout RunRequest) -> Void = { _ in })
        throws -> RunRequest
    {
        var request = try RunRequest(reference: reference, catalog: test.app.services.catalog.catalog)
        configure(&request)
        return request
    }

    static func service(_ test: TestApp) -> RunService {
        RunService(database: test.app.db, services: test.app.services, logger: test.app.logger)
    }

    static func seed(_ test: TestApp) async throws {
        let actor = AccountService.Actor(name: "admin", source: .system)
        let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: false)
        try await targets.create(TargetSpec(name: "lin1", address: "127.0.0.1", port: 1), by: actor)
        try await targets.create(TargetSpec(name: "win1", address: "127.0.0.1", port: 1, os: "windows"), by: actor)
    }

    @Test(arguments: [
        ("testkit.nope", "tool: tool 'testkit' has no action or workflow 'nope'"),
        ("nope.ping", "tool: no tool 'nope'"),
    ])
    func unknownReferencesAreNamed(reference: String, message: String) async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            do {
                _ = try Self.request(test, reference)
            } catch let error as RunError {
                #expect(error.description.hasPrefix(message))
                return
            }
            Issue.record("\(reference) was accepted")
        }
    }

    @Test(arguments: [
        (["targets": "ghost"], "targets: no target named 'ghost'"),
        (["groups": "ghosts"], "groups: no group named 'ghosts'"),
        (["selector": "=x"], "selector: "),
        (["selector": "role=none"], "targets: no target matched"),
        (["max_concurrency": "0"], "max_concurrency: must be at least 1"),
        (["max_concurrency": "lots"], "max_concurrency: 'lots' is not a number"),
        (["max_errors": "150%"], "max_errors: a percentage must be"),
        (["param": "seconds=-1"], "parameters.seconds: "),
        (["param": "colour=red"], "parameters.colour: unknown parameter"),
        (["target_win": "1"], "targets: tool 'testkit' runs on linux; not on win1 (windows)"),
    ])
    func badRequestsAreRefusedWithTheFieldNamed(fields: [String: String], message: String) async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            try await Self.seed(test)
            let request = try Self.request(test, "testkit.sleep") { request in
                request.targets =
                    fields["target_win"] != nil ? ["lin1", "win1"] : (fields["targets"].map { [$0] } ?? [])
                request.groups = fields["groups"].map { [$0] } ?? []
                request.selector = fields["selector"]
                if request.targets.isEmpty && request.groups.isEmpty && request.selector == nil {
                    request.targets = ["lin1"]
                }
                request.maxConcurrency = fields["max_concurrency"]
                request.maxErrors = fields["max_errors"]
                if let param = fields["param"]?.split(separator: "=", maxSplits: 1) {
                    request.parameters[String(param[0])] = String(param[1])
                }
            }
            do {
                _ = try await Self.service(test).submit(request, by: .init(name: "oscar", source: .api), source: "api")
                Issue.record("accepted: \(fields)")
            } catch let error as RunError {
                #expect(error.description.hasPrefix(message), "\(error.description)")
                #expect(error.status.code == 400)
            }
            #expect(try await Run.query(on: test.app.db).count() == 0)
        }
    }

    @Test func destructiveActionsNeedConfirmation() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            try await Self.seed(test)
            let request = try Self.request(test, "testkit.danger") { $0.targets = ["lin1"] }
            await #expect(throws: RunError.confirmationRequired("testkit.danger")) {
                _ = try await Self.service(test).submit(request, by: .init(name: "oscar", source: .api), source: "api")
            }
            // A dry run needs no confirmation: it changes nothing.
            _ = try await Self.service(test).dryRun(request, by: .init(name: "oscar", source: .api))
        }
    }

    /// A run whose process died (a pid that no longer exists on this host) is finished on recovery:
    /// what was running or pending ends interrupted, the run gets its final status and events.
    @Test func runsOfADeadProcessAreFinishedOnRecovery() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            // setup: a stored run owned by a process that is gone, one step done, one running, one pending
            try await Self.seed(test)
            let service = Self.service(test)
            let request = try Self.request(test, "testkit.echo") { $0.targets = ["lin1"] }
            let prepared = try await service.planner(actor: .init(name: "oscar", source: .cli)).prepare(request)
            var (run, _) = try await service.store(prepared, requester: "oscar", source: "cli", hash: "h")
            let dead = ProcessIdentity(host: ProcessIdentity.localHostName, pid: 999_999, token: "gone")
            run.owner = dead.description
            run.status = RunStatus.running.rawValue
            run.leaseExpiresAt = test.clock.now().addingTimeInterval(30)
            try await run.save(on: test.app.db)
            let execution = try #require(try await Execution.query(on: test.app.db).first())
            execution.status = ExecutionStatus.running.rawValue
            try await execution.save(on: test.app.db)
            let event = RunEvent()
            event.$run.id = try run.requireID()
            event.seq = 1
            event.kind = "run.status"
            event.payload = #"{"status":"running"}"#
            try await event.create(on: test.app.db)
            // act
            let recovered = try await service.recoverOrphanedRuns()
            // assert
            #expect(recovered == [run.publicID])
            run = try #require(try await Run.find(run.id, on: test.app.db))
            #expect(run.status == "failed")
            #expect(run.note?.contains("999999") == true)
            let after = try await service.executions(run.publicID)
            #expect(after.map(\.status) == ["interrupted"])
            #expect(after.first?.error?.hasPrefix("interrupted: the process running this run") == true)
            let events = try await service.events(run.publicID, after: 0)
            #expect(events.map(\.seq) == [1, 2, 3, 4])
            #expect(events.last?.kind == "run.finished")
            #expect(try await service.recoverOrphanedRuns().isEmpty, "nothing left to recover")
        }
    }

    @Test func aLiveOwnersRunIsLeftAloneUntilItsLeaseExpires() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            try await Self.seed(test)
            let service = Self.service(test)
            let request = try Self.request(test, "testkit.echo") { $0.targets = ["lin1"] }
            let prepared = try await service.planner(actor: .init(name: "oscar", source: .cli)).prepare(request)
            let (run, _) = try await service.store(prepared, requester: "oscar", source: "cli", hash: "h")
            run.owner = "another-host/1234/abc"
            run.status = RunStatus.running.rawValue
            run.leaseExpiresAt = test.clock.now().addingTimeInterval(30)
            try await run.save(on: test.app.db)
            #expect(try await service.recoverOrphanedRuns().isEmpty)
            test.clock.advance(by: 31)
            #expect(try await service.recoverOrphanedRuns() == [run.publicID])
        }
    }
}
