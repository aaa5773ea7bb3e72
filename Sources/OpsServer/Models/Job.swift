import Fluent
import Foundation

/// A saved run (DESIGN.md §5, issue 16.3; Rundeck's job, AWX's job template): a catalog action or workflow with its
/// parameters, targets and limits, run again with a click. Schedules and notifications will hang from a job by its
/// ``id``, which stays the same when the job is renamed or edited; ``version`` counts its edits.
public final class Job: Model, @unchecked Sendable {
    public static let schema = "jobs"

    @ID(key: .id) public var id: UUID?
    /// Unique; `[A-Za-z0-9][A-Za-z0-9._-]*`, so it is its own URL path segment.
    @Field(key: "name") public var name: String
    @Field(key: "description") public var jobDescription: String
    @Field(key: "tool") public var tool: String
    @OptionalField(key: "action") public var action: String?
    @OptionalField(key: "workflow") public var workflow: String?
    /// JSON object of the values of parameters that are not secret.
    @Field(key: "parameters") public var parametersJSON: String
    /// The values of secret parameters as one JSON object sealed by the vault (context `job:<id>`); nil when none.
    @OptionalField(key: "secret_key_id") public var secretKeyID: String?
    @OptionalField(key: "secret_nonce") public var secretNonce: Data?
    @OptionalField(key: "secret_ciphertext") public var secretCiphertext: Data?
    /// JSON arrays of target and group names.
    @Field(key: "targets") public var targetsJSON: String
    @Field(key: "groups") public var groupsJSON: String
    @OptionalField(key: "selector") public var selector: String?
    @OptionalField(key: "max_concurrency") public var maxConcurrency: String?
    @OptionalField(key: "max_errors") public var maxErrors: String?
    /// JSON array of what a runner may change when running it: `parameters`, `targets`, `limits`.
    @Field(key: "overridable") public var overridableJSON: String
    /// The user who may edit it besides admins (a username: users are never renamed or deleted).
    @Field(key: "owner") public var owner: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "updated_by") public var updatedBy: String
    /// 1 when created, one more with every change.
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .none) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .none) public var updatedAt: Date?

    public init() {}
}
