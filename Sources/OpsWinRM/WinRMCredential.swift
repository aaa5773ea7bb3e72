/// A Windows account: `DOMAIN\user`, `user@domain` (UPN) or a local `user`, with its password.
public struct WinRMCredential: Sendable, Equatable {
    public var username: String
    /// The NetBIOS or DNS domain; empty for a local account.
    public var domain: String
    public var password: String
    /// True when the name was given as `user@domain` (a UPN): NTLM then sends it whole, with no domain, for
    /// the domain controller to resolve, as Windows does.
    public var isPrincipalName: Bool

    public init(username: String, domain: String = "", password: String, isPrincipalName: Bool = false) {
        self.username = username
        self.domain = domain
        self.password = password
        self.isPrincipalName = isPrincipalName
    }

    /// Splits `DOMAIN\user` and `user@domain`; an explicit `domain` wins over one in the name.
    public init(login: String, domain explicitDomain: String? = nil, password: String) {
        var user = login
        var domain = ""
        var principal = false
        if let slash = login.firstIndex(of: "\\") {
            domain = String(login[..<slash])
            user = String(login[login.index(after: slash)...])
        } else if let at = login.lastIndex(of: "@") {
            user = String(login[..<at])
            domain = String(login[login.index(after: at)...])
            principal = true
        }
        if let explicitDomain, !explicitDomain.isEmpty, explicitDomain != domain {
            domain = explicitDomain
            principal = false
        }
        self.init(username: user, domain: domain, password: password, isPrincipalName: principal)
    }

    /// `DOMAIN\user`, `user@domain` or `user`: how the account is named in messages and sent with Basic.
    public var login: String {
        if domain.isEmpty { return username }
        return isPrincipalName ? "\(username)@\(domain)" : "\(domain)\\\(username)"
    }

    /// How the account is named in messages.
    public var displayName: String { login }

    /// The user name NTLM sends: a UPN whole.
    var ntlmUser: String { isPrincipalName ? login : username }

    /// The domain NTLM sends: none with a UPN.
    var ntlmDomain: String { isPrincipalName ? "" : domain }

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
