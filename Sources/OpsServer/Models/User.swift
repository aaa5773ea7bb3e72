import Fluent
import Foundation
import OpsCore

/// A person who signs in. The password is kept only as a bcrypt hash.
public final class User: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var roleName: String
    @Field(key: "disabled") public var disabled: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @OptionalField(key: "last_login_at") public var lastLoginAt: Date?

    public init() {}

    public init(id: UUID? = nil, username: String, passwordHash: String, role: Role, disabled: Bool = false) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.roleName = role.rawValue
        self.disabled = disabled
    }

    /// The role; an unknown stored value (a downgrade) counts as the least privileged.
    public var role: Role {
        get { Role(rawValue: roleName) ?? .viewer }
        set { roleName = newValue.rawValue }
    }
}
