import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// "Run again…" and "Rerun on failed targets" (issue 16.3): the form filled in from a run, the rerun through the
/// preview, and `rerun_of` in the API and on both run pages.
@Suite("Run again and reruns")
struct RunAgainTests {
    /// A finished run of system.disk on group `lab` (both targets fail: nothing listens on their port).
    static func failedRun(_ test: TestApp, _ token: String) async throws -> String {
        let created = try await test.send(
            .POST, "/api/v1/runs", bearer: token,
            json:
                #"{"tool":"system","action":"disk","groups":["lab"],"parameters":{"threshold":"77"},"max_errors":"5"}"#
        )
        let id = try #require(try created.json()["id"] as? String)
        _ = try await RunsAPITests.waitForEnd(test, id, token)
        return id
    }

    @Test func aRerunThroughTheAPIRecordsItsOriginAndCanBePreviewed() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            let origin = try await Self.failedRun(test, tokens.oscar)
            // act
            let preview = try await test.send(
                .POST, "/api/v1/runs/\(origin)/rerun", bearer: tokens.oscar, json: #"{"dry_run":true}"#)
            let countAfterPreview = try await JobFixture.runs(test, tokens.oscar).count
            let rerun = try await test.send(.POST, "/api/v1/runs/\(origin)/rerun", bearer: tokens.oscar, json: "{}")
            let linked = try await test.send(
                .POST, "/api/v1/runs", bearer: tokens.oscar,
                json: #"{"tool":"system","action":"ping","targets":["t1"],"rerun_of":"\#(origin)"}"#)
            let unknown = try await test.send(
                .POST, "/api/v1/runs", bearer: tokens.oscar,
                json: #"{"tool":"system","action":"ping","targets":["t1"],"rerun_of":"r-0000000000"}"#)
            // assert
            #expect(preview.status == .ok, "\(preview.text)")
            #expect((try preview.json()["targets"] as? [[String: Any]])?.count == 2)
            #expect(countAfterPreview == 1, "a preview runs nothing")
            #expect(rerun.status == .created)
            let rerunID = try #require(try rerun.json()["id"] as? String)
            #expect(try rerun.json()["rerun_of"] as? String == origin)
            #expect(
                try await test.send(.GET, "/api/v1/runs/\(rerunID)", bearer: tokens.vera).json()["rerun_of"] as? String
                    == origin)
            #expect(linked.status == .created)
            #expect(try linked.json()["rerun_of"] as? String == origin)
            #expect(
                unknown.status == .notFound && JobFixture.detail(unknown).contains("rerun_of: no run 'r-0000000000'"))
            let listed = try await JobFixture.runs(test, tokens.vera)
            #expect(listed.filter { $0["rerun_of"] as? String == origin }.count == 2)
            #expect(listed.first { $0["id"] as? String == origin }?["rerun_of"] == nil)
        }
    }

    @Test func runAgainOpensTheFormFilledInAndTheNewRunLinksToItsOrigin() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            let origin = try await Self.failedRun(test, tokens.oscar)
            let oscar = try await test.session("oscar")
            // act
            let runPage = try await test.send(.GET, "/runs/\(origin)", session: oscar)
            let form = try await test.send(.GET, "/tools/system?again=\(origin)", session: oscar)
            let started = try await test.send(
                .POST, "/tools/system/run", session: oscar,
                form: [
                    "intent": "run", "run": "action:disk", "params[threshold]": "78", "groups[]": "lab",
                    "rerun_of": origin,
                ])
            let newID = String(started.headers.first(name: .location)?.dropFirst("/runs/".count) ?? "")
            let newPage = try await test.send(.GET, "/runs/\(newID)", session: oscar)
            let originPage = try await test.send(.GET, "/runs/\(origin)", session: oscar)
            let viewerPage = try await test.send(.GET, "/runs/\(origin)", session: try await test.session("vera"))
            // assert
            #expect(runPage.text.contains(#"href="/tools/system?again=\#(origin)""#))
            #expect(form.status == .ok)
            #expect(form.text.contains(#"id="choice-action-disk" value="action:disk" checked"#))
            #expect(form.text.contains(#"name="params[threshold]" value="77""#))
            #expect(form.text.contains(#"name="groups[]" value="lab" checked"#))
            #expect(form.text.contains(#"name="max_errors" value="5""#))
            #expect(form.text.contains(#"name="rerun_of" value="\#(origin)""#))
            #expect(started.status == .seeOther, "\(started.text)")
            #expect(
                try await test.send(.GET, "/api/v1/runs/\(newID)", bearer: tokens.vera).json()["rerun_of"] as? String
                    == origin)
            #expect(newPage.text.contains(#"id="rerun-of""#) && newPage.text.contains(#"href="/runs/\#(origin)""#))
            #expect(originPage.text.contains(#"id="reruns""#) && originPage.text.contains(#"href="/runs/\#(newID)""#))
            #expect(!viewerPage.text.contains(#"id="run-again""#), "viewers cannot run")
            #expect(try await test.send(.GET, "/tools/ping?again=\(origin)", session: oscar).status == .notFound)
            #expect(try await test.send(.GET, "/tools/system?again=r-0000000000", session: oscar).status == .notFound)
            #expect(
                try await test.send(.GET, "/tools/linux-service?again=\(origin)", session: oscar).status == .badRequest)
        }
    }

    @Test func rerunOnFailedTargetsGoesThroughThePreviewAndAsksForSecretsAgain() async throws {
        try await JobFixture.withTools { tools in
            try await TestApp.run(configure: { $0.toolsDirectory = tools }) { test in
                // setup
                let tokens = try await JobFixture.setUp(test)
                let origin = try await Self.failedRun(test, tokens.oscar)
                let secret = try await test.send(
                    .POST, "/api/v1/runs", bearer: tokens.oscar,
                    json:
                        #"{"tool":"jobkit","action":"show","targets":["t1"],"parameters":{"unit":"nginx","password":"pw"}}"#
                )
                let secretRun = try #require(try secret.json()["id"] as? String)
                _ = try await RunsAPITests.waitForEnd(test, secretRun, tokens.oscar)
                let oscar = try await test.session("oscar")
                // act
                let preview = try await test.send(.POST, "/runs/\(origin)/rerun", session: oscar, form: [:])
                let asks = try await test.send(.POST, "/runs/\(secretRun)/rerun", session: oscar, form: [:])
                let again = try await test.send(.GET, "/tools/jobkit?again=\(secretRun)", session: oscar)
                // assert
                #expect(preview.status == .ok)
                #expect(preview.text.contains(#"id="preview-summary""#))
                #expect(preview.text.contains(#"name="rerun_of" value="\#(origin)""#))
                #expect(preview.text.contains(#"id="preview-rerun-of""#))
                #expect(preview.text.contains(#"name="targets[]" value="t1""#))
                #expect(preview.text.contains(#"name="targets[]" value="t2""#))
                #expect(try await JobFixture.runs(test, tokens.oscar).count == 2, "the preview started nothing")
                #expect(asks.status == .badRequest)
                #expect(asks.text.contains("parameters.password: is required"))
                #expect(asks.text.contains(#"name="rerun_of" value="\#(secretRun)""#))
                #expect(again.text.contains(#"name="params[unit]" value="nginx""#))
                #expect(!again.text.contains("pw\""), "a secret is never filled in")
            }
        }
    }
}
