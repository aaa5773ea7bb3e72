import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// The jobs pages (issue 16.3): who sees what, saving and changing a job through its form, running it through the
/// preview, and "Save as job…" from a run.
@Suite("Jobs pages")
struct JobsWebTests {
    @Test func eachRoleSeesWhatItMayDo() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            _ = try await JobFixture.secondOperator(test)
            _ = try await JobFixture.create(
                test, tokens.oscar,
                #"{"name":"lab-ping","description":"Ping the lab","tool":"system","action":"ping","groups":["lab"]}"#)
            let vera = try await test.session("vera")
            let oscar = try await test.session("oscar")
            let olga = try await test.session("olga")
            // act
            let viewerList = try await test.send(.GET, "/jobs", session: vera)
            let viewerPage = try await test.send(.GET, "/jobs/lab-ping", session: vera)
            let ownerList = try await test.send(.GET, "/jobs", session: oscar)
            let ownerPage = try await test.send(.GET, "/jobs/lab-ping", session: oscar)
            let otherPage = try await test.send(.GET, "/jobs/lab-ping", session: olga)
            // assert
            #expect(viewerList.status == .ok)
            #expect(viewerList.text.contains(#"href="/jobs/lab-ping""#) && viewerList.text.contains("ready"))
            #expect(viewerList.text.contains(#"<a href="/jobs" class="active">Jobs</a>"#), "Jobs is in the navigation")
            #expect(!viewerList.text.contains(#"id="new-job""#))
            #expect(viewerPage.text.contains("Ping the lab") && viewerPage.text.contains("system.ping"))
            #expect(!viewerPage.text.contains(#"id="preview-job""#) && !viewerPage.text.contains(#"id="edit-job""#))
            #expect(ownerList.text.contains(#"id="new-job""#))
            #expect(ownerPage.text.contains(#"id="preview-job""#) && ownerPage.text.contains(#"id="edit-job""#))
            #expect(otherPage.text.contains(#"id="preview-job""#) && !otherPage.text.contains(#"id="edit-job""#))
            #expect(try await test.send(.GET, "/jobs/lab-ping/edit", session: olga).status == .forbidden)
            #expect(try await test.send(.POST, "/jobs/lab-ping/delete", session: olga, form: [:]).status == .forbidden)
            #expect(try await test.send(.GET, "/jobs/new", session: vera).status == .forbidden)
            #expect(try await test.send(.POST, "/jobs/lab-ping/run", session: vera, form: [:]).status == .forbidden)
            #expect(try await test.send(.GET, "/jobs/ghost", session: vera).status == .notFound)
        }
    }

    @Test func aJobIsSavedChangedRunThroughThePreviewAndDeletedWithItsForms() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            let oscar = try await test.session("oscar")
            // act: pick a tool, save, refuse a bad name, edit, preview, run, delete
            let chooser = try await test.send(.GET, "/jobs/new", session: oscar)
            let blank = try await test.send(.GET, "/jobs/new?tool=system", session: oscar)
            let fields = [
                "name": "web-disk", "description": "Disk on t1", "tool": "system", "run": "action:disk",
                "params[threshold]": "85", "targets[]": "t1", "overridable[]": "targets",
            ]
            let saved = try await test.send(.POST, "/jobs", session: oscar, form: fields)
            var badFields = fields
            badFields["name"] = "web disk"
            let refused = try await test.send(.POST, "/jobs", session: oscar, form: badFields)
            let edit = try await test.send(.GET, "/jobs/web-disk/edit", session: oscar)
            var changed = fields
            changed["description"] = "Disk on t1, stricter"
            changed["params[threshold]"] = "90"
            changed["version"] = "1"
            let updated = try await test.send(.POST, "/jobs/web-disk", session: oscar, form: changed)
            let job = try await test.send(.GET, "/api/v1/jobs/web-disk", bearer: tokens.vera).json()
            let stale = try await test.send(.POST, "/jobs/web-disk", session: oscar, form: changed)
            let preview = try await test.send(
                .POST, "/jobs/web-disk/run", session: oscar,
                form: ["intent": "preview", "choose_targets": "1", "targets[]": "t2"])
            let started = try await test.send(
                .POST, "/jobs/web-disk/run", session: oscar,
                form: ["intent": "run", "choose_targets": "1", "targets[]": "t2"])
            let runID = String(started.headers.first(name: .location)?.dropFirst("/runs/".count) ?? "")
            let runPage = try await test.send(.GET, "/runs/\(runID)", session: oscar)
            let jobPage = try await test.send(.GET, "/jobs/web-disk", session: oscar)
            let deleted = try await test.send(.POST, "/jobs/web-disk/delete", session: oscar, form: [:])
            // assert
            #expect(chooser.text.contains(#"id="job-tool""#) && chooser.text.contains(#"value="system""#))
            #expect(blank.text.contains(#"id="choice-action-ping""#) && blank.text.contains(#"id="save-job""#))
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/jobs/web-disk")
            #expect(refused.status == .badRequest && refused.text.contains("name: may contain only"))
            #expect(refused.text.contains(#"name="params[threshold]" value="85""#), "the form keeps what was entered")
            #expect(
                edit.text.contains(#"name="name" value="web-disk""#) && edit.text.contains(#"name="version" value="1""#)
            )
            #expect(edit.text.contains(#"name="overridable[]" id="override-targets" value="targets" checked"#))
            #expect(updated.status == .seeOther)
            #expect(job["version"] as? Int == 2)
            #expect(job["parameters"] as? [String: String] == ["threshold": "90"])
            #expect(stale.status == .conflict && stale.text.contains("at version 2, not 1"))
            #expect(preview.status == .ok && preview.text.contains(#"id="preview-summary""#))
            #expect(preview.text.contains("system.disk (version 2) on 1 target"))
            #expect(preview.text.contains(#"name="targets[]" value="t2""#))
            #expect(started.status == .seeOther, "\(started.text)")
            let run = try await test.send(.GET, "/api/v1/runs/\(runID)", bearer: tokens.vera).json()
            #expect(run["job"] as? String == "web-disk" && run["target_count"] as? Int == 1)
            #expect(runPage.text.contains(#"id="run-job""#) && runPage.text.contains(#"href="/jobs/web-disk""#))
            #expect(jobPage.text.contains(#"id="job-runs""#) && jobPage.text.contains(runID))
            #expect(deleted.status == .seeOther && deleted.headers.first(name: .location) == "/jobs")
            #expect(try await test.send(.GET, "/jobs/web-disk", session: oscar).status == .notFound)
        }
    }

    @Test func aDestructiveJobAsksForConfirmationAndARefusedRunComesBackNamed() async throws {
        try await JobFixture.withTools { tools in
            try await TestApp.run(configure: { $0.toolsDirectory = tools }) { test in
                // setup
                let tokens = try await JobFixture.setUp(test)
                _ = try await JobFixture.create(
                    test, tokens.oscar,
                    #"{"name":"wipe","tool":"jobkit","action":"wipe","targets":["t1","t2"],"parameters":{"unit":"db"}}"#
                )
                let oscar = try await test.session("oscar")
                // act
                let page = try await test.send(.GET, "/jobs/wipe", session: oscar)
                let missing = try await test.send(.POST, "/jobs/wipe/run", session: oscar, form: ["intent": "run"])
                let unconfirmed = try await test.send(
                    .POST, "/jobs/wipe/run", session: oscar, form: ["intent": "run", "params[password]": "pw"])
                let confirmed = try await test.send(
                    .POST, "/jobs/wipe/run", session: oscar,
                    form: ["intent": "run", "params[password]": "pw", "confirm": "yes"])
                // assert
                #expect(page.text.contains(#"name="params[password]""#), "the secret it does not store is asked for")
                #expect(!page.text.contains(#"name="params[unit]""#), "what it fixes is not offered")
                #expect(missing.status == .badRequest && missing.text.contains("parameters.password: is required"))
                #expect(
                    unconfirmed.status == .ok && unconfirmed.text.contains("is destructive: it will change 2 targets"))
                #expect(unconfirmed.text.contains(#"id="confirm""#))
                #expect(confirmed.status == .seeOther, "\(confirmed.text)")
            }
        }
    }

    @Test func saveAsJobFillsTheFormFromARun() async throws {
        try await TestApp.run { test in
            // setup
            let tokens = try await JobFixture.setUp(test)
            let origin = try await RunAgainTests.failedRun(test, tokens.oscar)
            let oscar = try await test.session("oscar")
            // act
            let runPage = try await test.send(.GET, "/runs/\(origin)", session: oscar)
            let form = try await test.send(.GET, "/jobs/new?tool=system&from=\(origin)", session: oscar)
            let wrongTool = try await test.send(.GET, "/jobs/new?tool=linux-service&from=\(origin)", session: oscar)
            // assert
            #expect(runPage.text.contains(#"href="/jobs/new?tool=system&amp;from=\#(origin)""#))
            #expect(form.status == .ok)
            #expect(form.text.contains(#"id="choice-action-disk" value="action:disk" checked"#))
            #expect(form.text.contains(#"name="params[threshold]" value="77""#))
            #expect(form.text.contains(#"name="groups[]" value="lab" checked"#))
            #expect(form.text.contains("Saved from run \(origin)."))
            #expect(wrongTool.status == .badRequest)
        }
    }
}
