import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Issue 16.7: the audit page reads as text (details as pairs, actions whole, objects linked), filters by date, and
/// exports what it filters as CSV or JSON, for admins only.
@Suite("Audit page: details, links, dates, exports")
struct AuditPagesTests {
    /// Entries a day apart, recorded oldest first: day 0 is 2030-03-17 (the test clock's day), day 4 four days
    /// before.
    static func seed(_ test: TestApp) async throws {
        let start = test.clock.now()
        for day in (0..<5).reversed() {
            let audit = AuditLog(
                database: test.app.db, now: { start.addingTimeInterval(Double(-day) * 86400) }, logger: test.app.logger)
            try await audit.record(
                "target.update", actor: day % 2 == 0 ? "oscar" : "vera", object: "target:web0\(day)",
                details: [
                    "address": "10.0.0.\(day)", "note": day == 2 ? "=HYPERLINK(\"http://x\")" : "plain, \"quoted\"",
                ],
                source: .web, sourceAddress: "192.0.2.\(day)")
        }
    }

    static func day(_ test: TestApp, _ offset: Int) -> String {
        test.clock.now().addingTimeInterval(Double(offset) * 86400).formatted(
            .iso8601.year().month().day().dateSeparator(.dash))
    }

    @Test func detailsReadAsPairsAndObjectsLinkToTheirPage() async throws {
        try await TestApp.run { test in
            // setup
            try await Self.seed(test)
            try await test.audit.record(
                "run.dry_run", actor: "oscar", object: "tool:system.ping", details: ["targets": "2"], source: .api)

            // act
            let page = try await test.send(.GET, "/admin/audit", session: try await test.session("admin")).text

            // assert
            #expect(page.contains(#"<dl class="audit-details"><dt>address</dt><dd>10.0.0.1</dd><dt>note</dt>"#))
            #expect(!page.contains("{&quot;address"), "raw JSON")
            #expect(!page.contains(#"{"address""#), "raw JSON")
            #expect(page.contains(#"<td class="audit-action"><code>target.update</code></td>"#))
            #expect(page.contains(#"<td class="audit-object"><a href="/targets/web01">target:web01</a></td>"#))
            #expect(page.contains(#"<a href="/tools/system">tool:system.ping</a>"#))
            #expect(page.contains("via web from 192.0.2.1"))
        }
    }

