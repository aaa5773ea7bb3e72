import Fluent
import Foundation

/// A trusted (or revoked) SSH host key, as one known_hosts line.
public final class KnownHostRecord: Model, @unchecked Sendable {
    public static let schema = "known_hosts"

    @ID(key: .id) public var id: UUID?
    /// The canonical known_hosts line (marker, hosts or hash, key type, key).
    @Field(key: "line") public var line: String
    /// Host patterns as written, or `|1|…` for a hashed entry; for display and search.
    @Field(key: "hosts") public var hosts: String
    @Field(key: "key_type") public var keyType: String
    @Field(key: "fingerprint") public var fingerprint: String
    @OptionalField(key: "marker") public var marker: String?
    /// import | accept-new | api | ui
    @Field(key: "source") public var source: String
    @OptionalField(key: "added_by") public var addedBy: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}
