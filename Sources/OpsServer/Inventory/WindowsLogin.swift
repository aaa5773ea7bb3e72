import OpsWinRM

/// The login of a Windows account as `winrm` credentials and targets take it: `DOMAIN\user`,
/// `user@domain` (UPN) or a local `user`. The rule is openapi.yaml's `WindowsLogin` pattern, checked
/// here code point by code point, so the API, the web form and the CLI refuse the same names.
enum WindowsLogin {
    /// White space Swift trims (`.whitespaces`: Zs and tab), allowed around the login and dropped.
    static let blanks: Set<Unicode.Scalar> = Set(
        "\t \u{A0}\u{1680}\u{202F}\u{205F}\u{3000}".unicodeScalars
    ).union(scalars(0x2000...0x200A))

    /// Line breaks and white space other than the plain space: never inside a login.
    static let breaks: Set<Unicode.Scalar> = blanks.subtracting([" "]).union(scalars(0x0A...0x0D)).union(
        "\u{85}\u{2028}\u{2029}".unicodeScalars)

    private static func scalars(_ range: ClosedRange<UInt32>) -> [Unicode.Scalar] {
        range.compactMap { Unicode.Scalar($0) }
    }

    /// Characters Windows refuses in a user name (sAMAccountName and local accounts).
    static let userForbidden = Set("\\@/\"[]:;|=+*?<>,".unicodeScalars).union(breaks)
    /// Characters no NetBIOS or DNS domain name holds.
    static let domainForbidden = Set("\\@/:*?\"<>|".unicodeScalars).union(breaks)

    /// The login trimmed, or `invalid` naming `field` with what is wrong.
    static func validate(_ text: String, field: String) throws -> String {
        let login = trimmed(text)
        if let problem = problem(login) ?? WinRMCredential.problem(login: login) {
            throw InventoryServiceError.invalid(field: field, message: problem)
        }
        return login
    }

    /// `login` with `domain` made explicit (`DOMAIN\user`); nil or "" leaves it as it is. A login that
    /// already names another domain is refused, naming the `domain` field.
    static func combine(_ login: String, domain: String?) throws -> String {
        let domain = trimmed(domain ?? "")
        guard !domain.isEmpty else { return login }
        if let problem = domainProblem(domain) {
            throw InventoryServiceError.invalid(field: "domain", message: problem)
        }
        let named = WinRMCredential(login: login, password: "").domain
        if named.isEmpty { return try validate("\(domain)\\\(login)", field: "username") }
        guard named.lowercased() == domain.lowercased() else {
            throw InventoryServiceError.unusable(
                field: "domain", message: "the user name '\(login)' already names the domain '\(named)'")
        }
        return login
    }

    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blanks.contains($0) }),
            let last = scalars.lastIndex(where: { !blanks.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// What openapi.yaml's pattern refuses in a trimmed login, or nil.
    static func problem(_ login: String) -> String? {
        if login.isEmpty { return "the user name is empty" }
        let scalars = Array(login.unicodeScalars)
        let user: ArraySlice<Unicode.Scalar>
        if let slash = scalars.firstIndex(of: "\\") {
            if let problem = domainProblem(String(String.UnicodeScalarView(scalars[..<slash]))) { return problem }
            user = scalars[(slash + 1)...]
        } else if let at = scalars.lastIndex(of: "@") {
            if let problem = domainProblem(String(String.UnicodeScalarView(scalars[(at + 1)...]))) { return problem }
            user = scalars[..<at]
        } else {
            user = scalars[...]
        }
        if user.isEmpty { return "the user name is empty" }
        if user.first == " " || user.last == " " { return "the user name starts or ends with a space" }
        if user.count > 104 { return "the user name is longer than 104 characters" }
        if user.contains(where: userForbidden.contains) {
            return "a Windows user name has none of \\ @ / \" [ ] : ; | = + * ? < > , nor tabs or line breaks"
        }
        return nil
    }

    static func domainProblem(_ domain: String) -> String? {
        if domain.isEmpty { return "the domain is empty" }
        if domain.hasPrefix(" ") || domain.hasSuffix(" ") { return "the domain starts or ends with a space" }
        if domain.unicodeScalars.count > 255 { return "the domain is longer than 255 characters" }
        if domain.unicodeScalars.contains(where: domainForbidden.contains) {
            return "a domain name has none of \\ @ / : * ? \" < > | nor tabs or line breaks"
        }
        return nil
    }
}
