import Fluent
import Foundation

/// An AWS account runs reach by assuming `role_name` in it with the environment's credentials; without a role
/// name the environment's own credentials are used (they belong to that account).
public final class AWSAccount: Model, @unchecked Sendable {
    public static let schema = "aws_accounts"

    @ID(key: .id) public var id: UUID?
    /// com | gov
    @Field(key: "environment") public var environment: String
    /// 12 digits.
    @Field(key: "account_id") public var accountID: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "role_name") public var roleName: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}
