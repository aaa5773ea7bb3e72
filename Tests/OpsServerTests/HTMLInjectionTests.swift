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
}