    @Test func presentationHandlesEveryShapeOfDetailsAndObject() {
        #expect(AuditPresentation.details(nil).isEmpty)
        #expect(
            AuditPresentation.details(#"{"b":"2","a":"","n":3}"#).map { "\($0.key ?? "-")=\($0.value)" } == [
                "a=—", "b=2", "n=3",
            ])
        #expect(AuditPresentation.details("not json").map(\.value) == ["not json"])
        #expect(AuditPresentation.details("not json").first?.key == nil)
        #expect(AuditPresentation.link("group:web") == "/inventory/groups/web")
        #expect(AuditPresentation.link("run:r-1") == "/runs/r-1")
        #expect(AuditPresentation.link("user:vera") == "/admin/users")
        #expect(AuditPresentation.link("token:5") == "/admin/tokens")
        #expect(AuditPresentation.link("aws:com:123456789012") == "/aws")
        #expect(AuditPresentation.link("target:a b/../c?d") == "/targets/a%20b%2F..%2Fc%3Fd")
        #expect(AuditPresentation.link("conversation:x") == nil)
        #expect(AuditPresentation.link("target:") == nil)
        #expect(AuditPresentation.link("plain") == nil)
        #expect(AuditPresentation.link(nil) == nil)
    }

    @Test func theDateFilterKeepsEntriesFromSinceAndBeforeUntil() async throws {
        try await TestApp.run { test in
            // setup
            try await Self.seed(test)
            let admin = try await test.session("admin")
            let since = Self.day(test, -3)
            let until = Self.day(test, -1)

            // act
            let page = try await test.send(
                .GET, "/admin/audit?action=target&since=\(since)&until=\(until)", session: admin)
            let api = try await test.send(
                .GET, "/api/v1/audit?action=target&since=\(since)&until=\(until)", bearer: try await test.token("admin")
            )

            // assert: days -3 and -2 (day -1 starts at until)
            #expect(page.status == .ok)
            #expect(page.text.contains("2 entries"))
            #expect(page.text.contains("web02") && page.text.contains("web03"))
            #expect(!page.text.contains("web01<") && !page.text.contains("web04<"))
            #expect(page.text.contains(#"<input type="date" id="filter-since" name="since" value="\#(since)"/>"#))
            #expect(page.text.contains("/admin/audit/export.csv?action=target&amp;since=\(since)&amp;until=\(until)"))
            #expect(try api.json()["total"] as? Int == 2)
        }
    }

    @Test(arguments: ["since=yesterday", "until=2026-13-01", "since=12%2F24%2F2026"])
    func aDateItCannotReadIsA400(query: String) async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let page = try await test.send(.GET, "/admin/audit?\(query)", session: admin)
            #expect(page.status == .badRequest)
            #expect(page.text.contains("must be a date (2026-11-22) or date-time (RFC 3339)"))
            let export = try await test.send(.GET, "/admin/audit/export.csv?\(query)", session: admin)
            #expect(export.status == .badRequest)
            let api = try await test.send(.GET, "/api/v1/audit?\(query)", bearer: try await test.token("admin"))
            #expect(api.status == .badRequest)
        }
    }

    @Test func theCSVExportHasWhatTheFiltersKeepAndNoFormulas() async throws {
        try await TestApp.run { test in
            // setup
            try await Self.seed(test)
            let admin = try await test.session("admin")

            // act
            let csv = try await test.send(
                .GET, "/admin/audit/export.csv?action=target.update&user=oscar", session: admin)

            // assert
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(
                csv.headers.first(name: .contentDisposition)?.contains("attachment; filename=\"pcm-ops-audit-") == true)
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "id,created_at,actor,action,object,details,source,source_address")
            #expect(lines.count == 4, "oscar's days 0, 2 and 4: \(lines)")
            #expect(lines.dropFirst().allSatisfy { $0.contains(",oscar,target.update,") })
            #expect(lines[1].contains(#""{""address"":""10.0.0.0"",""note"":""plain, \""quoted\""""}""#))
            #expect(lines[1].hasSuffix(",web,192.0.2.0"))
            // the export itself is audited, with its filters
            let entry = try #require(
                try await AuditEntry.query(on: test.app.db).filter(\.$action == "audit.export").first())
            #expect(entry.actor == "admin")
            #expect(entry.details?.contains(#""format":"csv""#) == true)
            #expect(entry.details?.contains(#""user":"oscar""#) == true)
        }
    }

    @Test func csvFieldsAreQuotedAndFormulasDefused() {
        #expect(AuditExport.csvField("plain") == "plain")
        #expect(AuditExport.csvField("a,b") == "\"a,b\"")
        #expect(AuditExport.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AuditExport.csvField("two\nlines") == "\"two\nlines\"")
        #expect(AuditExport.csvField("=1+2") == "'=1+2")
        #expect(AuditExport.csvField("+cmd") == "'+cmd")
        #expect(AuditExport.csvField("-2") == "'-2")
        #expect(AuditExport.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(AuditExport.csvField("=a,b") == "\"'=a,b\"")
    }

    @Test func theJSONExportIsTheAPIsEntriesNewestFirstAcrossBatches() async throws {
        try await TestApp.run { test in
            // setup: more entries than one batch
            for index in 0..<1234 {
                try await test.audit.record("bulk.item", actor: "vera", object: "n:\(index)", source: .system)
            }

            // act
            let response = try await test.send(
                .GET, "/admin/audit/export.json?action=bulk", session: try await test.session("admin"))

            // assert
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description.hasPrefix("application/json") == true)
            let items = try #require(
                try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [[String: Any]])
            #expect(items.count == 1234)
            #expect(items.first?["object"] as? String == "n:1233")
            #expect(items.last?["object"] as? String == "n:0")
            let ids = items.compactMap { $0["id"] as? Int }
            #expect(ids == ids.sorted(by: >) && Set(ids).count == ids.count)
            #expect(Set(items.flatMap(\.keys)).isSubset(of: Set(AuditExport.columns)))
            let empty = try await test.send(
                .GET, "/admin/audit/export.json?action=nothing.here", session: try await test.session("admin"))
            #expect(try JSONSerialization.jsonObject(with: Data(empty.text.utf8)) as? [Any] != nil)
            #expect((try JSONSerialization.jsonObject(with: Data(empty.text.utf8)) as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: ["oscar", "vera"])
    func onlyAdminsExport(user: String) async throws {
        try await TestApp.run { test in
            let session = try await test.session(user)
            for path in ["/admin/audit/export.csv", "/admin/audit/export.json"] {
                let response = try await test.send(.GET, path, session: session)
                #expect(response.status == .forbidden, "\(user) \(path)")
                #expect(!response.text.contains("target.update"))
            }
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "audit.export").count() == 0)
        }
    }
}
