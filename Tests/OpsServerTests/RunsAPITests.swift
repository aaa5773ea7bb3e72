import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// `/api/v1/runs` without sshd: targets on a port nothing listens on fail fast, which is enough to
/// exercise creation, history, events, cancel and every refusal.
@Suite("Runs API")
struct RunsAPITests {
    static func setUp(_ test: TestApp, targets: Int = 2) async throws -> String {
        let admin = try await test.token("admin")
        for index in 1...targets {
            let response = try await test.send(
                .POST, "/api/v1/targets", bearer: admin,
                json: #"{"name":"t\#(index)","address":"127.0.0.1","port":1,"tags":{"env":"lab"}}"#)
            #expect(response.status == .created)
        }
        return try await test.token("oscar")
    }

    static func waitForEnd(_ test: TestApp, _ id: String, _ token: String) async throws -> [String: Any] {
        for _ in 0..<400 {
            let run = try await test.send(.GET, "/api/v1/runs/\(id)", bearer: token).json()
            if let status = run["status"] as? String, !["queued", "running"].contains(status) { return run }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("run \(id) did not end")
        return [:]
    }

    @Test func anOperatorStartsARunAndEveryoneCanFollowIt() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await Self.setUp(test)
            // act
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token,
                json: #"{"tool":"system","action":"ping","selector":"env=lab","max_concurrency":"50%"}"#)
            // assert
            #expect(created.status == .created, "\(created.text)")
            let run = try created.json()
            let id = try #require(run["id"] as? String)
            #expect(created.headers.first(name: .location) == "/api/v1/runs/\(id)")
            #expect(run["requested_by"] as? String == "oscar")
            #expect(run["source"] as? String == "api")
            let ended = try await Self.waitForEnd(test, id, token)
            #expect(ended["status"] as? String == "failed")
            #expect((ended["counts"] as? [String: Int])?["failed"] == 2)
            let viewer = try await test.token("vera")
            let executions = try await test.send(.GET, "/api/v1/runs/\(id)/executions", bearer: viewer)
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(executions.text.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["target"] as? String } == ["t1", "t2"])
            // No credential is set anywhere: each target says so, before any connection is tried.
            #expect(rows.allSatisfy { ($0["error"] as? String)?.hasPrefix("authentication: no credential") == true })
            let audit = try await test.send(
                .GET, "/api/v1/audit?action=run.submit", bearer: try await test.token("admin"))
            #expect(audit.text.contains("run:\(id)"))
        }
    }

    @Test func viewersCannotStartRuns() async throws {
        try await TestApp.run { test in
            _ = try await Self.setUp(test)
            let response = try await test.send(
                .POST, "/api/v1/runs", bearer: try await test.token("vera"), json: #"{"tool":"system","action":"ping"}"#
            )
            #expect(response.status == .forbidden)
        }
    }

    @Test(arguments: [
        (#"{"tool":"system","action":"ping","targets":["t1"],"paramters":{}}"#, "paramters: unknown field"),
        (#"{"action":"ping","targets":["t1"]}"#, "tool"),
        (#"{"tool":"system","targets":["t1"]}"#, "action: give exactly one of action or workflow"),
        (#"{"tool":"system","action":"ping","workflow":"health","targets":["t1"]}"#, "action: give exactly one"),
        (#"{"tool":"system","action":"ping","targets":["t1"],"max_concurrency":[1]}"#, "max_concurrency"),
        (#"{"tool":"system","action":"ping","targets":["t1"],"max_errors":"-1"}"#, "max_errors"),
        (
            #"{"tool":"system","action":"ping","targets":["t1"],"max_concurrency":99999999999999999999}"#,
            "max_concurrency"
        ),
        (
            #"{"tool":"system","action":"disk","targets":["t1"],"parameters":{"threshold":99999999999999999999}}"#,
            "parameters.threshold"
        ),
        (
            #"{"tool":"system","action":"disk","targets":["t1"],"parameters":{"threshold":{"a":1}}}"#,
            "parameters.threshold"
        ),
        (#"{"tool":"system","action":"disk","targets":["t1"],"parameters":{"threshold":500}}"#, "parameters.threshold"),
        (#"{"tool":"system","action":"ping","targets":"t1"}"#, "targets"),
        (#"{"tool":"system","action":"ping"}"#, "targets: no target matched"),
        (#"[1,2]"#, "JSON object"),
        (#"{"tool":"#, "JSON object"),
    ])
    func badBodiesAreProblemsNamingTheField(body: String, detail: String) async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let response = try await test.send(.POST, "/api/v1/runs", bearer: token, json: body)
            #expect(response.status == .badRequest, "\(body) → \(response.status)")
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect((try response.json()["detail"] as? String)?.contains(detail) == true, "\(response.text)")
            let list = try await test.send(.GET, "/api/v1/runs", bearer: token).json()
            #expect((list["runs"] as? [Any])?.isEmpty == true)
        }
    }

    /// A tool, action or workflow the catalog does not have is a 404, as any named object that does not exist.
    @Test(arguments: [
        (#"{"tool":"nope","action":"ping","targets":["t1"]}"#, "tool: no tool 'nope'"),
        (#"{"tool":"","action":"ping","targets":["t1"]}"#, "tool: no tool ''"),
        (#"{"tool":"system","action":"nope","targets":["t1"]}"#, "has no action 'nope'"),
        (#"{"tool":"system","workflow":"nope","targets":["t1"]}"#, "has no workflow 'nope'"),
    ])
    func unknownCatalogEntriesAre404(body: String, detail: String) async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let response = try await test.send(.POST, "/api/v1/runs", bearer: token, json: body)
            #expect(response.status == .notFound, "\(body) → \(response.status)")
            #expect((try response.json()["detail"] as? String)?.contains(detail) == true, "\(response.text)")
        }
    }

    @Test func datesReadAsRFC3339WithAnyOffset() throws {
        let expected = try Date("2026-11-22T10:00:00Z", strategy: .iso8601)
        #expect(try RunListFilter.date("2026-11-22T10:00:00Z", field: "since") == expected)
        #expect(try RunListFilter.date("2026-11-22 10:00:00z", field: "since") == expected)
        #expect(try RunListFilter.date("2026-11-22t10:00:00.000+00:00", field: "since") == expected)
        #expect(try RunListFilter.date("2026-11-23t09:28:00+23:28", field: "since") == expected)
        #expect(try RunListFilter.date("2026-11-21T10:32:00-23:28", field: "since") == expected)
        #expect(try RunListFilter.date("2026-11-22", field: "since") == expected - 36000)
        #expect(throws: RunError.self) { try RunListFilter.date("2026-11-22T10:00", field: "since") }
    }

    @Test func aBodyThatIsNotJSONIs415() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let response = try await test.send(
                .POST, "/api/v1/runs", bearer: token, headers: ["Content-Type": "text/plain"], body: "tool=system")
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test func theSameIdempotencyKeyReturnsTheSameRun() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let body = #"{"tool":"system","action":"ping","targets":["t1"]}"#
            let first = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: body, headers: ["Idempotency-Key": "k1"])
            let second = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: body, headers: ["Idempotency-Key": "k1"])
            #expect(first.status == .created)
            #expect(second.status == .ok)
            #expect(try first.json()["id"] as? String == second.json()["id"] as? String)
            let other = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","targets":["t2"]}"#,
                headers: ["Idempotency-Key": "k1"])
            #expect(other.status == .conflict)
            // Keys belong to their user: another operator's k1 is a new run.
            let admin = try await test.send(
                .POST, "/api/v1/runs", bearer: try await test.token("admin"), json: body,
                headers: ["Idempotency-Key": "k1"])
            #expect(admin.status == .created)
        }
    }

    /// A key is opaque text: the generated code percent-decodes header values, so `%41` was read as `A` and
    /// `%h.(` as nothing (a 400 for a key the document allows).
    @Test func idempotencyKeysAreTakenAsSent() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let body = #"{"tool":"system","action":"ping","targets":["t1"]}"#
            let encoded = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: body, headers: ["Idempotency-Key": "%41"])
            let plain = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: body, headers: ["Idempotency-Key": "A"])
            let broken = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: body, headers: ["Idempotency-Key": "%h.("])
            #expect(encoded.status == .created)
            #expect(plain.status == .created, "\(plain.text)")
            #expect(broken.status == .created, "\(broken.text)")
            #expect(try encoded.json()["id"] as? String != plain.json()["id"] as? String)
        }
    }

    @Test func aDryRunPreviewsWithoutStoring() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let response = try await test.send(
                .POST, "/api/v1/runs", bearer: token,
                json:
                    #"{"tool":"system","action":"disk","targets":["t1","t2"],"parameters":{"threshold":80},"dry_run":true}"#
            )
            #expect(response.status == .ok)
            let preview = try response.json()
            #expect((preview["targets"] as? [[String: Any]])?.count == 2)
            let script = ((preview["steps"] as? [[String: Any]])?.first?["scripts"] as? [[String: Any]])?.first
            #expect((script?["text"] as? String)?.contains("export PARAM_THRESHOLD='80'") == true)
            #expect((script?["sha256"] as? String)?.count == 64)
            let list = try await test.send(.GET, "/api/v1/runs", bearer: token).json()
            #expect((list["runs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func historyPagesWithACursorAndFilters() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            var ids = [String]()
            for _ in 0..<3 {
                let created = try await test.send(
                    .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","targets":["t1"]}"#)
                ids.append(try #require(try created.json()["id"] as? String))
                _ = try await Self.waitForEnd(test, ids.last ?? "", token)
                test.clock.advance(by: 1)
            }
            let first = try await test.send(.GET, "/api/v1/runs?limit=2", bearer: token).json()
            let firstIDs = (first["runs"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(firstIDs == [ids[2], ids[1]])
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await test.send(.GET, "/api/v1/runs?limit=2&cursor=\(cursor)", bearer: token).json()
            #expect((second["runs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0]])
            #expect(second["next_cursor"] is NSNull)
            let byTarget = try await test.send(.GET, "/api/v1/runs?target=t2", bearer: token).json()
            #expect((byTarget["runs"] as? [Any])?.isEmpty == true)
            let byStatus = try await test.send(.GET, "/api/v1/runs?status=failed&user=oscar&tool=system", bearer: token)
                .json()
            #expect((byStatus["runs"] as? [Any])?.count == 3)
            for bad in ["status=weird", "limit=0", "limit=x", "cursor=nope", "since=yesterday"] {
                let response = try await test.send(.GET, "/api/v1/runs?\(bad)", bearer: token)
                #expect(response.status == .badRequest, "\(bad)")
            }
            // A well-formed cursor that names no run (deleted, or from another server) is a 404.
            let gone = try await test.send(.GET, "/api/v1/runs?cursor=r-0000000000", bearer: token)
            #expect(gone.status == .notFound, "\(gone.text)")
            #expect(gone.text.contains("r-0000000000"))
            // RFC 3339 §5.6 as openapi.yaml's pattern allows it: lower-case t and z, a space, a fraction, any offset.
            let since = try await test.send(
                .GET, "/api/v1/runs?since=2000-01-01t00:00:00.123%2B23:28", bearer: token
            ).json()
            #expect((since["runs"] as? [Any])?.count == 3)
            let until = try await test.send(.GET, "/api/v1/runs?until=2000-01-01%2000:00:00z", bearer: token)
            #expect(until.status == .ok, "\(until.text)")
            #expect((try until.json()["runs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func eventsReplayInOrderAndResumeAfterASequenceNumber() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","targets":["t1","t2"]}"#)
            let id = try #require(try created.json()["id"] as? String)
            _ = try await Self.waitForEnd(test, id, token)
            let all = try await test.send(.GET, "/api/v1/runs/\(id)/events", bearer: token)
            #expect(all.headers.contentType?.description.hasPrefix("text/event-stream") == true)
            let ids = all.text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap {
                Int($0.dropFirst(4))
            }
            #expect(ids == Array(1...ids.count))
            #expect(all.text.contains("event: run.finished\ndata: {"))
            let resumed = try await test.send(
                .GET, "/api/v1/runs/\(id)/events", bearer: token, headers: ["Last-Event-ID": String(ids.count - 2)])
            let resumedIDs = resumed.text.split(separator: "\n").filter { $0.hasPrefix("id: ") }
            #expect(resumedIDs == ["id: \(ids.count - 1)", "id: \(ids.count)"])
            let after = try await test.send(.GET, "/api/v1/runs/\(id)/events?after=\(ids.count)", bearer: token)
            #expect(!after.text.contains("id: "))
            let bad = try await test.send(.GET, "/api/v1/runs/\(id)/events?after=-3", bearer: token)
            #expect(bad.status == .badRequest)
            let missing = try await test.send(.GET, "/api/v1/runs/r-0000000000/events", bearer: token)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aFinishedRunCannotBeCancelledAndFailedTargetsCanBeRerun() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test)
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","targets":["t1","t2"]}"#)
            let id = try #require(try created.json()["id"] as? String)
            _ = try await Self.waitForEnd(test, id, token)
            let cancel = try await test.send(.POST, "/api/v1/runs/\(id)/cancel", bearer: token)
            #expect(cancel.status == .conflict)
            let rerun = try await test.send(.POST, "/api/v1/runs/\(id)/rerun", bearer: token, json: "{}")
            #expect(rerun.status == .created, "\(rerun.text)")
            #expect(try rerun.json()["target_count"] as? Int == 2)
            #expect(try await test.send(.POST, "/api/v1/runs/r-0000000000/cancel", bearer: token).status == .notFound)
        }
    }
}

@Suite("Run pages and dashboard")
struct RunPagesTests {
    @Test func historyRunPageAndDashboardShowRuns() async throws {
        try await TestApp.run { test in
            // setup: one failed run
            let token = try await RunsAPITests.setUp(test, targets: 1)
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token,
                json: #"{"tool":"system","action":"disk","targets":["t1"],"parameters":{"threshold":"77"}}"#)
            let id = try #require(try created.json()["id"] as? String)
            _ = try await RunsAPITests.waitForEnd(test, id, token)
            let vera = try await test.session("vera")
            // act
            let history = try await test.send(.GET, "/runs?tool=system&status=failed", session: vera)
            let page = try await test.send(.GET, "/runs/\(id)", session: vera)
            let dashboard = try await test.send(.GET, "/", session: vera)
            let log = try await test.send(.GET, "/runs/\(id)/log.txt", session: vera)
            // assert
            #expect(history.text.contains(#"href="/runs/\#(id)""#))
            #expect(page.text.contains(#"data-run="\#(id)""#))
            #expect(page.text.contains("threshold=77"))
            #expect(page.text.contains(#"id="x-0-0""#))
            #expect(page.text.contains("authentication: no credential"))
            #expect(!page.text.contains("cancel-run"), "a viewer gets no cancel button")
            #expect(!page.text.contains("rerun-failed"), "nor a rerun button")
            #expect(dashboard.text.contains(#"id="recent-failures""#))
            #expect(dashboard.text.contains(#"id="success-by-tool""#))
            #expect(log.headers.first(name: .contentDisposition)?.contains("\(id).log.txt") == true)
            #expect(log.text.contains("=== t1 · 1. disk · failed"))
            let operatorPage = try await test.send(.GET, "/runs/\(id)", session: try await test.session("oscar"))
            #expect(operatorPage.text.contains("rerun-failed"))
            let bad = try await test.send(.GET, "/runs?status=nope", session: vera)
            #expect(bad.status == .ok && bad.text.contains("status: must be one of"))
            #expect(try await test.send(.GET, "/runs/r-0000000000", session: vera).status == .notFound)
        }
    }

    @Test func theToolFormPreviewsAndStartsRunsForOperatorsOnly() async throws {
        try await TestApp.run { test in
            _ = try await RunsAPITests.setUp(test, targets: 2)
            let vera = try await test.session("vera")
            #expect(!(try await test.send(.GET, "/tools/system", session: vera).text.contains("run-form")))
            let oscar = try await test.session("oscar")
            let page = try await test.send(.GET, "/tools/system", session: oscar)
            #expect(page.text.contains(#"id="run-form""#))
            #expect(page.text.contains(#"name="targets[]""#))
            let form = ["run": "action:disk", "params[threshold]": "85", "targets[]": "t1", "intent": "preview"]
            let preview = try await test.send(.POST, "/tools/system/run", session: oscar, form: form)
            #expect(preview.status == .ok)
            #expect(
                preview.text.contains("export PARAM_THRESHOLD=&apos;85&apos;")
                    || preview.text.contains("export PARAM_THRESHOLD='85'"))
            #expect(preview.text.contains(#"class="sha""#))
            var run = form
            run["intent"] = "run"
            let started = try await test.send(.POST, "/tools/system/run", session: oscar, form: run)
            #expect(started.status == .seeOther)
            #expect(started.headers.first(name: .location)?.hasPrefix("/runs/r-") == true)
            var bad = form
            bad["params[threshold]"] = "abc"
            let refused = try await test.send(.POST, "/tools/system/run", session: oscar, form: bad)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("parameters.threshold"))
            let forbidden = try await test.send(.POST, "/tools/system/run", session: vera, form: form)
            #expect(forbidden.status == .forbidden)
            let noCSRF = try await test.send(.POST, "/tools/system/run", session: oscar, csrf: .missing, form: form)
            #expect(noCSRF.status == .forbidden)
        }
    }
}

