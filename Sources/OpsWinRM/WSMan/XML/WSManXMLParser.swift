/// A strict, non-validating parser for the XML that WinRM exchanges (XML 1.0, Namespaces in XML 1.0): SOAP
/// envelopes and PowerShell CLIXML records.
///
/// Strict where it matters: the input must be UTF-8, tags must nest, attributes must be quoted and unique,
/// every prefix must be declared, and only the five predefined entities and character references are
/// accepted. A document type declaration is refused outright, which rules out entity-expansion attacks.
/// Written by hand rather than on FoundationXML so that namespaces of attributes resolve too (SOAP puts
/// `s:mustUnderstand` on header elements), behaviour is the same on every platform, and a reply costs one
/// pass over its bytes.
enum WSManXMLParser {
    /// Deeper documents are refused; SOAP answers are about eight levels deep.
    static let maximumDepth = 256

    /// Parses a whole document and returns its root element.
    static func parse(_ document: some Collection<UInt8>) throws(WSManError) -> WSManXMLElement {
        var bytes = Array(document)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard !bytes.isEmpty else { throw .malformedXML(reason: "the document is empty") }
        guard Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes else {
            throw .malformedXML(reason: "the document is not valid UTF-8")
        }
        var reader = Reader(bytes: bytes)
        return try reader.document()
    }
}

