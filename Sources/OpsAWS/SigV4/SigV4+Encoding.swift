extension SigV4 {
    /// URI-encodes as SigV4 requires: the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) stay, every other
    /// UTF-8 byte becomes `%XX` with upper-case hex. A space is `%20`, never `+`. `/` stays only when
    /// `keepSlash` is set, as in paths.
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(upperHexDigits[Int(byte >> 4)])
                encoded.append(upperHexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// RFC 3986 §5.2.4 dot-segment removal, plus the removal of empty segments that AWS also requires
    /// (`//example//` becomes `/example/`). A trailing slash survives unless nothing is left before it, and a
    /// path ending in `.` or `..` loses it, as in botocore.
    public static func removeDotSegments(_ path: String) -> String {
        var kept: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = kept.popLast()
            default: kept.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !kept.isEmpty ? "/" : ""
        return "/" + kept.joined(separator: "/") + trailing
    }

    /// AWS's Trimall: leading and trailing whitespace removed, each inner run of it collapsed to one space. Only
    /// ASCII whitespace counts (space, tab, CR, LF, VT, FF), so obsolete line folding becomes a single space.
    public static func trimAll(_ value: String) -> String {
        let words = value.utf8.split(whereSeparator: isASCIIWhitespace)
        return words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// Lower-case hex, as every SigV4 hash and signature is written.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(lowerHexDigits[Int(byte >> 4)])
            text.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Orders strings by their UTF-8 bytes, which is code point order: what AWS means by "sort by character
    /// code point", independent of Swift's Unicode-aware `<`.
    static func precedesByCodePoint(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerHexDigits = Array("0123456789abcdef".utf8)
}
