import Fluent
import Foundation
import OpsCore
import Testing
import VaporTesting

@testable import OpsServer

/// Issue 16.7: the dashboard puts running runs and failures first, shows the admin counters to admins only,
/// links every card, refreshes its live part, and remembers a dismissed "Getting started" per user.
@Suite("Dashboard")
struct DashboardPageTests {
    static let adminOnly = [
        "Active users", "Disabled users", "Signed-in sessions", "Active API tokens", "Failed sign-ins",
        "Audit events", "Trusted host keys", "Recent activity", "admin-stats", ">Credentials<",
    ]

    @Test(arguments: ["vera", "oscar"])
    func aNonAdminDashboardHasNoAdminCounters(user: String) async throws {
        try await TestApp.run { test in
            // setup
            try await InventoryFixtures.seed(test)
            _ = try await test.token("vera")

            // act
            let page = try await test.send(.GET, "/", session: try await test.session(user))

            // assert
            #expect(page.status == .ok)
            for text in Self.adminOnly { #expect(!page.text.contains(text), "\(user) sees \(text)") }
            #expect(page.text.contains(#"<span class="stat-value">3</span><span class="stat-label">Targets</span>"#))
        }
    }

    @Test func anAdminSeesTheCountersAsLinksAfterTheRuns() async throws {
        try await TestApp.run { test in
            // setup
            try await InventoryFixtures.seed(test)
            try await HistoryRows.insert(
                test, createdAt: test.clock.now(), targets: [("web01", [.running]), ("web02", [.pending])])

            // act
            let page = try await test.send(.GET, "/", session: try await test.session("admin")).text

            // assert
            for text in Self.adminOnly where text != "Recent activity" {
                #expect(page.contains(text), "admin misses \(text)")
            }
            let running = try #require(page.range(of: "Running now (1)"))
            let inventory = try #require(page.range(of: #"id="inventory-stats""#))
            let admin = try #require(page.range(of: #"id="admin-stats""#))
            #expect(running.lowerBound < inventory.lowerBound && inventory.lowerBound < admin.lowerBound)
            for link in [
                "/targets", "/inventory/groups", "/tools", "/admin/users", "/admin/tokens", "/admin/audit",
                "/admin/audit?action=login.failure", "/inventory/credentials", "/inventory/known-hosts",
            ] {
                #expect(page.contains(#"<a class="stat" href="\#(link)">"#), "no card links \(link)")
            }
        }
    }

    @Test func theLivePartSaysWhetherRunsAreActive() async throws {
        try await TestApp.run { test in
            // setup
            let vera = try await test.session("vera")
            let idle = try await test.send(.GET, "/dashboard/live", session: vera)
            try await HistoryRows.insert(test, createdAt: test.clock.now(), targets: [("web01", [.running])])

            // act
            let active = try await test.send(.GET, "/dashboard/live", session: vera)
            let anonymous = try await test.send(.GET, "/dashboard/live")

            // assert
            #expect(idle.status == .ok)
            #expect(idle.headers.contentType?.description.hasPrefix("text/html") == true)
            #expect(idle.text.hasPrefix(#"<section id="dashboard-live" data-active="false""#))
            #expect(idle.text.contains("Nothing is running."))
            #expect(!idle.text.contains("<html"))
            #expect(active.text.hasPrefix(#"<section id="dashboard-live" data-active="true""#))
            #expect(active.text.contains(#"id="running-now""#))
            #expect(anonymous.status != .ok)
            let page = try await test.send(.GET, "/", session: vera).text
            #expect(page.contains(#"<script src="/js/dashboard.js"></script>"#))
        }
    }

    @Test func manyRunningRunsAreCountedAllAndTheNewestTenListed() async throws {
        try await TestApp.run { test in
            // setup
            for minute in 0..<12 {
                try await HistoryRows.insert(
                    test, createdAt: test.clock.now().addingTimeInterval(Double(minute * 60)),
                    targets: [("web01", [.running])])
            }

            // act
            let live = try await test.send(.GET, "/dashboard/live", session: try await test.session("vera")).text

            // assert
            #expect(live.contains("Running now (12)"))
            #expect(live.contains("The 10 newest are shown."))
            #expect(live.components(separatedBy: #"<a class="run-id""#).count - 1 == 10)
        }
    }

    @Test func gettingStartedIsDismissedPerUserAndComesBack() async throws {
        try await TestApp.run { test in
            // setup
            let oscar = try await test.session("oscar")
            let vera = try await test.session("vera")
            #expect(try await test.send(.GET, "/", session: oscar).text.contains(#"id="getting-started""#))

            // act
            let dismissed = try await test.send(
                .POST, "/dashboard/getting-started", session: oscar, form: ["state": "dismissed"])

            // assert
            #expect(dismissed.status == .seeOther)
            let after = try await test.send(.GET, "/", session: oscar).text
            #expect(!after.contains(#"id="getting-started""#))
            #expect(after.contains("Show “Getting started” again"))
            #expect(try await test.send(.GET, "/", session: vera).text.contains(#"id="getting-started""#))
            let entry = try #require(
                try await AuditEntry.query(on: test.app.db).filter(\.$action == "user.setting").first())
            #expect(entry.actor == "oscar")
            #expect(entry.object == "user:oscar")
            #expect(entry.details?.contains("dismissed") == true)
            // a new session of the same user remembers it
            let later = try await test.session("oscar")
            #expect(!(try await test.send(.GET, "/", session: later).text.contains(#"id="getting-started""#)))
            _ = try await test.send(.POST, "/dashboard/getting-started", session: oscar, form: ["state": "shown"])
            #expect(try await test.send(.GET, "/", session: oscar).text.contains(#"id="getting-started""#))
        }
    }

