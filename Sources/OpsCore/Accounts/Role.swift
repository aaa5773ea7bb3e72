/// What a user may do. Roles are ordered: each one includes everything the roles below it may do.
///
/// - viewer: read everything that is not a secret.
/// - operator: run catalog tools and cancel runs.
/// - admin: users, credentials, targets, catalog reload.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer
    case `operator`
    case admin

    /// Rank used for ordering; higher includes lower.
    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// True when a user with this role may do what `required` allows.
    public func allows(_ required: Role) -> Bool { self >= required }

    /// Parses a role name as users type it (case-insensitive, surrounding spaces ignored).
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
