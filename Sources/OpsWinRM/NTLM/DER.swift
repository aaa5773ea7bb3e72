/// Just enough DER (X.690) for SPNEGO tokens and for finding a certificate's signature algorithm: definite lengths
/// only, every length checked against the buffer, nothing read past the end.
struct DERReader {
    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
        end = bytes.count
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { offset == end }

    /// The tag of the next element without consuming it.
    var peekTag: UInt8? { offset < end ? bytes[offset] : nil }

    /// Reads one element (single-byte tag, definite length) and returns its tag and a reader over its content.
    mutating func readElement() throws(NTLMError) -> (tag: UInt8, content: DERReader) {
        guard offset < end else { throw .malformedDER("expected an element, found the end of the data") }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { throw .malformedDER("multi-byte tags are not supported") }
        var position = offset + 1
        guard position < end else { throw .malformedDER("element 0x\(String(tag, radix: 16)) has no length") }
        let first = bytes[position]
        position += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count > 0 else { throw .malformedDER("indefinite length") }
            guard count <= 4 else { throw .malformedDER("length of \(count) bytes") }
            guard count <= end - position else { throw .malformedDER("truncated length") }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[position])
                position += 1
            }
        }
        guard length <= end - position else {
            throw .malformedDER(
                "element 0x\(String(tag, radix: 16)) announces \(length) bytes, \(end - position) remain")
        }
        offset = position + length
        return (tag, DERReader(bytes, range: position..<position + length))
    }

    /// Reads one element and checks its tag.
    mutating func read(tag expected: UInt8, _ what: String) throws(NTLMError) -> DERReader {
        let (tag, content) = try readElement()
        guard tag == expected else {
            throw .malformedDER("\(what): tag 0x\(String(tag, radix: 16)), expected 0x\(String(expected, radix: 16))")
        }
        return content
    }

    /// The remaining content bytes.
    var contentBytes: [UInt8] { Array(bytes[offset..<end]) }

    /// Fails unless everything was consumed (no trailing data inside a structure).
    func expectEnd(_ what: String) throws(NTLMError) {
        guard isAtEnd else { throw .malformedDER("\(end - offset) unexpected bytes after \(what)") }
    }
}

/// DER encoding helpers.
enum DER {
    static let sequence: UInt8 = 0x30
    static let objectIdentifier: UInt8 = 0x06
    static let octetString: UInt8 = 0x04
    static let enumerated: UInt8 = 0x0A

    /// Context-specific constructed tag `[n]`.
    static func context(_ number: UInt8) -> UInt8 { 0xA0 | number }

    static func encode(tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var bytes = [tag]
        let length = content.count
        if length < 0x80 {
            bytes.append(UInt8(length))
        } else {
            var lengthBytes: [UInt8] = []
            var remaining = length
            while remaining > 0 {
                lengthBytes.insert(UInt8(remaining & 0xFF), at: 0)
                remaining >>= 8
            }
            bytes.append(0x80 | UInt8(lengthBytes.count))
            bytes += lengthBytes
        }
        return bytes + content
    }

    /// The dotted form of an OBJECT IDENTIFIER's content octets (for messages), or a hex dump if malformed.
    static func dottedOID(_ content: [UInt8]) -> String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for (index, byte) in content.enumerated() {
            guard value < (1 << 56) else { return "0x" + content.hexString }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 {
                if arcs.isEmpty {
                    let first: UInt64 = value < 40 ? 0 : (value < 80 ? 1 : 2)
                    arcs += [first, value - first * 40]
                } else {
                    arcs.append(value)
                }
                value = 0
            } else if index == content.count - 1 {
                return "0x" + content.hexString
            }
        }
        return arcs.map(String.init).joined(separator: ".")
    }
}
