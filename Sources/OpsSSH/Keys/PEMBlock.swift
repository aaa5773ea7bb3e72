import Foundation

/// One armored block of a key file (RFC 7468 textual encoding, with the RFC 1421 headers that traditional
/// encrypted OpenSSL keys carry): `-----BEGIN LABEL-----`, optional `Name: value` headers, base64, `-----END LABEL-----`.
///
/// OpenSSH's own format (PROTOCOL.key) uses the same armor with the label "OPENSSH PRIVATE KEY".
struct PEMBlock {
    /// The text between "BEGIN " and the closing dashes, e.g. "EC PRIVATE KEY".
    let label: String
    /// RFC 1421 headers such as "Proc-Type: 4,ENCRYPTED", names as written.
    let headers: [String: String]
    /// The base64 body, whitespace removed, not yet decoded.
    let base64Body: String
    /// The block alone, normalized to "\n" line endings, for decoders that want PEM text.
    let text: String

    /// Whether an RFC 1421 `Proc-Type: 4,ENCRYPTED` header says the body is encrypted.
    var isProcTypeEncrypted: Bool {
        headers.contains { $0.key.lowercased() == "proc-type" && $0.value.uppercased().contains("ENCRYPTED") }
    }

    /// The decoded body; nil when the base64 is damaged.
    var derBytes: [UInt8]? {
        Data(base64Encoded: base64Body).map { Array($0) }
    }

    /// The first armored block of `fileText`; nil when there is no BEGIN line at all.
    ///
    /// A BEGIN line without its END line means the file was cut short, which is reported as a malformed key.
    static func first(in fileText: String) throws(SSHError) -> PEMBlock? {
        let lines = fileText.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let beginIndex = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") && $0.hasSuffix("-----") }) else {
            return nil
        }
        let begin = lines[beginIndex]
        let label = String(begin.dropFirst("-----BEGIN ".count).dropLast("-----".count))
        let endLine = "-----END \(label)-----"
        guard let endIndex = lines[(beginIndex + 1)...].firstIndex(of: endLine) else {
            throw .malformedKey("the \(label) block has no END line; the key is truncated")
        }
        var headers: [String: String] = [:]
        var bodyLines: [String] = []
        var inHeaders = true
        for line in lines[(beginIndex + 1)..<endIndex] {
            if inHeaders, let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                continue
            }
            inHeaders = false
            if !line.isEmpty { bodyLines.append(line) }
        }
        let body = bodyLines.joined().filter { !$0.isWhitespace }
        let text = lines[beginIndex...endIndex].joined(separator: "\n") + "\n"
        return PEMBlock(label: label, headers: headers, base64Body: body, text: text)
    }
}
