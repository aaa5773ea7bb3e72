import Foundation
import OpsCore
import Vapor

/// A user as the API shows it (never the password hash).
struct UserDTO: Content, Hashable {
    var username: String
    var role: String
    var disabled: Bool
    var created_at: Date?
    var last_login_at: Date?

    init(_ user: User) {
        username = user.username
        role = user.role.rawValue
        disabled = user.disabled
        created_at = user.createdAt
        last_login_at = user.lastLoginAt
    }
}

/// `GET /api/v1/me`.
struct MeDTO: Content, Hashable {
    var username: String
    var role: String
    var authenticated_by: String
}

/// A token as the API lists it: no secret, only its prefix.
struct TokenDTO: Content, Hashable {
    var id: UUID?
    var name: String
    var user: String?
    var prefix: String
    var created_at: Date?
    var last_used_at: Date?
    var expires_at: Date?
    var revoked_at: Date?

    init(_ token: APIToken) {
        id = token.id
        name = token.name
        user = token.$user.value?.username
        prefix = token.prefix
        created_at = token.createdAt
        last_used_at = token.lastUsedAt
        expires_at = token.expiresAt
        revoked_at = token.revokedAt
    }
}

/// The answer to a token creation: the only time the token itself is sent.
struct CreatedTokenDTO: Content, Hashable {
    var id: UUID?
    var name: String
    var token: String
    var created_at: Date?
    var expires_at: Date?
}

struct AuditEntryDTO: Content, Hashable {
    var id: Int?
    var created_at: Date
    var actor: String?
    var action: String
    var object: String?
    var details: String?
    var source_address: String?
    var source: String

    init(_ entry: AuditEntry) {
        id = entry.id
        created_at = entry.createdAt
        actor = entry.actor
        action = entry.action
        object = entry.object
        details = entry.details
        source_address = entry.sourceAddress
        source = entry.source
    }
}
