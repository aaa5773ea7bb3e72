import Foundation

/// Credentials as a provider hands them out: the keys, when they stop working, and where they came from.
public struct ProvidedCredentials: Sendable, Equatable {
    /// The keys (and session token).
    public var credentials: AWSCredentials
    /// When temporary credentials expire; nil for long-term keys.
    public var expiration: Date?
    /// Where they came from, for status pages and errors: `environment`, `profile 'dev'`, `IMDSv2 role 'web'`.
    public var source: String

    /// Credentials from `source`.
    public init(credentials: AWSCredentials, expiration: Date? = nil, source: String) {
        self.credentials = credentials
        self.expiration = expiration
        self.source = source
    }
}

/// A source of AWS credentials. A provider that is not configured at all throws
/// `AWSError.credentialsUnavailable` (a chain then tries its next provider); one that is configured but broken
/// throws `AWSError.credentials` or the AWS error that stopped it, and a chain stops there.
public protocol AWSCredentialProvider: Sendable {
    /// The current credentials.
    func credentials() async throws -> ProvidedCredentials
}

/// Fixed keys: entered in the UI, stored in the vault, or given by a test.
public struct StaticCredentialProvider: AWSCredentialProvider {
    /// What `credentials()` returns.
    public let provided: ProvidedCredentials

    /// Keys from `source`; an empty key id or secret is refused when asked for, naming `source`.
    public init(_ credentials: AWSCredentials, expiration: Date? = nil, source: String = "static keys") {
        provided = ProvidedCredentials(credentials: credentials, expiration: expiration, source: source)
    }

    /// The fixed keys.
    public func credentials() async throws -> ProvidedCredentials {
        guard !provided.credentials.accessKeyID.isEmpty, !provided.credentials.secretAccessKey.isEmpty else {
            throw AWSError.credentials(source: provided.source, reason: "access key id or secret access key is empty")
        }
        return provided
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`, from the variables passed in.
public struct EnvironmentCredentialProvider: AWSCredentialProvider {
    /// Environment variables, as given.
    public let variables: [String: String]

    /// A provider over `variables`.
    public init(variables: [String: String]) {
        self.variables = variables
    }

    /// The keys; unavailable when neither key variable is set, an error when only one is.
    public func credentials() async throws -> ProvidedCredentials {
        let keyID = value("AWS_ACCESS_KEY_ID")
        let secret = value("AWS_SECRET_ACCESS_KEY")
        switch (keyID, secret) {
        case (nil, nil):
            throw AWSError.credentialsUnavailable(source: "environment", reason: "AWS_ACCESS_KEY_ID is not set")
        case (.some, nil):
            throw AWSError.credentials(
                source: "environment", reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, .some):
            throw AWSError.credentials(
                source: "environment", reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (.some(let keyID), .some(let secret)):
            let keys = AWSCredentials(
                accessKeyID: keyID, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
            return ProvidedCredentials(credentials: keys, source: "environment")
        }
    }

    private func value(_ name: String) -> String? {
        guard let text = variables[name]?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return text
    }
}
