/// A Windows account: `DOMAIN\user`, `user@domain` (UPN) or a local `user`, with its password.
public struct WinRMCredential: Sendable, Equatable {
    public var username: String
    /// The NetBIOS or DNS domain; empty for a local account.
    public var domain: String
    public var password: String

    public init(username: String, domain: String = "", password: String) {
        self.username = username
        self.domain = domain
        self.password = password
    }

    /// Splits `DOMAIN\user` and `user@domain`; an explicit `domain` wins over one in the name.
    public init(login: String, domain explicitDomain: String? = nil, password: String) {
        var user = login
        var domain = ""
        if let slash = login.firstIndex(of: "\\") {
            domain = String(login[..<slash])
            user = String(login[login.index(after: slash)...])
        } else if let at = login.lastIndex(of: "@") {
            user = String(login[..<at])
            domain = String(login[login.index(after: at)...])
        }
        if let explicitDomain, !explicitDomain.isEmpty { domain = explicitDomain }
        self.init(username: user, domain: domain, password: password)
    }

    /// `DOMAIN\user`, or `user` for a local account: how the account is named in messages.
    public var displayName: String { domain.isEmpty ? username : "\(domain)\\\(username)" }

    /// Why this login cannot be used, or nil.
    public static func problem(login: String) -> String? {
        let credential = WinRMCredential(login: login, password: "")
        if credential.username.isEmpty { return "the user name is empty" }
        if login.contains("\\") && credential.domain.isEmpty { return "the domain before '\\' is empty" }
        if login.contains("@") && credential.domain.isEmpty { return "the domain after '@' is empty" }
        if credential.username.contains(where: { "\\@/\"[]:;|=+*?<>,".contains($0) || $0.isWhitespace && $0 != " " }) {
            return "the user name contains a character Windows does not allow"
        }
        if credential.username.count > 104 || credential.domain.count > 255 { return "the name is too long" }
        return nil
    }
}
