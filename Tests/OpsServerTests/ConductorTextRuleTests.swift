import Foundation
import Testing

@testable import OpsServer

/// openapi.yaml's `ConductorInput.text` states the server's rule exactly (schemathesis generates from it).
@Suite("Conductor text rule")
struct ConductorTextRuleTests {
    static let corpus = [
        "restart nginx on web01", "x", " x ", "", " ", "\t\n\r", "\u{0B}\u{0C}", "\u{1C}\u{1D}\u{1E}\u{1F}",
        "\u{85}", "\u{A0}", "\u{2003}\u{3000}", "\u{FEFF}", "\u{2028}\u{2029}", "a\u{0}b", "\u{0}", "\u{0} x",
        "ünïcode", "🙂", #"C:\Program Files\x"#, "unit=a=b", String(repeating: "a", count: 2000),
        String(repeating: "a", count: 2001), String(repeating: "🙂", count: 2000), "\u{200B}", "\u{1680}",
    ]

    @Test func theSchemaAcceptsWhatTheServerAccepts() throws {
        let input = try OpenAPIRulesTests.schema("ConductorInput")
        let text = try #require((input["properties"] as? [String: Any])?["text"] as? [String: Any])
        #expect(text["maxLength"] as? Int == ConductorText.maxLength)
        for value in Self.corpus {
            let server = (try? ConductorText.validate(value)) != nil
            let schema = try OpenAPIRulesTests.matches(value, text) && !value.isEmpty
            #expect(schema == server, "\(value.debugDescription.prefix(40)): server \(server)")
        }
    }
}
