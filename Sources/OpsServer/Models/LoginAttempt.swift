import Fluent
import Foundation

/// One password check, reserved by ``LoginThrottle`` before the check runs so parallel attempts
/// count against the limits. Rows older than twice the throttle window are deleted.
public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    /// What became of the attempt.
    public enum Outcome: String, Sendable {
        /// Reserved; the password has not been checked yet. Counts as a failure.
        case pending
        case failure
        case success
    }

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    /// The user name as typed, normalised (see ``LoginThrottle/key(_:)``).
    @Field(key: "username") public var username: String
    /// The client address, or `-` when unknown.
    @Field(key: "address") public var address: String
    @Field(key: "created_at") public var createdAt: Date
    /// The password is not checked before this time (the per-user slow-down).
    @Field(key: "not_before") public var notBefore: Date
    @Field(key: "outcome") public var outcome: String

    public init() {}

    init(username: String, address: String, createdAt: Date, notBefore: Date) {
        self.username = username
        self.address = address
        self.createdAt = createdAt
        self.notBefore = notBefore
        self.outcome = Outcome.pending.rawValue
    }
}
