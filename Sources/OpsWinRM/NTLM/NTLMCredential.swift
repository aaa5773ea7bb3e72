/// The user name, domain and password NTLM authenticates with.
///
/// User names are accepted as Windows accepts them: `DOMAIN\user` (the domain is split off), `user@domain.example`
/// (a UPN: sent whole as the user name with an empty domain, as Windows and pyspnego send it, for the domain
/// controller to resolve) and a plain `user` (with `domain`, or none for a local account).
/// The password never appears in `description` or `debugDescription`.
public struct NTLMCredential: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let user: String
    public let domain: String
    public let password: String

    public init(user: String, password: String, domain: String? = nil) throws(NTLMError) {
        let explicitDomain = domain ?? ""
        var user = user
        var domain = explicitDomain
        if let backslash = user.firstIndex(of: "\\") {
            let prefix = String(user[..<backslash])
            user = String(user[user.index(after: backslash)...])
            guard !prefix.isEmpty else { throw .invalidCredential("empty domain before '\\' in the user name") }
            guard explicitDomain.isEmpty || explicitDomain.lowercased() == prefix.lowercased() else {
                throw .invalidCredential("the user name names domain \(prefix) but the domain is \(explicitDomain)")
            }
            domain = prefix
        }
        guard !user.isEmpty else { throw .invalidCredential("empty user name") }
        guard !user.contains("\\") else { throw .invalidCredential("more than one '\\' in the user name") }
        self.user = user
        self.domain = domain
        self.password = password
    }

    public var description: String { domain.isEmpty ? user : "\(domain)\\\(user)" }
    public var debugDescription: String { "NTLMCredential(\(description), password: <redacted>)" }
}
