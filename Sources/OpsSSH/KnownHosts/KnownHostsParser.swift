import Foundation

/// Reads known_hosts text (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT) as OpenSSH does: blank lines and `#` comments
/// are skipped, and a line that cannot be used is reported and skipped without stopping the rest of the file.
public enum KnownHostsParser {
    /// The usable entries, in file order, and one ``SSHError/malformedKnownHostsLine(line:reason:)`` per line
    /// that was skipped. Line numbers are 1-based.
    public static func parse(_ text: String) -> (entries: [KnownHostEntry], errors: [SSHError]) {
        var entries: [KnownHostEntry] = []
        var errors: [SSHError] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                entries.append(try parseLine(line, lineNumber: lineNumber))
            } catch {
                errors.append(error)
            }
        }
        return (entries, errors)
    }

    /// One non-blank, non-comment line.
    static func parseLine(_ line: String, lineNumber: Int) throws(SSHError) -> KnownHostEntry {
        func malformed(_ reason: String) -> SSHError { .malformedKnownHostsLine(line: lineNumber, reason: reason) }

        var fields = line.split(maxSplits: 3, whereSeparator: { $0 == " " || $0 == "\t" })[...]
        var marker: KnownHostEntry.Marker?
        if let first = fields.first, first.hasPrefix("@") {
            guard let known = KnownHostEntry.Marker(rawValue: String(first)) else {
                throw malformed("unknown marker \(first) (expected @cert-authority or @revoked)")
            }
            marker = known
            fields = line.split(maxSplits: 4, whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst()
        }
        guard let hostField = fields.popFirst() else { throw malformed("missing host names") }
        guard let keyType = fields.popFirst().map(String.init) else { throw malformed("missing key type") }
        if keyType.allSatisfy(\.isNumber) {
            throw malformed("SSH protocol 1 RSA keys (bits exponent modulus) are not supported")
        }
        guard let keyBase64 = fields.popFirst().map(String.init) else { throw malformed("missing key data") }
        let comment = fields.popFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        let hosts = try parseHosts(String(hostField), malformed: malformed)
        do {
            return try KnownHostEntry(
                marker: marker, hosts: hosts, keyType: keyType, keyBase64: keyBase64, comment: comment, line: lineNumber
            )
        } catch {
            if case .malformedPublicKey(let reason) = error { throw malformed(reason) }
            throw malformed(error.description)
        }
    }

    /// A hashed name `|1|salt|hash` (both 20 bytes, the SHA-1 size, as OpenSSH requires) or a pattern list.
    private static func parseHosts(
        _ field: String, malformed: (String) -> SSHError
    ) throws(SSHError) -> KnownHostEntry.Hosts {
        if field.hasPrefix("|") {
            let parts = field.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0].isEmpty, parts[1] == "1" else {
                throw malformed("unsupported hashed host name format (expected |1|salt|hash)")
            }
            guard let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])),
                salt.count == 20, hash.count == 20
            else {
                throw malformed("the hashed host name's salt or hash is not 20 bytes of base64")
            }
            return .hashed(salt: salt, hash: hash)
        }
        let patterns = field.split(separator: ",").map(String.init).filter { !$0.isEmpty && $0 != "!" }
        guard !patterns.isEmpty else { throw malformed("missing host names") }
        return .patterns(patterns)
    }
}
