/// An access key pair, plus the session token that temporary (STS) credentials carry.
///
/// Printing, interpolating or dumping a value shows the access key id only: the secret and the token never
/// reach a log line by accident.
public struct AWSCredentials: Sendable, Equatable {
    /// The public half, `AKIA…` (long-term) or `ASIA…` (temporary).
    public var accessKeyID: String
    /// The secret half; used only to derive the signing key.
    public var secretAccessKey: String
    /// Present for temporary credentials; sent as `X-Amz-Security-Token` and signed.
    public var sessionToken: String?

    /// Credentials as they come from the environment, a credentials file or STS.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names the key id and whether a token is present; never the secret or the token.
    public var description: String {
        let token = sessionToken == nil ? "none" : "<redacted>"
        return "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token))"
    }

    /// The same redacted text as `description`, so `String(reflecting:)` leaks nothing either.
    public var debugDescription: String { description }

    /// `dump()` and debuggers see the key id only.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "hasSessionToken": sessionToken != nil])
    }
}
