/// Finds where one CLIXML record ends without parsing it: enough XML lexing to track element depth across
/// quoted attribute values, comments and CDATA, so a record split across Receives is recognised as unfinished.
enum CLIXMLRecordScanner {
    enum Scan: Equatable {
        /// The element (or tag) ends just before this index.
        case complete(Int)
        /// The bytes end before it does.
        case incomplete
        /// Not an element.
        case invalid
    }

    /// The extent of the element starting at the first byte of `bytes` (indices are those of `bytes`).
    static func scan(_ bytes: ArraySlice<UInt8>) -> Scan {
        guard bytes.first == UInt8(ascii: "<") else { return .invalid }
        var depth = 0
        var position = bytes.startIndex
        while position < bytes.endIndex {
            guard bytes[position] == UInt8(ascii: "<") else {
                position += 1
                continue
            }
            let rest = bytes[position...]
            if let terminator = skippedSection(rest) {
                guard let end = find(terminator, in: rest) else { return .incomplete }
                position = end
                if depth == 0 { return .complete(position) }
                continue
            }
            if sectionOpenings.contains(where: { $0.count > rest.count && $0.starts(with: rest) }) {
                return .incomplete
            }
            guard position + 1 < bytes.endIndex else { return .incomplete }
            if bytes[position + 1] == UInt8(ascii: "/") {
                guard let close = rest.firstIndex(of: UInt8(ascii: ">")) else { return .incomplete }
                depth -= 1
                guard depth >= 0 else { return .invalid }
                position = close + 1
            } else {
                switch scanStartTag(rest) {
                case .complete(let end):
                    if bytes[end - 2] != UInt8(ascii: "/") { depth += 1 }
                    position = end
                case .incomplete: return .incomplete
                case .invalid: return .invalid
                }
            }
            if depth == 0 { return .complete(position) }
        }
        return .incomplete
    }

    /// The extent of the start tag at the first byte of `bytes`, `>` in quoted attribute values skipped.
    static func scanStartTag(_ bytes: ArraySlice<UInt8>) -> Scan {
        guard bytes.first == UInt8(ascii: "<") else { return .invalid }
        guard bytes.count > 1 else { return .incomplete }
        let first = bytes[bytes.startIndex + 1]
        guard first >= 0x80 || first == UInt8(ascii: "_") || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A) else {
            return .invalid
        }
        var quote: UInt8?
        for position in (bytes.startIndex + 1)..<bytes.endIndex {
            let byte = bytes[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return .complete(position + 1)
            } else if byte == UInt8(ascii: "<") {
                return .invalid
            }
        }
        return .incomplete
    }

    private static let sectionOpenings = [Array("<!--".utf8), Array("<![CDATA[".utf8), Array("<?".utf8)]
    private static let sectionEnds = [Array("-->".utf8), Array("]]>".utf8), Array("?>".utf8)]

    /// For a comment, CDATA section or processing instruction at the start of `bytes`: what ends it.
    private static func skippedSection(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        sectionOpenings.indices.first { bytes.starts(with: sectionOpenings[$0]) }.map { sectionEnds[$0] }
    }

    /// The index just past the first occurrence of `needle` in `bytes` (after its opening), or nil.
    private static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        var position = bytes.startIndex + 2
        while position + needle.count <= bytes.endIndex {
            if bytes[position..<(position + needle.count)].elementsEqual(needle) { return position + needle.count }
            position += 1
        }
        return nil
    }
}
