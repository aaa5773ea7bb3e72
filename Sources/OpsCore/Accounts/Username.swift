/// Validation rules for account names, shared by the CLI, the web forms and the API.
public enum Username {
    /// Longest accepted name.
    public static let maxLength = 64

    /// Returns the normalised (lower-cased) name, or a message saying what is wrong with it.
    public static func validate(_ raw: String) -> Result<String, AccountValidationError> {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty else { return .failure(.invalidUsername("username must not be empty")) }
        guard name.count <= maxLength else {
            return .failure(.invalidUsername("username must be at most \(maxLength) characters"))
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard name.allSatisfy({ allowed.contains($0) }), let first = name.first, first.isLetter || first.isNumber
        else {
            return .failure(
                .invalidUsername(
                    "username may contain only letters, digits, '.', '_' and '-', and must start with a letter or digit"
                ))
        }
        return .success(name)
    }
}

/// Validation rules for passwords chosen by people (generated ones are always longer).
public enum PasswordPolicy {
    /// Shortest accepted password.
    public static let minLength = 12
    /// Longest accepted password; bcrypt ignores bytes past 72.
    public static let maxLength = 72

    /// Checks a chosen password against the policy.
    public static func validate(_ password: String) -> Result<Void, AccountValidationError> {
        let bytes = password.utf8.count
        if password.count < minLength {
            return .failure(.weakPassword("password must be at least \(minLength) characters"))
        }
        if bytes > maxLength {
            return .failure(.passwordTooLong("password must be at most \(maxLength) bytes in UTF-8, got \(bytes)"))
        }
        return .success(())
    }
}

/// Why an account name or password was refused.
public enum AccountValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUsername(String)
    case weakPassword(String)
    /// Over bcrypt's 72 bytes: a length in characters cannot say it, so the API answers 422, not 400.
    case passwordTooLong(String)
    case invalidRole(String)

    public var description: String {
        switch self {
        case .invalidUsername(let message), .weakPassword(let message), .passwordTooLong(let message): message
        case .invalidRole(let given):
            "role '\(given)' is not one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
