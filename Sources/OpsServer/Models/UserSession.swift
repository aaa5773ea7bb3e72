import Fluent
import Foundation

/// A signed-in browser. The cookie holds a random token; the table holds its SHA-256.
public final class UserSession: Model, @unchecked Sendable {
    public static let schema = "sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "user_id") public var user: User
    /// Required on every state-changing request made with this session.
    @Field(key: "csrf_token") public var csrfToken: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "source_address") public var sourceAddress: String?
    @OptionalField(key: "user_agent") public var userAgent: String?
    /// A one-shot message for the next page ("kind|text").
    @OptionalField(key: "flash") public var flash: String?
    /// AWS keys entered on `/aws` for this session: JSON of ``SessionAWSKeys``, sealed in the vault.
    @OptionalField(key: "aws_keys") public var awsKeys: Data?

    public init() {}

    public init(
        tokenHash: String, userID: UUID, csrfToken: String, lastSeenAt: Date, expiresAt: Date,
        sourceAddress: String?, userAgent: String?
    ) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.csrfToken = csrfToken
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.sourceAddress = sourceAddress
        self.userAgent = userAgent
    }
}

extension UserSession {
    /// True until the session is idle for ``SecurityConfig/sessionIdleTimeout`` or reaches its end
    /// of life: the rule ``SessionStore/lookup(cookieToken:)`` applies to page requests, for the
    /// live streams they opened.
    func isLive(at now: Date, security: SecurityConfig) -> Bool {
        now.timeIntervalSince(lastSeenAt) <= security.sessionIdleTimeout && expiresAt > now
    }
}
