/// A strict reader of the `multipart/encrypted` body of MS-WSMV 2.2.9.1.1. Binary-safe: the sealed bytes are cut by
/// the announced Length (RC4 keeps the length), never by searching for the boundary inside them.
struct WinRMMultipartParser {
    enum Delimiter { case part, closing }

    private let body: [UInt8]
    private let boundary: [UInt8]
    private var offset = 0

    init(body: [UInt8], boundary: [UInt8]) {
        self.body = body
        self.boundary = boundary
    }

    /// `--boundary` then CRLF (another part) or `--` (the end). Exchange servers put spaces after the dashes.
    @discardableResult
    mutating func expectDelimiter() throws(NTLMError) -> Delimiter {
        guard consume(Array("--".utf8)) else {
            throw .malformedEncryptedMessage("expected a boundary at byte \(offset)")
        }
        while offset < body.count, body[offset] == 0x20 || body[offset] == 0x09 { offset += 1 }
        guard consume(boundary) else { throw .malformedEncryptedMessage("unexpected boundary at byte \(offset)") }
        if consume(Array("--".utf8)) { return .closing }
        guard consume([0x0D, 0x0A]) else { throw .malformedEncryptedMessage("no line break after the boundary") }
        return .part
    }

    /// After the closing boundary: an optional CRLF and nothing else.
    mutating func expectEnd() throws(NTLMError) {
        _ = consume([0x0D, 0x0A])
        guard offset == body.count else {
            throw .malformedEncryptedMessage("\(body.count - offset) bytes after the closing boundary")
        }
    }

    /// The first part's headers: Content-Type must be the protocol, OriginalContent must carry `Length=N`.
    mutating func readOriginalContentLength(protocol expectedProtocol: String) throws(NTLMError) -> Int {
        var contentType: String?
        var length: Int?
        while offset < body.count, body[offset] != UInt8(ascii: "-") {
            let (name, value) = try readHeader()
            switch name {
            case "content-type": contentType = value
            case "originalcontent":
                for parameter in value.split(separator: ";") where parameter.lowercased().hasPrefix("length=") {
                    let digits = parameter.dropFirst("length=".count)
                    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                        digits.count <= 10, let value = Int(digits)
                    else { throw .malformedEncryptedMessage("OriginalContent Length \"\(digits)\" is not a length") }
                    length = value
                }
            default: continue
            }
        }
        guard contentType?.lowercased() == expectedProtocol.lowercased() else {
            throw .malformedEncryptedMessage("the first part's Content-Type is \(contentType ?? "missing")")
        }
        guard let length else { throw .malformedEncryptedMessage("no OriginalContent Length") }
        return length
    }

    /// The second part: `Content-Type: application/octet-stream`, the signature length, the signature, then exactly
    /// `length` sealed bytes.
    mutating func readEncryptedPayload(length: Int) throws(NTLMError) -> (signature: [UInt8], sealed: [UInt8]) {
        let (name, value) = try readHeader()
        guard name == "content-type", value.lowercased() == "application/octet-stream" else {
            throw .malformedEncryptedMessage("the second part's header is \(name): \(value)")
        }
        guard body.count - offset >= 4 else { throw .malformedEncryptedMessage("no signature length") }
        let signatureLength =
            Int(body[offset]) | Int(body[offset + 1]) << 8 | Int(body[offset + 2]) << 16 | Int(body[offset + 3]) << 24
        offset += 4
        guard signatureLength == 16 else {
            throw .malformedEncryptedMessage("signature length \(signatureLength), NTLM signatures have 16 bytes")
        }
        guard body.count - offset >= 16 + length else {
            throw .malformedEncryptedMessage(
                "OriginalContent Length \(length) exceeds the \(body.count - offset - 16) sealed bytes present")
        }
        let signature = Array(body[offset..<offset + 16])
        let sealed = Array(body[offset + 16..<offset + 16 + length])
        offset += 16 + length
        guard body[offset...].starts(with: Array("--".utf8)) else {
            throw .malformedEncryptedMessage("the sealed data is longer than its OriginalContent Length \(length)")
        }
        return (signature, sealed)
    }

    /// One `\tName: value\r\n` line (leading whitespace allowed), name lower-cased.
    private mutating func readHeader() throws(NTLMError) -> (name: String, value: String) {
        guard let lineEnd = body[offset...].firstIndex(of: 0x0A), lineEnd > offset, body[lineEnd - 1] == 0x0D else {
            throw .malformedEncryptedMessage("unterminated header line at byte \(offset)")
        }
        let line = String(decoding: body[offset..<lineEnd - 1], as: UTF8.self)
        offset = lineEnd + 1
        guard let colon = line.firstIndex(of: ":") else {
            throw .malformedEncryptedMessage("header line without a colon: \(line.prefix(80))")
        }
        let name = line[..<colon].trimmingSpacesAndTabs().lowercased()
        return (name, line[line.index(after: colon)...].trimmingSpacesAndTabs())
    }

    private mutating func consume(_ expected: [UInt8]) -> Bool {
        guard body[offset...].starts(with: expected) else { return false }
        offset += expected.count
        return true
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (header values, Content-Type parameters).
    func trimmingSpacesAndTabs() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