    @Test(arguments: [["state": "hidden"], [:], ["state": String(repeating: "x", count: 300)]])
    func aGettingStartedStateItDoesNotKnowIsA400(form: [String: String]) async throws {
        try await TestApp.run { test in
            let oscar = try await test.session("oscar")
            let response = try await test.send(.POST, "/dashboard/getting-started", session: oscar, form: form)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("dashboard.getting_started takes dismissed or shown"))
            #expect(try await UserSetting.query(on: test.app.db).count() == 0)
            let noCSRF = try await test.send(
                .POST, "/dashboard/getting-started", session: oscar, csrf: .missing, form: ["state": "dismissed"])
            #expect(noCSRF.status == .forbidden)
        }
    }

    @Test func gettingStartedGoesAwayOnceTheBasicsExist() async throws {
        try await TestApp.run { test in
            // setup: targets and a credential, no run yet
            try await InventoryFixtures.seed(test)
            let admin = try await test.session("admin")
            let before = try await test.send(.GET, "/", session: admin).text
            #expect(before.contains(#"id="getting-started""#))
            #expect(
                before.contains(
                    #"<li class="step done"><span class="step-mark" aria-hidden="true">✓</span><a href="/inventory/import">Add targets</a>"#
                ))
            #expect(
                before.contains(
                    #"<li class="step"><span class="step-mark" aria-hidden="true">○</span><a href="/tools">Run a tool</a>"#
                ))

            // act: a first run
            try await HistoryRows.insert(test, createdAt: test.clock.now(), targets: [("web01", [.succeeded])])

            // assert
            let after = try await test.send(.GET, "/", session: admin).text
            #expect(!after.contains(#"id="getting-started""#))
            #expect(!after.contains("Show “Getting started” again"))
        }
    }

    @Test func localTargetsNeedNoCredentialForGettingStarted() async throws {
        try await TestApp.run(configure: { $0.allowLocal = true }) { test in
            // setup
            let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: true)
            try await targets.create(TargetSpec(name: "box", transport: "local"), by: InventoryFixtures.actor)

            // act
            let model = try await DashboardModel.load(
                on: test.app.db, now: test.clock.now(), forAdmin: false,
                user: try await test.accounts.require("oscar").requireID())

            // assert
            let list = try #require(model.gettingStarted)
            #expect(list.hasTargets && list.hasCredentials && !list.hasRuns)
        }
    }
}
