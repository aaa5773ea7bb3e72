import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// `/api/v1/jobs` (issue 16.3): saved jobs, who may change them, what a runner may change, and jobs the catalog or
/// the inventory broke. Runs on SQLite, and on PostgreSQL in the PostgreSQL suite.
@Suite("Jobs API")
struct JobsAPITests {
    @Test func anOperatorSavesAJobEveryoneReadsItAndItsRunsRecordIt() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            // act
            let created = try await test.send(
                .POST, "/api/v1/jobs", bearer: tokens.oscar,
                json:
                    #"{"name":"lab-ping","description":"Ping the lab","tool":"system","action":"ping","groups":["lab"]}"#
            )
            let run = try await test.send(.POST, "/api/v1/jobs/lab-ping/run", bearer: tokens.oscar)
            // assert
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers.first(name: .location) == "/api/v1/jobs/lab-ping")
            let job = try created.json()
            #expect(job["owner"] as? String == "oscar")
            #expect(job["version"] as? Int == 1)
            #expect(job["groups"] as? [String] == ["lab"])
            #expect(job["problems"] as? [String] == [])
            #expect(job["overridable"] as? [String] == [])
            #expect(UUID(uuidString: job["id"] as? String ?? "") != nil)
            let listed = try await test.jsonArray("/api/v1/jobs", bearer: tokens.vera)
            #expect(listed.map { $0["name"] as? String } == ["lab-ping"])
            let shown = try await test.send(.GET, "/api/v1/jobs/lab-ping", bearer: tokens.vera).json()
            #expect(shown["description"] as? String == "Ping the lab")
            #expect(run.status == .created, "\(run.text)")
            let runID = try #require(try run.json()["id"] as? String)
            #expect(run.headers.first(name: .location) == "/api/v1/runs/\(runID)")
            #expect(try run.json()["job"] as? String == "lab-ping")
            #expect(try run.json()["job_version"] as? Int == 1)
            #expect(try run.json()["target_count"] as? Int == 2)
            let ended = try await RunsAPITests.waitForEnd(test, runID, tokens.vera)
            #expect(ended["job"] as? String == "lab-ping")
            let history = try await JobFixture.runs(test, tokens.vera)
            #expect(history.first?["job"] as? String == "lab-ping")
            #expect(history.first?["job_version"] as? Int == 1)
            for action in ["job.create", "job.run"] {
                let audit = try await test.send(.GET, "/api/v1/audit?action=\(action)", bearer: tokens.admin)
                #expect(audit.text.contains("job:lab-ping"), "\(action): \(audit.text)")
            }
        }
    }

    @Test func secretValuesAreSealedShownMaskedAndKeptWhenSentBackMasked() async throws {
        try await JobFixture.withTools { tools in
            try await TestApp.run(configure: { $0.toolsDirectory = tools }) { test in
                // setup
                let tokens = try await JobFixture.setUp(test)
                _ = try await JobFixture.create(
                    test, tokens.oscar,
                    #"{"name":"show","tool":"jobkit","action":"show","targets":["t1"],"parameters":{"unit":"nginx","password":"s3cret-value"}}"#
                )
                let service = JobService(database: test.app.db, services: test.app.services, logger: test.app.logger)
                let row = try await service.require("show")
                // act
                let shown = try await test.send(.GET, "/api/v1/jobs/show", bearer: tokens.vera).json()
                let kept = try await test.send(
                    .PATCH, "/api/v1/jobs/show", bearer: tokens.oscar,
                    json: #"{"parameters":{"unit":"httpd","password":"***"}}"#)
                let keptSecrets = try await service.require("show").secrets(test.app.services.vault)
                let dropped = try await test.send(
                    .PATCH, "/api/v1/jobs/show", bearer: tokens.oscar, json: #"{"parameters":{"unit":"httpd"}}"#)
                // assert
                #expect(shown["parameters"] as? [String: String] == ["unit": "nginx", "password": "***"])
                #expect(shown["prompts"] as? [String] == [])
                #expect(!row.parametersJSON.contains("s3cret"))
                #expect(row.secretCiphertext?.isEmpty == false)
                #expect(kept.status == .ok, "\(kept.text)")
                #expect(keptSecrets == ["password": "s3cret-value"])
                #expect(try kept.json()["version"] as? Int == 2)
                #expect(dropped.status == .ok, "\(dropped.text)")
                #expect(try dropped.json()["prompts"] as? [String] == ["password"])
                #expect(try await service.require("show").secretCiphertext == nil)
                let audit = try await test.send(.GET, "/api/v1/audit?action=job.update", bearer: tokens.admin)
                #expect(!audit.text.contains("s3cret"))
                #expect(audit.text.contains("parameters"))
            }
        }
    }

    @Test func aSecretTheJobDoesNotStoreIsAskedForAtEachRun() async throws {
        try await JobFixture.withTools { tools in
            try await TestApp.run(configure: { $0.toolsDirectory = tools }) { test in
                // setup: password is required and secret; the job leaves it out and allows no changes
                let tokens = try await JobFixture.setUp(test)
                let job = try await JobFixture.create(
                    test, tokens.oscar,
                    #"{"name":"ask","tool":"jobkit","action":"show","targets":["t1"],"parameters":{"unit":"nginx"}}"#)
                // act
                let without = try await test.send(.POST, "/api/v1/jobs/ask/run", bearer: tokens.oscar)
                let fixed = try await test.send(
                    .POST, "/api/v1/jobs/ask/run", bearer: tokens.oscar,
                    json: #"{"parameters":{"password":"x","unit":"other"}}"#)
                let given = try await test.send(
                    .POST, "/api/v1/jobs/ask/run", bearer: tokens.oscar, json: #"{"parameters":{"password":"x"}}"#)
                // assert
                #expect(job["prompts"] as? [String] == ["password"])
                #expect(without.status == .badRequest)
                #expect(JobFixture.detail(without).contains("parameters.password: is required"))
                #expect(fixed.status == .badRequest)
                #expect(JobFixture.detail(fixed).contains("parameters.unit: job 'ask' sets its parameters"))
                #expect(given.status == .created, "\(given.text)")
                #expect(try given.json()["parameters"] as? [String: String] == ["unit": "nginx", "password": "***"])
            }
        }
    }

    @Test func aRunnerChangesOnlyWhatTheJobAllows() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            _ = try await JobFixture.create(
                test, tokens.oscar,
                #"{"name":"disk","tool":"system","action":"disk","targets":["t1","t2"],"parameters":{"threshold":"80"}}"#
            )
            // act
            let refused = [
                try await test.send(.POST, "/api/v1/jobs/disk/run", bearer: tokens.oscar, json: #"{"targets":["t2"]}"#),
                try await test.send(
                    .POST, "/api/v1/jobs/disk/run", bearer: tokens.oscar, json: #"{"max_concurrency":1}"#),
                try await test.send(
                    .POST, "/api/v1/jobs/disk/run", bearer: tokens.oscar, json: #"{"parameters":{"threshold":90}}"#),
                try await test.send(
                    .POST, "/api/v1/jobs/disk/run", bearer: tokens.oscar, json: #"{"parameters":{"nope":"1"}}"#),
                try await test.send(.POST, "/api/v1/jobs/disk/run", bearer: tokens.oscar, json: #"{"paramters":{}}"#),
            ]
            let runsAfterRefusals = try await JobFixture.runs(test, tokens.oscar).count
            let opened = try await test.send(
                .PATCH, "/api/v1/jobs/disk", bearer: tokens.oscar, json: #"{"overridable":["targets","limits"]}"#)
            let preview = try await test.send(
                .POST, "/api/v1/jobs/disk/run", bearer: tokens.oscar, json: #"{"targets":["t2"],"dry_run":true}"#)
            let runsAfterPreview = try await JobFixture.runs(test, tokens.oscar).count
            let run = try await test.send(
                .POST, "/api/v1/jobs/disk/run", bearer: tokens.oscar,
                json: #"{"targets":["t2"],"max_concurrency":"1"}"#)
            // assert
            #expect(refused.map(\.status) == Array(repeating: .badRequest, count: 5))
            let details = refused.map(JobFixture.detail)
            #expect(details[0].contains("targets: job 'disk' runs on its own targets"))
            #expect(details[1].contains("max_concurrency: job 'disk' sets its limits"))
            #expect(details[2].contains("parameters.threshold: job 'disk' sets its parameters"))
            #expect(details[3].contains("parameters.nope: unknown parameter"))
            #expect(details[4].contains("paramters: unknown field"))
            #expect(runsAfterRefusals == 0, "nothing ran")
            #expect(try opened.json()["overridable"] as? [String] == ["limits", "targets"])
            #expect(preview.status == .ok)
            #expect((try preview.json()["targets"] as? [[String: Any]])?.map { $0["name"] as? String } == ["t2"])
            #expect(runsAfterPreview == 0, "a preview runs nothing")
            #expect(run.status == .created, "\(run.text)")
            #expect(try run.json()["target_count"] as? Int == 1)
            #expect(try run.json()["max_concurrency"] as? String == "1")
            #expect(try run.json()["job_version"] as? Int == 2)
        }
    }

    @Test(arguments: [
        (#"{"name":"bad name","tool":"system","action":"ping","targets":["t1"]}"#, "name: may contain only"),
        (#"{"name":"new","tool":"system","action":"ping","targets":["t1"]}"#, "name: 'new' is reserved"),
        (#"{"name":"-x","tool":"system","action":"ping","targets":["t1"]}"#, "name: must start with a letter"),
        (#"{"name":"","tool":"system","action":"ping","targets":["t1"]}"#, "name: must not be empty"),
        (
            #"{"name":"\#(String(repeating: "a", count: 101))","tool":"system","action":"ping","targets":["t1"]}"#,
            "name: must be at most 100"
        ),
        (
            #"{"name":"d","tool":"system","action":"disk","targets":["t1"],"parameters":{"threshold":"abc"}}"#,
            "parameters.threshold: must be a whole number"
        ),
        (
            #"{"name":"d","tool":"system","action":"ping","targets":["t1"],"parameters":{"nope":"1"}}"#,
            "parameters.nope: unknown parameter"
        ),
        (#"{"name":"d","tool":"system","action":"ping"}"#, "targets: name targets, groups or a selector"),
        (#"{"name":"d","tool":"system","action":"ping","targets":["t1"],"max_errors":"200%"}"#, "max_errors"),
        (#"{"name":"d","tool":"system","action":"ping","workflow":"health","targets":["t1"]}"#, "action: give exactly"),
        (#"{"name":"d","tool":"system","action":"ping","targets":["t1"],"overridable":["all"]}"#, "overridable"),
        (#"{"name":"d","tool":"system","action":"ping","targets":["t1"],"paramters":{}}"#, "paramters: unknown field"),
        (#"{"name":"d","tool":"system","action":"ping","targets":["t1"],"description":"a\u0001b"}"#, "description"),
    ])
    func badJobsAre400NamingTheField(body: String, detail: String) async throws {
        try await TestApp.run { test in
            let tokens = try await JobFixture.setUp(test)
            let response = try await test.send(.POST, "/api/v1/jobs", bearer: tokens.oscar, json: body)
            #expect(response.status == .badRequest, "\(body) → \(response.status)")
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(JobFixture.detail(response).contains(detail), "\(response.text)")
            #expect(try await test.jsonArray("/api/v1/jobs", bearer: tokens.oscar).isEmpty)
        }
    }

    @Test func unknownJobsToolsActionsTargetsAndGroupsAre404AndADuplicateNameIs409() async throws {
        try await TestApp.run { test in
            let tokens = try await JobFixture.setUp(test)
            for (method, path, body) in [
                (HTTPMethod.GET, "/api/v1/jobs/ghost", nil), (.PATCH, "/api/v1/jobs/ghost", #"{"description":"x"}"#),
                (.DELETE, "/api/v1/jobs/ghost", nil), (.POST, "/api/v1/jobs/ghost/run", nil),
            ] as [(HTTPMethod, String, String?)] {
                let response = try await test.send(method, path, bearer: tokens.oscar, json: body)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(JobFixture.detail(response).contains("no job named 'ghost'"))
            }
            let tool = try await test.send(
                .POST, "/api/v1/jobs", bearer: tokens.oscar, json: #"{"name":"a","tool":"nope","action":"ping"}"#)
            #expect(tool.status == .notFound && JobFixture.detail(tool).contains("tool: no tool 'nope'"))
            let action = try await test.send(
                .POST, "/api/v1/jobs", bearer: tokens.oscar,
                json: #"{"name":"a","tool":"system","action":"nope","targets":["t1"]}"#)
            #expect(action.status == .notFound && JobFixture.detail(action).contains("has no action 'nope'"))
            for (json, detail) in [
                (
                    #"{"name":"a","tool":"system","action":"ping","targets":["ghost"]}"#,
                    "targets: no target named 'ghost'"
                ),
                (#"{"name":"a","tool":"system","action":"ping","groups":["ghost"]}"#, "groups: no group named 'ghost'"),
            ] {
                let response = try await test.send(.POST, "/api/v1/jobs", bearer: tokens.oscar, json: json)
                #expect(response.status == .notFound && JobFixture.detail(response).contains(detail), "\(json)")
            }
            let body = #"{"name":"twice","tool":"system","action":"ping","targets":["t1"]}"#
            _ = try await JobFixture.create(test, tokens.oscar, body)
            let again = try await test.send(.POST, "/api/v1/jobs", bearer: tokens.admin, json: body)
            #expect(again.status == .conflict)
            #expect(JobFixture.detail(again).contains("a job named 'twice' already exists"))
            // On the job's own path a 404 is for the job: a name the body gives that does not exist is a 422.
            for (json, detail) in [
                (#"{"targets":["ghost"]}"#, "targets: no target named 'ghost'"),
                (#"{"action":"nope"}"#, "no action 'nope'"),
                (#"{"tool":"nope"}"#, "tool: no tool 'nope'"),
            ] {
                let response = try await test.send(.PATCH, "/api/v1/jobs/twice", bearer: tokens.oscar, json: json)
                #expect(response.status == .unprocessableEntity, "\(json) → \(response.status)")
                #expect(JobFixture.detail(response).contains(detail), "\(response.text)")
            }
            let renamedOnto = try await test.send(
                .POST, "/api/v1/jobs", bearer: tokens.oscar,
                json: #"{"name":"other","tool":"system","action":"ping","targets":["t1"]}"#)
            #expect(renamedOnto.status == .created)
            let clash = try await test.send(
                .PATCH, "/api/v1/jobs/other", bearer: tokens.oscar, json: #"{"name":"twice"}"#)
            #expect(
                clash.status == .conflict && JobFixture.detail(clash).contains("a job named 'twice' already exists"))
        }
    }

    @Test func theOwnerAndAdminsChangeAJobViewersOnlyReadAndEveryChangeIsAudited() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            let olga = try await JobFixture.secondOperator(test)
            let job = try await JobFixture.create(
                test, tokens.oscar, #"{"name":"mine","tool":"system","action":"ping","targets":["t1"]}"#)
            // act and assert: a viewer reads but neither saves, changes, deletes nor runs
            #expect(try await test.send(.GET, "/api/v1/jobs/mine", bearer: tokens.vera).status == .ok)
            for (method, path, body) in [
                (HTTPMethod.POST, "/api/v1/jobs", #"{"name":"v","tool":"system","action":"ping","targets":["t1"]}"#),
                (.PATCH, "/api/v1/jobs/mine", #"{"description":"v"}"#), (.DELETE, "/api/v1/jobs/mine", nil),
                (.POST, "/api/v1/jobs/mine/run", nil),
            ] as [(HTTPMethod, String, String?)] {
                let response = try await test.send(method, path, bearer: tokens.vera, json: body)
                #expect(response.status == .forbidden, "viewer \(method) \(path)")
            }
            // another operator runs it, but may not change or delete it
            let olgasRun = try await test.send(.POST, "/api/v1/jobs/mine/run", bearer: olga)
            #expect(olgasRun.status == .created)
            let runPath = "/runs/\(try olgasRun.json()["id"] as? String ?? "")"
            let foreign = try await test.send(
                .PATCH, "/api/v1/jobs/mine", bearer: olga, json: #"{"description":"olga's now"}"#)
            #expect(foreign.status == .forbidden)
            #expect(JobFixture.detail(foreign).contains("job 'mine' belongs to oscar"))
            #expect(try await test.send(.DELETE, "/api/v1/jobs/mine", bearer: olga).status == .forbidden)
            let handOver = try await test.send(
                .PATCH, "/api/v1/jobs/mine", bearer: tokens.oscar, json: #"{"owner":"olga"}"#)
            #expect(handOver.status == .badRequest && JobFixture.detail(handOver).contains("only an admin"))
            // an admin changes it, hands it over (to an operator, not a viewer), and a stale version is refused
            let toViewer = try await test.send(
                .PATCH, "/api/v1/jobs/mine", bearer: tokens.admin, json: #"{"owner":"vera"}"#)
            #expect(toViewer.status == .badRequest && JobFixture.detail(toViewer).contains("cannot own a job"))
            let renamed = try await test.send(
                .PATCH, "/api/v1/jobs/mine", bearer: tokens.admin,
                json: #"{"name":"ours","owner":"olga","version":1,"description":"shared"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(try renamed.json()["id"] as? String == job["id"] as? String, "a rename keeps the id")
            #expect(try renamed.json()["owner"] as? String == "olga")
            #expect(try renamed.json()["version"] as? Int == 2)
            #expect(try await test.send(.GET, "/api/v1/jobs/mine", bearer: tokens.vera).status == .notFound)
            let afterRename = try await test.send(.GET, runPath, session: try await test.session("vera")).text
            #expect(afterRename.contains(#"<a href="/jobs/ours">mine</a> (version 1), now named ours"#))
            let stale = try await test.send(
                .PATCH, "/api/v1/jobs/ours", bearer: olga, json: #"{"description":"x","version":1}"#)
            #expect(stale.status == .conflict && JobFixture.detail(stale).contains("at version 2, not 1"))
            let unchanged = try await test.send(.PATCH, "/api/v1/jobs/ours", bearer: olga, json: "{}")
            #expect(try unchanged.json()["version"] as? Int == 2, "no change, no new version")
            #expect(try await test.send(.DELETE, "/api/v1/jobs/ours", bearer: tokens.oscar).status == .forbidden)
            #expect(try await test.send(.DELETE, "/api/v1/jobs/ours", bearer: olga).status == .noContent)
            // the runs keep the job's name; every change is in the audit log
            let afterDelete = try await test.send(.GET, runPath, session: try await test.session("vera")).text
            #expect(afterDelete.contains("Job mine (version 1), since deleted"))
            #expect(try await JobFixture.runs(test, tokens.vera).first?["job"] as? String == "mine")
            let audit = try await test.send(.GET, "/api/v1/audit?action=job.update", bearer: tokens.admin).text
            #expect(audit.contains("renamed_from") && audit.contains("owner"))
            let deleted = try await test.send(.GET, "/api/v1/audit?action=job.delete", bearer: tokens.admin).text
            #expect(deleted.contains("job:ours"))
        }
    }

    /// A job keeps what it was saved with; the catalog and the inventory move on. It says what broke and refuses to
    /// run (409) until it is edited, instead of failing on its targets.
    @Test(arguments: [
        ("actionRemoved", "action: tool 'jobkit' has no action 'show'"),
        ("requiredAdded", "parameters.zone: is required"),
        ("patternChanged", "parameters.unit: 'nginx' does not match"),
        ("targetRemoved", "targets: no target named 't1'"),
    ])
    func aJobTheCatalogOrInventoryBrokeSaysSoAndRefusesToRun(change: String, problem: String) async throws {
        try await JobFixture.withTools { tools in
            try await TestApp.run(configure: { $0.toolsDirectory = tools }) { test in
                // setup
                let tokens = try await JobFixture.setUp(test)
                _ = try await JobFixture.create(
                    test, tokens.oscar,
                    #"{"name":"kit","tool":"jobkit","action":"show","targets":["t1"],"parameters":{"unit":"nginx","password":"p"}}"#
                )
                // act
                switch change {
                case "actionRemoved":
                    try JobFixture.write(
                        JobFixture.tool.replacingOccurrences(
                            of: "  - id: show\n    name: Show", with: "  - id: look\n    name: Look"),
                        to: tools)
                case "requiredAdded":
                    try JobFixture.write(
                        JobFixture.tool.replacingOccurrences(
                            of: "  - name: note\n",
                            with: "  - name: zone\n    type: string\n    required: true\n  - name: note\n"),
                        to: tools)
                case "patternChanged":
                    try JobFixture.write(
                        JobFixture.tool.replacingOccurrences(of: "^[a-z]+$", with: "^[0-9]+$"), to: tools)
                default:
                    #expect(
                        try await test.send(.DELETE, "/api/v1/targets/t1", bearer: tokens.admin).status == .noContent)
                }
                #expect(try await test.send(.POST, "/api/v1/tools/reload", bearer: tokens.admin).status == .ok)
                let shown = try await test.send(.GET, "/api/v1/jobs/kit", bearer: tokens.vera).json()
                let listed = try await test.jsonArray("/api/v1/jobs", bearer: tokens.vera)
                let run = try await test.send(.POST, "/api/v1/jobs/kit/run", bearer: tokens.oscar)
                let page = try await test.send(.GET, "/jobs/kit", session: try await test.session("oscar"))
                // assert
                #expect((shown["problems"] as? [String])?.contains { $0.hasPrefix(problem) } == true, "\(shown)")
                #expect((listed.first?["problems"] as? [String])?.isEmpty == false)
                #expect(run.status == .conflict, "\(run.text)")
                #expect(JobFixture.detail(run).contains("job 'kit' cannot run until it is edited: \(problem)"))
                #expect(try await JobFixture.runs(test, tokens.oscar).isEmpty, "nothing ran")
                #expect(
                    page.text.contains(#"id="job-problems""#)
                        && page.text.contains(String(problem.prefix { $0 != "'" })))
                #expect(!page.text.contains(#"id="preview-job""#), "no run button on a broken job")
            }
        }
    }
}
