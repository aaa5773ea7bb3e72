import Fluent
import Foundation

/// A secret for reaching targets. Only ciphertext is stored; the secret is never shown again.
public final class Credential: Model, @unchecked Sendable {
    public static let schema = "credentials"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// ssh_key | ssh_password | aws_keys | winrm (later: servicenow)
    @Field(key: "kind") public var kind: String
    /// The login name on the target.
    @Field(key: "username") public var username: String
    @Field(key: "key_id") public var keyID: String
    @Field(key: "nonce") public var nonce: Data
    @Field(key: "ciphertext") public var ciphertext: Data
    /// HMAC of the secret under the vault key: finds duplicates on import without revealing anything.
    @Field(key: "content_mac") public var contentMAC: String
    /// Public facts shown in lists: key type and fingerprint (never the secret).
    @OptionalField(key: "summary") public var summary: String?
    @Field(key: "is_default") public var isDefault: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
