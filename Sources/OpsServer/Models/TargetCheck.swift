import Fluent
import Foundation

/// The last connection test of a target: when, by whom, and how it went.
public final class TargetCheck: Model, @unchecked Sendable {
    public static let schema = "target_checks"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "target_id") public var target: Target
    @Field(key: "checked_at") public var checkedAt: Date
    @Field(key: "ok") public var ok: Bool
    /// The stage that failed (connect, handshake, host_key, authentication, exec); nil when the test passed.
    @OptionalField(key: "failed_stage") public var failedStage: String?
    @Field(key: "message") public var message: String
    @OptionalField(key: "checked_by") public var checkedBy: String?

    public init() {}
}
