/// The elements and attribute names of an HTML page as a browser's tokenizer sees them (WHATWG HTML §13.2.5,
/// reduced to what tells an injected element or attribute from a real one): `tag` for every start tag and
/// `tag@attribute` for every attribute name. Text, values and end tags are skipped the way a browser skips them:
/// quoted values run to their closing quote whatever they hold, comments to `-->`, and `script`, `style`,
/// `textarea` and `title` to their own end tag.
struct HTMLSkeleton: Equatable {
    private(set) var entries: Set<String> = []

    /// Every attribute name on every start tag, lower-cased.
    var attributeNames: Set<String> {
        Set(entries.compactMap { $0.split(separator: "@").dropFirst().first.map(String.init) })
    }

    /// Every start tag name, lower-cased.
    var tagNames: Set<String> { Set(entries.filter { !$0.contains("@") }) }

    init(html: String) {
        let bytes = Array(html.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count else {
                index += 1
                continue
            }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "!") {
                index = Self.skipMarkup(bytes, from: index)
            } else if next == UInt8(ascii: "/") || next == UInt8(ascii: "?") {
                index = Self.skip(past: UInt8(ascii: ">"), in: bytes, from: index + 2)
            } else if Self.isLetter(next) {
                index = startTag(bytes, from: index + 1)
            } else {
                index += 1
            }
        }
    }

    /// Reads a start tag from its name; returns the index after its `>`, past raw text for script-like elements.
    private mutating func startTag(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        var name = ""
        while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"),
            bytes[index] != UInt8(ascii: ">")
        {
            name.append(Character(Unicode.Scalar(Self.lower(bytes[index]))))
            index += 1
        }
        entries.insert(name)
        while index < bytes.count {
            while index < bytes.count, Self.isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") { index += 1 }
            guard index < bytes.count, bytes[index] != UInt8(ascii: ">") else { break }
            var attribute = ""
            // The first character may be `=` (a parse error a browser keeps as part of the name).
            repeat {
                attribute.append(Character(Unicode.Scalar(Self.lower(bytes[index]))))
                index += 1
            } while index < bytes.count && !Self.isSpace(bytes[index]) && bytes[index] != UInt8(ascii: "/")
                && bytes[index] != UInt8(ascii: ">") && bytes[index] != UInt8(ascii: "=")
            entries.insert("\(name)@\(attribute)")
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { break }
            let quote = bytes[index]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                index = Self.skip(past: quote, in: bytes, from: index + 1)
            } else {
                while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
            }
        }
        index = min(index + 1, bytes.count)
        if ["script", "style", "textarea", "title"].contains(name) {
            return Self.skipRawText(bytes, from: index, until: "</" + name)
        }
        return index
    }

    /// `<!--…-->`, `<!DOCTYPE …>` and other markup declarations.
    private static func skipMarkup(_ bytes: [UInt8], from start: Int) -> Int {
        if bytes[start...].starts(with: Array("<!--".utf8)) {
            var index = start + 4
            while index < bytes.count, !bytes[index...].starts(with: Array("-->".utf8)) { index += 1 }
            return min(index + 3, bytes.count)
        }
        return skip(past: UInt8(ascii: ">"), in: bytes, from: start + 2)
    }

    private static func skipRawText(_ bytes: [UInt8], from start: Int, until end: String) -> Int {
        let marker = Array(end.utf8)
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), index + marker.count <= bytes.count,
                zip(bytes[index..<(index + marker.count)], marker).allSatisfy({ lower($0) == $1 })
            {
                return index
            }
            index += 1
        }
        return index
    }

    private static func skip(past byte: UInt8, in bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] != byte { index += 1 }
        return min(index + 1, bytes.count)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lower(byte))
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