/// One pass over the bytes of one document.
private struct Reader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// An element being read: its qualified name (to match the end tag), the namespaces in scope inside it.
    private struct OpenElement {
        var element: WSManXMLElement
        var qualifiedName: String
        var scope: [String: String]
    }

    mutating func document() throws(WSManError) -> WSManXMLElement {
        try miscellany(beforeRoot: true)
        guard peek(0) == UInt8(ascii: "<") else { throw error("content before the root element") }
        let baseScope = ["xml": XMLNamespace.xml]
        var stack: [OpenElement] = []
        var root: WSManXMLElement?
        let first = try startTag(scope: baseScope)
        if first.selfClosing { root = first.open.element } else { stack.append(first.open) }
        while let top = stack.last {
            let text = try characterData()
            stack[stack.count - 1].element.text += text
            guard index < bytes.count else { throw error("the document ends inside <\(top.qualifiedName)>") }
            if matches("</") {
                let finished = try endTag(expected: stack.removeLast())
                if stack.isEmpty { root = finished } else { stack[stack.count - 1].element.children.append(finished) }
            } else if matches("<!--") {
                try comment()
            } else if matches("<![CDATA[") {
                stack[stack.count - 1].element.text += try cdata()
            } else if matches("<?") {
                try processingInstruction()
            } else if matches("<!") {
                throw error("a declaration inside an element")
            } else {
                guard stack.count < WSManXMLParser.maximumDepth else { throw error("elements nested too deeply") }
                let next = try startTag(scope: top.scope)
                if next.selfClosing {
                    stack[stack.count - 1].element.children.append(next.open.element)
                } else {
                    stack.append(next.open)
                }
            }
        }
        try miscellany(beforeRoot: false)
        guard index == bytes.count, let root else { throw error("content after the root element") }
        return root
    }

    // MARK: Markup

    private mutating func startTag(scope parentScope: [String: String]) throws(WSManError) -> (
        open: OpenElement, selfClosing: Bool
    ) {
        index += 1  // "<"
        let qualifiedName = try name()
        var rawAttributes: [(name: String, value: String)] = []
        var selfClosing = false
        while true {
            let hadSpace = skipWhitespace()
            guard let byte = peek(0) else { throw error("the document ends inside <\(qualifiedName)>") }
            if byte == UInt8(ascii: ">") {
                index += 1
                break
            }
            if matches("/>") {
                index += 2
                selfClosing = true
                break
            }
            guard hadSpace else { throw error("attributes of <\(qualifiedName)> are not separated by space") }
            let attributeName = try name()
            skipWhitespace()
            guard peek(0) == UInt8(ascii: "=") else { throw error("attribute \(attributeName) has no value") }
            index += 1
            skipWhitespace()
            rawAttributes.append((attributeName, try attributeValue()))
        }
        var scope = parentScope
        for attribute in rawAttributes {
            if attribute.name == "xmlns" {
                scope[""] = attribute.value.isEmpty ? nil : attribute.value
            } else if attribute.name.hasPrefix("xmlns:") {
                let prefix = String(attribute.name.dropFirst(6))
                guard !attribute.value.isEmpty else { throw error("prefix \(prefix) is bound to no namespace") }
                scope[prefix] = attribute.value
            }
        }
        let (elementNamespace, localName) = try resolve(qualifiedName, scope: scope, isAttribute: false)
        var attributes: [WSManXMLAttribute] = []
        for attribute in rawAttributes where attribute.name != "xmlns" && !attribute.name.hasPrefix("xmlns:") {
            let (namespace, local) = try resolve(attribute.name, scope: scope, isAttribute: true)
            guard !attributes.contains(where: { $0.namespace == namespace && $0.name == local }) else {
                throw error("attribute \(attribute.name) appears twice on <\(qualifiedName)>")
            }
            attributes.append(WSManXMLAttribute(namespace: namespace, name: local, value: attribute.value))
        }
        guard Set(rawAttributes.map(\.name)).count == rawAttributes.count else {
            throw error("an attribute appears twice on <\(qualifiedName)>")
        }
        let element = WSManXMLElement(namespace: elementNamespace, name: localName, attributes: attributes)
        return (OpenElement(element: element, qualifiedName: qualifiedName, scope: scope), selfClosing)
    }

    private mutating func endTag(expected: OpenElement) throws(WSManError) -> WSManXMLElement {
        index += 2  // "</"
        let closing = try name()
        skipWhitespace()
        guard peek(0) == UInt8(ascii: ">") else { throw error("end tag </\(closing)> is not closed") }
        index += 1
        guard closing == expected.qualifiedName else {
            throw error("</\(closing)> closes <\(expected.qualifiedName)>")
        }
        return expected.element
    }

    private func resolve(_ qualifiedName: String, scope: [String: String], isAttribute: Bool) throws(WSManError) -> (
        String?, String
    ) {
        let parts = qualifiedName.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return (isAttribute ? nil : scope[""], qualifiedName)
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty:
            guard let namespace = scope[String(parts[0])] else {
                throw error("prefix \(parts[0]) of \(qualifiedName) is not declared")
            }
            return (namespace, String(parts[1]))
        default:
            throw error("\(qualifiedName) is not a valid qualified name")
        }
    }

    /// Character data up to the next markup, entities resolved and line ends normalised (XML 1.0 §2.11).
    private mutating func characterData() throws(WSManError) -> String {
        var output: [UInt8] = []
        while let byte = peek(0), byte != UInt8(ascii: "<") {
            if byte == UInt8(ascii: "&") {
                output += try reference()
            } else if byte == UInt8(ascii: "]") && matches("]]>") {
                throw error("\"]]>\" in character data")
            } else {
                try appendLiteral(byte, to: &output, inAttribute: false)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func attributeValue() throws(WSManError) -> String {
        guard let quote = peek(0), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw error("an attribute value is not quoted")
        }
        index += 1
        var output: [UInt8] = []
        while true {
            guard let byte = peek(0) else { throw error("the document ends inside an attribute value") }
            if byte == quote {
                index += 1
                return String(decoding: output, as: UTF8.self)
            }
            if byte == UInt8(ascii: "<") { throw error("\"<\" inside an attribute value") }
            if byte == UInt8(ascii: "&") {
                output += try reference()
            } else {
                try appendLiteral(byte, to: &output, inAttribute: true)
            }
        }
    }

    /// Appends one literal byte: CR LF and lone CR become LF; in attributes, tab, CR and LF become a space
    /// (attribute-value normalisation, XML 1.0 §3.3.3).
    private mutating func appendLiteral(_ byte: UInt8, to output: inout [UInt8], inAttribute: Bool) throws(WSManError) {
        index += 1
        switch byte {
        case 0x0D:
            if peek(0) == 0x0A { index += 1 }
            output.append(inAttribute ? 0x20 : 0x0A)
        case 0x09, 0x0A:
            output.append(inAttribute ? 0x20 : byte)
        case ..<0x20:
            throw error("control character 0x\(String(byte, radix: 16)) in the document")
        default:
            output.append(byte)
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xH;`; anything else is refused.
    private mutating func reference() throws(WSManError) -> [UInt8] {
        guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw error("an unterminated entity reference")
        }
        let body = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        index = end + 1
        switch body {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default: break
        }
        var value: UInt32?
        if body.hasPrefix("#x"), body.dropFirst(2).allSatisfy(\.isHexDigit) {
            value = UInt32(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("#"), body.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            value = UInt32(body.dropFirst(), radix: 10)
        }
        guard let value, WSManXMLCharacter.isAllowed(value), let scalar = Unicode.Scalar(value) else {
            throw error("unknown entity or invalid character reference &\(body.prefix(10));")
        }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func cdata() throws(WSManError) -> String {
        index += 9  // "<![CDATA["
        guard let end = find("]]>") else { throw error("an unterminated CDATA section") }
        var output: [UInt8] = []
        while index < end { try appendLiteral(bytes[index], to: &output, inAttribute: false) }
        index = end + 3
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func comment() throws(WSManError) {
        index += 4
        guard let end = find("--") else { throw error("an unterminated comment") }
        guard end + 2 < bytes.count, bytes[end + 2] == UInt8(ascii: ">") else { throw error("\"--\" inside a comment") }
        index = end + 3
    }

    private mutating func processingInstruction() throws(WSManError) {
        index += 2
        guard let end = find("?>") else { throw error("an unterminated processing instruction") }
        index = end + 2
    }

    /// Whitespace, comments and processing instructions (the XML declaration among them) around the root.
    private mutating func miscellany(beforeRoot: Bool) throws(WSManError) {
        while true {
            skipWhitespace()
            if matches("<!--") {
                try comment()
            } else if matches("<?") {
                try processingInstruction()
            } else if matches("<!") {
                throw error(beforeRoot ? "document type declarations are not accepted" : "a declaration after the root")
            } else {
                return
            }
        }
    }

    // MARK: Lexing

    private mutating func name() throws(WSManError) -> String {
        let start = index
        guard let first = peek(0), Self.isNameStart(first) else { throw error("a tag or attribute without a name") }
        index += 1
        while let byte = peek(0), Self.isNameStart(byte) || Self.isNameContinuation(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while let byte = peek(0), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        return index > start
    }

    private func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { bytes[index..<(index + count)].elementsEqual($0) }
    }

    private func find(_ literal: StaticString) -> Int? {
        let count = literal.utf8CodeUnitCount
        return literal.withUTF8Buffer { needle -> Int? in
            var position = index
            while position + count <= bytes.count {
                if bytes[position..<(position + count)].elementsEqual(needle) { return position }
                position += 1
            }
            return nil
        }
    }

    private func error(_ reason: String) -> WSManError {
        .malformedXML(reason: "\(reason) (at byte \(index))")
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    private static func isNameContinuation(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
