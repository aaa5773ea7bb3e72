import Foundation
import Testing
import VaporTesting

@testable import OpsServer

/// Issue 16.7: a user menu links what is the user's own (password, tokens, API docs); detail pages carry
/// breadcrumbs; error pages keep the navigation for whoever is signed in.
@Suite("Navigation: user menu, breadcrumbs, error pages")
struct NavigationTests {
    @Test(arguments: ["/", "/tools", "/targets", "/docs"])
    func everyPageLinksThePasswordTokensAndAPIDocsFromTheUserMenu(path: String) async throws {
        try await TestApp.run { test in
            // act
            let page = try await test.send(.GET, path, session: try await test.session("vera")).text

            // assert
            let menu = try #require(page.range(of: #"<details class="user-menu">"#))
            let rest = page[menu.lowerBound...]
            #expect(rest.contains(#"<span class="user-name">vera</span><span class="role-badge">viewer</span>"#))
            #expect(rest.contains(#"<a href="/account/password">Change password</a>"#))
            #expect(rest.contains(#"<a href="/account/tokens">API tokens</a>"#))
            #expect(rest.contains(#"<a href="/docs">API docs</a>"#))
            #expect(rest.contains(#"<form class="inline" action="/logout" method="post">"#))
        }
    }

    @Test func aSignedInUserKeepsTheNavigationOnA404AndA403() async throws {
        try await TestApp.run { test in
            // setup
            let vera = try await test.session("vera")

            // act
            let missing = try await test.send(.GET, "/no/such/page", session: vera)
            let forbidden = try await test.send(.GET, "/admin/users", session: vera)
            let noTarget = try await test.send(.GET, "/targets/nope", session: vera)
            let anonymous = try await test.send(.GET, "/no/such/page")

            // assert
            #expect(missing.status == .notFound)
            #expect(forbidden.status == .forbidden)
            #expect(noTarget.status == .notFound)
            for page in [missing, forbidden, noTarget] {
                #expect(page.text.contains(#"<nav id="nav" class="nav">"#))
                #expect(page.text.contains(#"<span class="user-name">vera</span>"#))
                #expect(page.text.contains(#"<a href="/account/password">Change password</a>"#))
                #expect(!page.text.contains(#">Admin</a>"#), "a viewer's navigation has no Admin")
            }
            #expect(forbidden.text.contains("this needs the admin role; you are viewer"))
            #expect(anonymous.status == .notFound)
            #expect(!anonymous.text.contains(#"id="nav""#))
            #expect(anonymous.text.contains(#"<a href="/login">Sign in</a>"#))
        }
    }

    @Test func detailPagesCarryBreadcrumbs() async throws {
        try await TestApp.run { test in
            // setup
            try await InventoryFixtures.seed(test)
            let admin = try await test.session("admin")

            // act
            let target = try await test.send(.GET, "/targets/web01", session: admin).text
            let group = try await test.send(.GET, "/inventory/groups/web", session: admin).text
            let tool = try await test.send(.GET, "/tools/system", session: admin).text
            let audit = try await test.send(.GET, "/admin/audit", session: admin).text

            // assert
            #expect(
                target.contains(
                    #"<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/targets">Targets</a></li><li aria-current="page">web01</li></ol></nav>"#
                ))
            #expect(
                group.contains(
                    #"<li><a href="/targets">Targets</a></li><li><a href="/inventory/groups">Groups</a></li><li aria-current="page">web</li>"#
                ))
            #expect(tool.contains(#"<li><a href="/tools">Tools</a></li><li aria-current="page">"#))
            #expect(audit.contains(#"<li><a href="/admin">Admin</a></li><li aria-current="page">Audit log</li>"#))
        }
    }
}
