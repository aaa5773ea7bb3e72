import Fluent
import Foundation

/// A named set of targets: static members and/or a tag selector (`env=prod,role=web`).
public final class TargetGroup: Model, @unchecked Sendable {
    public static let schema = "target_groups"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @OptionalField(key: "description") public var groupDescription: String?
    @OptionalField(key: "selector") public var selector: String?
    /// Credential for members that name none.
    @OptionalParent(key: "credential_id") public var credential: Credential?
    @Siblings(through: TargetGroupMember.self, from: \.$group, to: \.$target) public var members: [Target]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// Static membership of a target in a group.
public final class TargetGroupMember: Model, @unchecked Sendable {
    public static let schema = "target_group_members"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "group_id") public var group: TargetGroup
    @Parent(key: "target_id") public var target: Target

    public init() {}
}
