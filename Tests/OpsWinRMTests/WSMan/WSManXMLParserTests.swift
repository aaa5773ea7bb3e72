import Testing

@testable import OpsWinRM

@Suite("WS-Management XML parser")
struct WSManXMLParserTests {
    private func parse(_ text: String) throws -> WSManXMLElement {
        try WSManXMLParser.parse(Array(text.utf8))
    }

    private func reason(_ text: String) -> String? {
        do {
            _ = try WSManXMLParser.parse(Array(text.utf8))
            return nil
        } catch {
            guard case .malformedXML(let reason) = error else { return "unexpected \(error)" }
            return reason
        }
    }

    @Test func resolvesElementAndAttributePrefixes() throws {
        // act
        let root = try parse(
            #"<s:Envelope xmlns:s="urn:soap" xmlns="urn:default"><s:Header><Item s:mustUnderstand="true" Name="x"/></s:Header></s:Envelope>"#
        )
        // assert
        #expect(root.namespace == "urn:soap")
        #expect(root.name == "Envelope")
        let item = try #require(root.child("urn:soap", "Header")?.child("urn:default", "Item"))
        #expect(item.attribute("mustUnderstand", namespace: "urn:soap") == "true")
        #expect(item.attribute("Name") == "x")
        #expect(item.attribute("mustUnderstand") == nil)
    }

    @Test func prefixesAreScopedAndRedeclarable() throws {
        // act
        let root = try parse(#"<a:r xmlns:a="urn:1"><a:c xmlns:a="urn:2"/><a:d/></a:r>"#)
        // assert
        #expect(root.children.map(\.namespace) == ["urn:2", "urn:1"])
    }

    @Test func xmlPrefixIsPredeclared() throws {
        let root = try parse(#"<r xml:lang="en-US"/>"#)
        #expect(root.attribute("lang", namespace: XMLNamespace.xml) == "en-US")
    }

    @Test func entitiesCharacterReferencesAndCDATA() throws {
        // act
        let root = try parse("<r a=\"&quot;&apos;&lt;\">&lt;&gt;&amp;&#65;&#x1F3B5;<![CDATA[<raw & text>]]></r>")
        // assert
        #expect(root.text == "<>&A🎵<raw & text>")
        #expect(root.attribute("a") == "\"'<")
    }

    @Test func lineEndsAndAttributeWhitespaceAreNormalised() throws {
        // act
        let root = try parse("<r a=\"x\ty\r\nz\" b=\"&#13;&#10;\">one\r\ntwo\rthree</r>")
        // assert
        #expect(root.text == "one\ntwo\nthree")
        #expect(root.attribute("a") == "x y z")
        #expect(root.attribute("b") == "\r\n")
    }

    @Test func textAroundChildrenIsKeptInOrder() throws {
        let root = try parse("<r>a<c>inner</c>b<!-- note --><?pi data?>c</r>")
        #expect(root.text == "abc")
        #expect(root.children.first?.text == "inner")
        #expect(root.allText == "abcinner")
    }

    @Test func prologBOMAndTrailingMiscellanyAreAccepted() throws {
        let document = [0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\"?>\n<!-- c --><r/>\n<!-- after -->\n".utf8)
        #expect(try WSManXMLParser.parse(document).name == "r")
    }

    @Test func nonASCIINamesAndText() throws {
        let root = try parse("<größe wert=\"こんにちは\">😀</größe>")
        #expect(root.name == "größe")
        #expect(root.attribute("wert") == "こんにちは")
        #expect(root.text == "😀")
    }

    @Test(
        "malformed documents are refused with a reason",
        arguments: [
            ("", "empty"),
            ("   ", "before the root"),
            ("text", "before the root"),
            ("<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>", "document type declarations"),
            ("<r><a></r>", "</r> closes <a>"),
            ("<r>", "ends inside <r>"),
            ("<r a=\"1\" a=\"2\"/>", "appears twice"),
            ("<r xmlns:p=\"u\" p:a=\"1\" xmlns:q=\"u\" q:a=\"2\"/>", "appears twice"),
            ("<p:r/>", "prefix p of p:r is not declared"),
            ("<r a=1/>", "not quoted"),
            ("<r a=\"1\"b=\"2\"/>", "not separated"),
            ("<r>&nbsp;</r>", "unknown entity"),
            ("<r>&#0;</r>", "invalid character reference"),
            ("<r>&#xD800;</r>", "invalid character reference"),
            ("<r>&#x+41;</r>", "invalid character reference"),
            ("<r>&amp</r>", "unterminated entity"),
            ("<r/><r/>", "after the root"),
            ("<r/>text", "after the root"),
            ("<r>\u{1}</r>", "control character"),
            ("<r>]]></r>", "]]>"),
            ("<r a=\"<\"/>", "inside an attribute value"),
            ("<r><!-- a -- b --></r>", "inside a comment"),
            ("<r><![CDATA[open</r>", "unterminated CDATA"),
            ("<r><!ELEMENT x></r>", "declaration inside"),
            ("<:r/>", "not a valid qualified name"),
            ("<r xmlns:p=\"\"/>", "bound to no namespace"),
            ("<1r/>", "without a name"),
        ])
    func malformed(document: String, expected: String) {
        let reason = reason(document)
        #expect(reason?.contains(expected) == true, "\(document): \(reason ?? "accepted")")
    }

    @Test func invalidUTF8IsRefused() {
        let document: [UInt8] = Array("<r>".utf8) + [0xC3, 0x28] + Array("</r>".utf8)
        #expect(throws: WSManError.malformedXML(reason: "the document is not valid UTF-8")) {
            try WSManXMLParser.parse(document)
        }
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        let depth = WSManXMLParser.maximumDepth + 1
        let document = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        #expect(reason(document)?.contains("nested too deeply") == true)
        let allowed = WSManXMLParser.maximumDepth
        #expect(reason(String(repeating: "<a>", count: allowed) + String(repeating: "</a>", count: allowed)) == nil)
    }

    @Test func reasonsNameAPositionButNeverEchoTheDocument() {
        let secret = "<r><password>hunter2</password></x>"
        let reason = reason(secret)
        #expect(reason?.contains("at byte") == true)
        #expect(reason?.contains("hunter2") == false)
    }
}
