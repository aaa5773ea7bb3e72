import Fluent
import Foundation
import OpsCore
import Testing
import Vapor

@testable import OpsServer

/// The runs list goes both ways (issue 16.5): "Newer" from any page leads back to the newest runs, each page the
/// runs just before the one shown, with every filter.
@Suite("Run list paging")
struct RunListPagingTests {
    @Test func newerPagesLeadBackToTheTopThroughEveryRun() async throws {
        try await TestApp.run(fixtures: false) { test in
            // setup
            _ = try await RunHistoryTests.seed(test, executions: 600)
            let all = try await RunHistoryTests.reference(test)
            let service = RunHistoryTests.service(test)
            let cases: [(String, (inout RunListFilter) -> Void, (Run, Set<String>) -> Bool)] = [
                ("no filter", { _ in }, { _, _ in true }),
                ("busy target", { $0.target = "host-0001" }, { _, targets in targets.contains("host-0001") }),
                ("status", { $0.status = "failed" }, { run, _ in run.status == "failed" }),
            ]
            for (name, apply, matches) in cases {
                let expected = all.filter { matches($0.run, $0.targets) }.map(\.run.publicID)
                var filter = RunListFilter()
                filter.limit = 6
                apply(&filter)
                // act: down to the last page, then back up with "newer"
                var page = try await service.page(filter)
                #expect(page.newerCursor == nil, "\(name): the first page has nothing newer")
                while let next = page.nextCursor {
                    var older = filter
                    older.cursor = RunCursor(publicID: next)
                    page = try await service.page(older)
                    #expect(page.newerCursor == page.runs.first?.id, "\(name)")
                }
                var seen = page.runs.map(\.id)
                while let newer = page.newerCursor {
                    var up = filter
                    up.newer = RunCursor(publicID: newer)
                    page = try await service.page(up)
                    // assert: each page is the runs just before what was shown, newest first, with an older link
                    let before = try #require(expected.firstIndex(of: seen[0]))
                    #expect(page.runs.map(\.id) == Array(expected[max(0, before - 6)..<before]), "\(name)")
                    #expect(page.nextCursor == page.runs.last?.id, "\(name)")
                    seen = page.runs.map(\.id) + seen
                }
                #expect(seen == expected, "\(name): newer pages lead back through every run")
            }
        }
    }

    @Test func aNewerCursorNamingNoRunIsRefused() async throws {
        try await TestApp.run { test in
            var filter = RunListFilter()
            filter.newer = RunCursor(publicID: "r-0000000000")
            await #expect(throws: RunError.self) { _ = try await RunHistoryTests.service(test).page(filter) }
            let session = try await test.session("vera")
            let page = try await test.send(.GET, "/runs?newer=not-a-run", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("newer: is not valid"))
        }
    }

    @Test func theListPageOffersPageSizesNamesAndBothLinks() async throws {
        try await TestApp.run { test in
            _ = try await RunHistoryTests.seed(test, executions: 300)
            let session = try await test.session("vera")
            let first = try await test.send(.GET, "/runs?limit=25", session: session)
            #expect(first.status == .ok)
            #expect(first.text.contains(#"id="older-runs""#) && !first.text.contains(#"id="newer-runs""#))
            #expect(first.text.contains(#"<option value="25" label="25" selected"#))
            #expect(first.text.contains(#"<datalist id="r-users">"#))
            #expect(first.text.contains("<th>Parameters</th>") && first.text.contains("<th>Source</th>"))
            #expect(first.text.contains(#"<time datetime=""#))
            let older = try #require(RunOutputTests.attribute("id=\"older-runs\" href", in: first.text))
            let second = try await test.send(
                .GET, older.replacingOccurrences(of: "&amp;", with: "&"), session: session)
            #expect(second.text.contains(#"id="newer-runs""#))
            let badSize = try await test.send(.GET, "/runs?limit=9999", session: session)
            #expect(badSize.text.contains("limit: must be 1 to 500"))
        }
    }
}
