import Foundation
import Plot
import Testing

@testable import OpsServer

/// Issue 18: Plot writes attribute values unescaped, so the views may hand its attribute modifiers literals
/// only; data goes through `.attribute(_:_:)` (AttributeName.swift), which escapes. This reads the source of
/// every file that imports Plot and fails on any other way.
@Suite("Views: data reaches an attribute only through the escaping helper")
struct AttributeSourceTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")
    /// The one file that may build an `Attribute` from a value: the helper itself.
    static let helper = "OpsServer/Web/Views/Layout/AttributeName.swift"

    static func swiftFiles() throws -> [(path: String, text: String)] {
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var files: [(String, String)] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let relative = String(url.path.dropFirst(sources.path.count + 1))
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    @Test func plotAttributeModifiersTakeLiteralsOnly() throws {
        // setup
        let views = try Self.swiftFiles().filter { $0.text.contains("import Plot") && $0.path != Self.helper }

        // act
        let findings = views.flatMap { file in
            PlotCallScanner(source: file.text).findings().map { "\(file.path) \($0)" }
        }

        // assert
        #expect(views.count >= 25, "only \(views.count) files import Plot: is the Sources path right?")
        #expect(
            findings.isEmpty,
            "data in a Plot attribute; use .attribute(.name, value):\n\(findings.joined(separator: "\n"))")
    }

    @Test func onlyTheHelperEscapesOrBuildsAttributes() throws {
        for file in try Self.swiftFiles() where file.path != Self.helper {
            #expect(!file.text.contains("attributeEscaped"), "\(file.path) escapes by hand")
            #expect(!file.text.contains("Attribute(name:"), "\(file.path) builds a raw Attribute")
        }
    }

    /// The scanner must catch what the issue found, or the test above proves nothing.
    @Test func theScannerFindsEveryUnescapedWayIn() {
        let unsafe = [
            #".data(named: "confirm", value: "Revoke the token \(token.name)?")"#,
            ".value(query.name ?? \"\")", ".href(SitePath.target(name))", #".title("\(title) · PCM-Ops")"#,
            ".class(\"badge \" + status)", ".attribute(named: \"max\", value: String(count))", ".raw(html)",
            ".id(flag ? name : \"x\")", "Node<HTML.FormContext>.label(.for(id))",
            #".element(named: tag, text: "x")"#, ".value(.init(data))",
        ]
        for snippet in unsafe {
            #expect(PlotCallScanner(source: snippet).findings().count == 1, "\(snippet)")
        }
        let safe = [
            ".href(\"/docs\")", ".href(SitePath.aws)", ".type(.submit)", ".method(.post)", ".required(required)",
            ".class(active ? \"active\" : \"\")", ".attribute(.href, SitePath.target(name))",
            ".attribute(.data(\"confirm\"), \"Revoke \\(name)?\")", ".attribute(named: \"autofocus\", value: nil)",
            ".label(.for(\"x\"), .text(name), .unwrap(help) { .span(.text($0)) })", ".text(\"\\(a) .href(b)\")",
            "// .href(commented)\n/* .value(x) */", #".element(named: "pre", nodes: [.text(output)])"#,
            "dictionary.value(forKey: key)", #".raw("<br>")"#, "text.contains(\".href(\\(x))\")",
        ]
        for snippet in safe {
            #expect(PlotCallScanner(source: snippet).findings().isEmpty, "\(snippet)")
        }
    }

    @Test func theHelperEscapesQuotesAmpersandsAndAngleBrackets() {
        // setup
        let value = #"a&b <c> "d" 'e'"#

        // act
        let html = HTML(
            .body(
                .div(.attribute(.title, value), .attribute(.data("confirm"), value)),
                .form(.input(.attribute(.value, value)))
            )
        ).render()

        // assert
        let escaped = "a&amp;b &lt;c&gt; &quot;d&quot; &#39;e&#39;"
        #expect(html.contains(#"<div title="\#(escaped)" data-confirm="\#(escaped)"></div>"#))
        #expect(html.contains(#"<input value="\#(escaped)"/>"#))
        #expect(HTMLSkeleton(html: html).attributeNames == ["title", "data-confirm", "value"])
    }
}
