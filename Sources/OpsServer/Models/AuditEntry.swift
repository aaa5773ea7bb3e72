import Fluent
import Foundation

/// One line of the audit log: who did what to which object, from where. Append-only.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "created_at") public var createdAt: Date
    /// Username, or `cli:<os user>`, or nil when nobody was signed in.
    @OptionalField(key: "actor") public var actor: String?
    /// Dotted verb, e.g. `login.failure`, `user.create`, `token.revoke`.
    @Field(key: "action") public var action: String
    @OptionalField(key: "object") public var object: String?
    /// JSON object with details; never a secret.
    @OptionalField(key: "details") public var details: String?
    @OptionalField(key: "source_address") public var sourceAddress: String?
    /// web | api | cli | system
    @Field(key: "source") public var source: String

    public init() {}

    public init(
        createdAt: Date, actor: String?, action: String, object: String?, details: String?,
        sourceAddress: String?, source: String
    ) {
        self.createdAt = createdAt
        self.actor = actor
        self.action = action
        self.object = object
        self.details = details
        self.sourceAddress = sourceAddress
        self.source = source
    }
}