@Suite("Run WebSocket refusals")
struct RunWebSocketTests {
    @Test func badRequestsAreRefusedBeforeSwitchingProtocols() async throws {
        try await TestApp.run { test in
            let token = try await RunsAPITests.setUp(test, targets: 1)
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","targets":["t1"]}"#)
            let id = try #require(try created.json()["id"] as? String)
            let plain = try await test.send(.GET, "/api/v1/runs/\(id)/ws", bearer: token)
            #expect(plain.status == .upgradeRequired)
            let upgrade: HTTPHeaders = ["Upgrade": "websocket", "Connection": "Upgrade"]
            let badAfter = try await test.send(.GET, "/api/v1/runs/\(id)/ws?after=-1", bearer: token, headers: upgrade)
            #expect(badAfter.status == .badRequest)
            let missing = try await test.send(.GET, "/api/v1/runs/r-0000000000/ws", bearer: token, headers: upgrade)
            #expect(missing.status == .notFound)
            var crossSite = upgrade
            crossSite.add(name: .origin, value: "https://evil.example")
            crossSite.add(name: .host, value: "127.0.0.1:8500")
            let session = try await test.session("vera")
            let hijack = try await test.send(.GET, "/api/v1/runs/\(id)/ws", session: session, headers: crossSite)
            #expect(hijack.status == .forbidden)
        }
    }
}

