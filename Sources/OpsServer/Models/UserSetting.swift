import Fluent
import Foundation

/// One remembered choice of one user (`key` → `value`), e.g. that the dashboard's "Getting started" is dismissed.
public final class UserSetting: Model, @unchecked Sendable {
    public static let schema = "user_settings"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "key") public var key: String
    @Field(key: "value") public var value: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(userID: UUID, key: String, value: String, updatedAt: Date) {
        self.$user.id = userID
        self.key = key
        self.value = value
        self.updatedAt = updatedAt
    }
}
