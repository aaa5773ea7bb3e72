import Fluent
import Foundation
import OpsCore
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Issue 16.7: groups count what their selector matches; a group's connection tests name their targets; targets
/// show their last run and last test, open a tool's run form with several of them, list their recent runs; local
/// targets show no address, port or missing credential.
@Suite("Inventory pages: group counts, last run and test, run a tool on targets")
struct InventoryPagesTests {
    static let formHeaders: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]

    static let tags: [(name: String, tags: [String: String])] = [
        ("a", ["role": "web", "env": "prod"]), ("b", ["role": "web", "env": "dev"]), ("c", ["role": "db"]),
    ]

    @Test func aGroupCountsStaticMembersAndSelectorMatchesOnce() {
        // a selector only
        let web = GroupMembership.count(selector: "role=web", staticNames: [], targets: Self.tags)
        #expect(web == GroupMembership(total: 2, statics: 0, matched: 2))
        #expect(web.summary == "2 targets (0 static, 2 by selector)")
        // static members overlapping the selector count once
        let mixed = GroupMembership.count(selector: "env=prod", staticNames: ["a", "c"], targets: Self.tags)
        #expect(mixed == GroupMembership(total: 2, statics: 2, matched: 1))
        // no selector
        let plain = GroupMembership.count(selector: " ", staticNames: ["c"], targets: Self.tags)
        #expect(plain == GroupMembership(total: 1, statics: 1, matched: nil))
        #expect(plain.summary == "1 target")
        // a negation and a key that exists
        #expect(GroupMembership.count(selector: "role!=web", staticNames: [], targets: Self.tags).matched == 1)
        #expect(GroupMembership.count(selector: "env", staticNames: [], targets: Self.tags).matched == 2)
        // a selector that no longer parses matches nothing, and says so
        let broken = GroupMembership.count(selector: "role==", staticNames: ["a"], targets: Self.tags)
        #expect(broken.total == 1 && broken.matched == 0 && broken.selectorInvalid)
    }

    @Test func theGroupPagesShowHowManyTargetsTheSelectorMatches() async throws {
        try await TestApp.run { test in
            // setup
            try await InventoryFixtures.seed(test)
            let vera = try await test.session("vera")

            // act
            let list = try await test.send(.GET, "/inventory/groups", session: vera).text
            let web = try await test.send(.GET, "/inventory/groups/web", session: vera).text
            let statics = try await test.send(.GET, "/inventory/groups/static", session: vera).text

            // assert
            #expect(list.contains(#"<td class="members">2 targets (0 static, 2 by selector)</td>"#))
            #expect(list.contains(#"<td class="members">1 target</td>"#))
            #expect(!list.contains("Static members"))
            #expect(web.contains("Selector <code>role=web</code> matches 2 targets"))
            #expect(web.contains("Members: 2 targets (0 static, 2 by selector)"))
            #expect(statics.contains("No selector: members are added by hand"))
        }
    }

    @Test func testingAGroupNamesEachTargetAndKeepsTheirLastTest() async throws {
        try await TestApp.run { test in
            // setup: two targets on a port nothing listens on
            let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: false)
            for name in ["closed1", "closed2"] {
                try await targets.create(
                    TargetSpec(name: name, address: "127.0.0.1", port: 1, tags: ["lab": "closed"]),
                    by: InventoryFixtures.actor)
            }
            try await GroupService(database: test.app.db, audit: test.audit).create(
                GroupSpec(name: "lab", selector: "lab=closed"), by: InventoryFixtures.actor)
            let oscar = try await test.session("oscar")

            // act
            let page = try await test.send(.POST, "/inventory/groups/lab/test", session: oscar, form: [:])

            // assert
            #expect(page.status == .ok)
            #expect(page.text.contains("2 of 2 connections failed."))
            for name in ["closed1", "closed2"] {
                #expect(
                    page.text.contains(
                        #"<div class="group-test" data-target="\#(name)"><h3><a href="/targets/\#(name)">\#(name)</a></h3>"#
                    ))
            }
            #expect(!page.text.contains(#"id="test-result""#), "one id on many boxes")
            let checks = try await TargetCheck.query(on: test.app.db).with(\.$target).all()
            #expect(checks.map(\.target.name).sorted() == ["closed1", "closed2"])
            #expect(checks.allSatisfy { !$0.ok && $0.checkedBy == "oscar" && $0.failedStage != nil })
            let list = try await test.send(.GET, "/targets", session: oscar).text
            #expect(list.contains(#"<span class="badge status-failed">failed at "#))
            let detail = try await test.send(.GET, "/targets/closed1", session: oscar).text
            #expect(detail.contains(#"<dd id="last-check">"#))
            #expect(detail.contains(" by oscar"))
            // a second test replaces the first: still one row per target
            _ = try await test.send(.POST, "/targets/closed1/test", session: oscar, form: [:])
            #expect(try await TargetCheck.query(on: test.app.db).count() == 2)
        }
    }

    @Test func targetsShowTheirOwnOutcomeInTheirLastRun() async throws {
        try await TestApp.run { test in
            // setup: web01 succeeded in a partly failed run; db01 failed at step 2 of an older one
            try await InventoryFixtures.seed(test)
            let now = test.clock.now()
            let older = try await HistoryRows.insert(
                test, createdAt: now.addingTimeInterval(-3600),
                targets: [("db01", [.succeeded, .failed]), ("web01", [.succeeded, .succeeded])])
            let newer = try await HistoryRows.insert(
                test, createdAt: now.addingTimeInterval(-60),
                targets: [("web01", [.succeeded]), ("web02", [.failed])])

            // act
            let last = try await TargetActivity(database: test.app.db).lastRuns(["web01", "web02", "db01", "none"])
            let page = try await test.send(.GET, "/targets", session: try await test.session("vera")).text

            // assert
            #expect(newer.status == "partially_failed")
            #expect(last["web01"]?.runID == newer.publicID && last["web01"]?.outcome == "succeeded")
            #expect(last["web02"]?.outcome == "failed")
            #expect(last["db01"]?.runID == older.publicID && last["db01"]?.outcome == "failed")
            #expect(last["db01"]?.stoppedAtStep == 1)
            #expect(last["none"] == nil)
            #expect(page.contains(#"<a class="run-id" href="/runs/\#(newer.publicID)">"#))
            #expect(
                page.contains(#"<span class="badge status-failed">failed</span><span class="muted"> at step 2</span>"#))
        }
    }

    @Test func theLastRunOfEveryTargetMatchesTheHistory() async throws {
        try await TestApp.run { test in
            // setup: a seeded history over 25 hosts, each a target
            var seeder = HistorySeeder(executions: 1200)
            seeder.hosts = 25
            seeder.days = 20
            _ = try await seeder.seed(into: test.app.db, now: test.clock.now())
            let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: false)
            let names = (1...25).map { String(format: "host-%04d", $0) }
            for name in names { try await targets.create(TargetSpec(name: name), by: InventoryFixtures.actor) }

            // act
            let last = try await TargetActivity(database: test.app.db).lastRuns(names)

            // assert: the same as reading every execution
            let runs = try await Run.query(on: test.app.db).all()
            let byID = Dictionary(uniqueKeysWithValues: runs.compactMap { run in run.id.map { ($0, run) } })
            let executions = try await Execution.query(on: test.app.db).all()
            var checked = 0
            for name in names {
                let mine = executions.filter { $0.targetName == name }
                let newest = Set(mine.map(\.$run.id)).compactMap { byID[$0] }.max {
                    ($0.createdAt ?? .distantPast, $0.publicID) < ($1.createdAt ?? .distantPast, $1.publicID)
                }
                guard let newest else {
                    #expect(last[name] == nil)
                    continue
                }
                let steps = mine.filter { $0.$run.id == newest.id }.sorted { $0.stepIndex < $1.stepIndex }
                let outcome = TargetOutcome(steps: steps.compactMap { ExecutionStatus(rawValue: $0.status) })
                #expect(last[name]?.runID == newest.publicID, "\(name)")
                #expect(last[name]?.outcome == outcome.status.rawValue, "\(name)")
                checked += 1
            }
            #expect(checked > 10)
        }
    }

    @Test func theTargetPageListsItsRecentRunsAndOffersFittingTools() async throws {
        try await TestApp.run { test in
            // setup
            try await InventoryFixtures.seed(test)
            var ids = [String]()
            for minute in 0..<12 {
                let run = try await HistoryRows.insert(
                    test, createdAt: test.clock.now().addingTimeInterval(Double(minute * 60)),
                    targets: [("web01", [.succeeded])])
                ids.append(run.publicID)
            }

            // act
            let oscar = try await test.send(.GET, "/targets/web01", session: try await test.session("oscar")).text
            let vera = try await test.send(.GET, "/targets/web01", session: try await test.session("vera")).text
            let quiet = try await test.send(.GET, "/targets/db01", session: try await test.session("vera")).text

            // assert: the newest ten, newest first, each opening on this target's output
            let shown = ids.reversed().prefix(TargetDetailView.recentRunLimit)
            var position = oscar.startIndex
            for id in shown {
                let link = #"href="/runs/\#(id)?target=web01""#
                let found = try #require(oscar.range(of: link, range: position..<oscar.endIndex), "\(id)")
                position = found.upperBound
            }
            #expect(!oscar.contains(ids[0]) && !oscar.contains(ids[1]))
            #expect(oscar.contains(#"<a href="/runs?target=web01">All runs on web01</a>"#))
            #expect(
                oscar.contains(#"<form class="run-here" id="run-here" action="/inventory/run-tool" method="post">"#))
            #expect(oscar.contains(#"<option value="linux-service""#))
            #expect(!oscar.contains(#"<option value="windows-service""#), "a linux target is offered Windows tools")
            #expect(!vera.contains(#"id="run-here""#), "a viewer cannot run")
            #expect(quiet.contains("No run has included this target yet."))
        }
    }

    @Test func runningAToolOnSelectedTargetsOpensItsFormWithThemTicked() async throws {
        try await TestApp.run { test in
            // setup
            try await InventoryFixtures.seed(test)
            let oscar = try await test.session("oscar")

            // act
            let chosen = try await test.send(
                .POST, "/inventory/run-tool", session: oscar, headers: Self.formHeaders,
                body: "csrf_token=\(oscar.csrf)&tool=linux-service&targets%5B%5D=web01&targets%5B%5D=db01")
            let form = try await test.send(
                .GET, try #require(chosen.headers.first(name: .location)), session: oscar)

            // assert
            #expect(chosen.status == .seeOther)
            #expect(chosen.headers.first(name: .location) == "/tools/linux-service?targets=web01,db01")
            #expect(form.text.contains(#"value="web01" checked"#))
            #expect(form.text.contains(#"value="db01" checked"#))
            #expect(!form.text.contains(#"value="web02" checked"#))
            let list = try await test.send(.GET, "/targets", session: oscar).text
            #expect(list.contains(#"<form id="target-selection" action="/inventory/run-tool" method="post">"#))
            let viewerList = try await test.send(.GET, "/targets", session: try await test.session("vera")).text
            #expect(!viewerList.contains("target-selection") && !viewerList.contains(#"name="targets[]""#))
        }
    }

    @Test func aBadSelectionSaysWhatIsWrong() async throws {
        try await TestApp.run { test in
            // setup
            try await InventoryFixtures.seed(test)
            let oscar = try await test.session("oscar")
            func post(_ body: String, session: BrowserSession? = nil) async throws -> TestingHTTPResponse {
                let who = session ?? oscar
                return try await test.send(
                    .POST, "/inventory/run-tool", session: who, headers: Self.formHeaders,
                    body: "csrf_token=\(who.csrf)&" + body)
            }

            // act and assert: no target ticked
            let none = try await post("tool=linux-service")
            #expect(none.status == .seeOther && none.headers.first(name: .location) == "/targets")
            #expect(try await test.send(.GET, "/targets", session: oscar).text.contains("Select at least one target."))
            // a tool that does not exist
            let unknownTool = try await post("tool=nope&targets%5B%5D=web01")
            #expect(unknownTool.status == .badRequest)
            #expect(
                unknownTool.text.contains("tool: no tool &#39;nope&#39;") || unknownTool.text.contains("no tool 'nope'")
            )
            // a target that does not exist (deleted meanwhile)
            let gone = try await post("tool=linux-service&targets%5B%5D=web01&targets%5B%5D=ghost")
            #expect(gone.headers.first(name: .location) == "/targets")
            #expect(try await test.send(.GET, "/targets", session: oscar).text.contains("No such target: ghost."))
            // a target the tool's platforms leave out is named
            let windows = try await post("tool=windows-service&targets%5B%5D=web01")
            #expect(windows.headers.first(name: .location) == "/tools/windows-service?targets=web01")
            let page = try await test.send(.GET, "/tools/windows-service?targets=web01", session: oscar).text
            #expect(page.contains("runs on windows only; not selected: web01."))
            // a viewer may not
            let viewer = try await post(
                "tool=linux-service&targets%5B%5D=web01", session: try await test.session("vera"))
            #expect(viewer.status == .forbidden)
        }
    }

    @Test func aLocalTargetShowsNoAddressPortOrMissingCredential() async throws {
        try await TestApp.run(configure: { $0.allowLocal = true }) { test in
            // setup
            let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: true)
            try await targets.create(TargetSpec(name: "box", transport: "local"), by: InventoryFixtures.actor)
            let oscar = try await test.session("oscar")

            // act
            let form = try await test.send(.GET, "/tools/system", session: oscar).text
            let list = try await test.send(.GET, "/targets", session: oscar).text
            let detail = try await test.send(.GET, "/targets/box", session: oscar).text

            // assert
            for page in [form, list, detail] {
                #expect(!page.contains(":0<"), "a port 0 is shown")
                #expect(page.contains("this server"))
            }
            #expect(form.contains(#"<td class="muted">not needed (runs on this server)</td>"#))
            #expect(!form.contains(#"<td class="bad">none</td>"#))
            #expect(list.contains("<td>not needed (runs on this server)</td>"))
            #expect(detail.contains("<dd>not needed (runs on this server)</dd>"))
        }
    }
}