@Suite("Run page for big runs")
struct RunPageRowLimitTests {
    @Test func rowsBeyondTheLimitAreBehindShowMoreButStillCounted() async throws {
        try await TestApp.run { test in
            let token = try await RunsAPITests.setUp(test, targets: 3)
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","selector":"env=lab"}"#)
            let id = try #require(try created.json()["id"] as? String)
            _ = try await RunsAPITests.waitForEnd(test, id, token)
            let page = try await test.send(.GET, "/runs/\(id)?rows=1", session: try await test.session("vera"))
            #expect(page.text.contains(#"data-statuses="fff""#))
            #expect(page.text.contains(#"id="x-0-0""#))
            #expect(!page.text.contains(#"id="x-1-0""#))
            #expect(page.text.contains("Show 2 more rows (2 not shown)"))
            #expect(page.text.contains("rows=301"))
        }
    }
}

@Suite("Run pages escape what users typed")
struct RunPagesInjectionTests {
    @Test func hostileParameterValuesAreInertOnPreviewAndRunPages() async throws {
        try await TestApp.run(configure: { $0.toolsDirectory = RunFixture.toolsDirectory }) { test in
            _ = try await RunsAPITests.setUp(test, targets: 1)
            let oscar = try await test.session("oscar")
            let hostile = #""><script>alert(1)</script><img src=x onerror=alert(2)>'"#
            let form = ["run": "action:echo", "params[value]": hostile, "targets[]": "t1", "intent": "preview"]
            let preview = try await test.send(.POST, "/tools/testkit/run", session: oscar, form: form)
            #expect(preview.status == .ok)
            #expect(!preview.text.contains("<script>alert(1)"))
            #expect(!preview.text.contains("<img src=x"))
            var run = form
            run["intent"] = "run"
            let started = try await test.send(.POST, "/tools/testkit/run", session: oscar, form: run)
            let location = try #require(started.headers.first(name: .location))
            let page = try await test.send(.GET, location, session: oscar)
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert(1)"))
            #expect(!page.text.contains("<img src=x"))
        }
    }
}
