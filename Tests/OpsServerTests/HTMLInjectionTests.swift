import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("HTML injection")
struct HTMLInjectionTests {
    static let payload = #""><img src=x id=injected>'"#

    @Test func reflectedQueryValuesAreEscapedInAttributes() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let encoded = Self.payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            for path in [
                "/targets?q=\(encoded)", "/targets?selector=\(encoded)", "/admin/audit?user=\(encoded)",
                "/login?next=/\(encoded)",
            ] {
                let page = try await test.send(.GET, path, session: path.hasPrefix("/login") ? nil : admin)
                #expect(!page.text.contains("<img"), "\(path) reflects raw HTML")
                #expect(!page.text.contains("id=injected>"), "\(path)")
            }
        }
    }

    @Test func storedValuesAreEscapedInAttributesAndText() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let admin = try await test.session("admin")
            let saved = try await test.send(
                .POST, "/inventory/groups/web", session: admin,
                form: ["description": Self.payload, "selector": "role=web", "credential": ""])
            #expect(saved.status == .seeOther)
            for path in ["/inventory/groups/web", "/inventory/groups"] {
                let page = try await test.send(.GET, path, session: admin)
                #expect(!page.text.contains("<img"), "\(path)")
                #expect(
                    page.text.contains("&quot;&gt;&lt;img") || page.text.contains("&lt;img"), "\(path) lost the text")
            }
        }
    }

    /// The issue's reproduction: a viewer's token name turned the admin's Revoke button into a role change.
    @Test func aTokenNameCannotAddAttributesToTheRevokeButton() async throws {
        try await TestApp.run { test in
            // setup: a row written before names were checked
            let name = #"x" formaction="/admin/users/vera/role" name="role" value="admin" data-x=""#
            let vera = try await test.accounts.require("vera")
            try await APIToken(
                userID: try vera.requireID(), name: name, tokenHash: "old", prefix: "pcmops_old", expiresAt: nil
            ).create(on: test.app.db)
            let admin = try await test.session("admin")

            // act
            let page = try await test.send(.GET, "/admin/tokens", session: admin)

            // assert
            #expect(page.status == .ok)
            let skeleton = HTMLSkeleton(html: page.text)
            #expect(!skeleton.entries.contains("button@formaction"))
            #expect(!skeleton.entries.contains("button@value"))
            #expect(page.text.contains(#"data-confirm="Revoke the token x&quot; formaction=&quot;/admin/users/"#))
        }
    }

    /// Data escaped for an attribute is escaped once, and the same string in a text node is Plot's to escape.
    @Test func aValueIsEscapedOnceInAnAttributeAndOnceInText() async throws {
        try await TestApp.run { test in
            // setup
            let admin = try await test.accounts.require("admin")
            _ = try await test.tokens.create(for: admin, name: "R&D 'ci'", expiresInDays: nil, by: CrawlSeed.actor)

            // act
            let page = try await test.send(.GET, "/admin/tokens", session: try await test.session("admin"))

            // assert
            #expect(page.text.contains(#"data-confirm="Revoke the token R&amp;D &#39;ci&#39;? Scripts"#))
            #expect(page.text.contains("<td>R&amp;D 'ci'</td>"))
            #expect(!page.text.contains("&amp;amp;") && !page.text.contains("&amp;#39;"))
        }
    }

    @Test func theAccountNameInARemoveConfirmationStaysText() async throws {
        try await TestApp.run { test in
            // setup
            let account = AWSAccount()
            account.environment = "com"
            account.accountID = "123456789012"
            account.name = #"prod" data-pwn="1"#
            try await account.create(on: test.app.db)

            // act
            let page = try await test.send(.GET, "/aws", session: try await test.session("admin"))

            // assert
            #expect(!HTMLSkeleton(html: page.text).attributeNames.contains("data-pwn"))
            #expect(page.text.contains(#"data-confirm="Remove account prod&quot; data-pwn=&quot;1?""#))
        }
    }

    @Test func theInstanceBrowserReflectsNoQueryParameterAsMarkup() async throws {
        try await TestApp.run { test in
            let viewer = try await test.session("vera")
            for name in ["name", "tag", "instance_id"] {
                // act
                let page = try await test.send(
                    .GET, "/aws/instances?\(name)=q%22%3E%3Cb%3Ex%3C%2Fb%3E", session: viewer)

                // assert
                #expect(!HTMLSkeleton(html: page.text).tagNames.contains("b"), "\(name)")
                #expect(page.text.contains(#"value="q&quot;&gt;&lt;b&gt;x&lt;/b&gt;""#), "\(name)")
            }
        }
    }

    /// Plot's `.title` copied the page title into `<meta og:title content>` unescaped; the layout writes only
    /// the `<title>` element.
    @Test func aToolNameInThePageTitleStaysText() async throws {
        let tools = try CrawlSeed.toolsDirectory(.hostile)
        defer { try? FileManager.default.removeItem(atPath: tools) }
        try await TestApp.run(configure: { $0.toolsDirectory = tools }) { test in
            // act
            let page = try await test.send(.GET, "/tools/\(CrawlSeed.toolID)", session: try await test.session("vera"))

            // assert
            #expect(page.status == .ok)
            let skeleton = HTMLSkeleton(html: page.text)
            #expect(!skeleton.entries.contains("meta@property") && !skeleton.entries.contains("meta@http-equiv"))
            #expect(page.text.contains("<title>x\" formaction=\"/evil\" data-pwn=\"1 y'&gt;&lt;meta"))
        }
    }
}
