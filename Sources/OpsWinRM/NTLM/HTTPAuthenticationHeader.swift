import Foundation

/// One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1): a scheme and, for NTLM and Negotiate, the
/// Base64 token68 that follows it.
public struct HTTPAuthenticationChallenge: Sendable, Equatable {
    /// The scheme as the server spelled it (`Negotiate`, `NTLM`, `Basic`, …).
    public var scheme: String
    /// The token68 (the NTLM/SPNEGO token, Base64), or nil for a bare scheme or one with auth-params.
    public var token68: String?
}

/// The `Authorization` and `WWW-Authenticate` headers of NTLM and Negotiate over HTTP (MS-NTHT 2.2).
public enum HTTPAuthenticationHeader {
    /// `<scheme> <base64>`, e.g. `Negotiate TlRMTVNTUAABAAAA…`.
    public static func authorization(scheme: String, token: [UInt8]) -> String {
        "\(scheme) \(Data(token).base64EncodedString())"
    }

    /// The scheme to authenticate with, as the server spelled it in its first 401: `Negotiate` for SPNEGO; for raw
    /// NTLM `NTLM` if offered, else `Negotiate` (what Windows WinRM offers, and accepts raw NTLM in, as
    /// requests-ntlm relies on). Throws `schemeNotOffered` when neither fits.
    public static func scheme(
        for mechanism: NTLMAuthenticator.Mechanism, in headerValues: [String]
    ) throws(NTLMError) -> String {
        let offered = try challenges(in: headerValues).map(\.scheme)
        let candidates = mechanism == .ntlm ? ["ntlm", "negotiate"] : ["negotiate"]
        for candidate in candidates {
            if let scheme = offered.first(where: { $0.lowercased() == candidate }) { return scheme }
        }
        throw .schemeNotOffered(scheme: mechanism == .ntlm ? "NTLM or Negotiate" : "Negotiate", offered: offered)
    }

    /// Every challenge of every `WWW-Authenticate` header value, in order. Values may hold several challenges
    /// separated by commas (`Negotiate, NTLM`, `Basic realm="WSMAN", Negotiate`); auth-params are skipped.
    public static func challenges(in headerValues: [String]) throws(NTLMError) -> [HTTPAuthenticationChallenge] {
        var challenges: [HTTPAuthenticationChallenge] = []
        for value in headerValues {
            for element in try splitOutsideQuotes(value) {
                let trimmed = element.trimmingSpacesAndTabs()
                guard !trimmed.isEmpty else { continue }
                let words = trimmed.split(separator: " ", maxSplits: 1).map { $0.trimmingSpacesAndTabs() }
                let first = words[0]
                if first.contains("=") {
                    // An auth-param (`realm="WSMAN"`, `charset=UTF-8`) of the previous challenge.
                    guard !challenges.isEmpty else { throw .malformedAuthenticateHeader("auth-param before a scheme") }
                    continue
                }
                guard first.allSatisfy(isTokenCharacter) else {
                    throw .malformedAuthenticateHeader("invalid scheme \"\(first.prefix(40))\"")
                }
                var token68: String?
                if words.count == 2 {
                    let rest = words[1]
                    // `Scheme token68` unless the rest is an auth-param (`name=value`, `=` before the end padding).
                    if !rest.reversed().drop(while: { $0 == "=" }).contains("=") { token68 = rest }
                }
                challenges.append(HTTPAuthenticationChallenge(scheme: first, token68: token68))
            }
        }
        return challenges
    }

    /// The decoded token the server sent with `scheme` (case-insensitive), nil if it named the scheme without a
    /// token. Throws if the scheme is absent or the token is not Base64.
    public static func token(scheme: String, in headerValues: [String]) throws(NTLMError) -> [UInt8]? {
        let all = try challenges(in: headerValues)
        guard let challenge = all.first(where: { $0.scheme.lowercased() == scheme.lowercased() }) else {
            throw .schemeNotOffered(scheme: scheme, offered: all.map(\.scheme))
        }
        guard let token68 = challenge.token68 else { return nil }
        guard let data = Data(base64Encoded: token68), !data.isEmpty else {
            throw .malformedAuthenticateHeader("the \(challenge.scheme) token is not Base64")
        }
        return Array(data)
    }

    private static func splitOutsideQuotes(_ value: String) throws(NTLMError) -> [Substring] {
        var parts: [Substring] = []
        var start = value.startIndex
        var inQuotes = false
        var escaped = false
        for index in value.indices {
            let character = value[index]
            if escaped {
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == "," && !inQuotes {
                parts.append(value[start..<index])
                start = value.index(after: index)
            }
        }
        guard !inQuotes else { throw .malformedAuthenticateHeader("unterminated quoted string") }
        parts.append(value[start...])
        return parts
    }

    /// RFC 9110 §5.6.2 tchar.
    private static func isTokenCharacter(_ character: Character) -> Bool {
        guard character.isASCII, let ascii = character.asciiValue else { return false }
        return ascii > 0x20 && ascii < 0x7F && !"\"(),/:;<=>?@[\\]{}".contains(character)
    }
}
