import Fluent
import Foundation
import OpsCore
import SQLKit

/// API tokens: created by a user, shown once, stored as SHA-256, revocable, with a last-used time.
public struct TokenService: Sendable {
    /// Every token starts with this, so a leaked one is easy to recognise in logs and scanners.
    public static let tokenPrefix = "pcmops_"
    /// Longest token label.
    public static let maxNameLength = 100

    let database: any Database
    let audit: AuditLog
    let now: @Sendable () -> Date

    public init(database: any Database, audit: AuditLog, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.audit = audit
        self.now = now
    }

    /// Creates a token for `user` and returns it with its plaintext, which is never stored.
    public func create(
        for user: User, name rawName: String, expiresInDays: Int?, by actor: AccountService.Actor
    ) async throws -> (token: APIToken, plaintext: String) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError.invalidTokenName("token name must not be empty") }
        guard name.count <= Self.maxNameLength else {
            throw AccountError.invalidTokenName("token name must be at most \(Self.maxNameLength) characters")
        }
        if let problem = PlainName.problem(name) { throw AccountError.invalidTokenName("token name \(problem)") }
        if let days = expiresInDays, !(1...3650).contains(days) {
            throw AccountError.invalidTokenName("expiry must be from 1 to 3650 days, got \(days)")
        }
        let plaintext = Self.tokenPrefix + RandomToken.urlSafe(byteCount: 32)
        let token = APIToken(
            userID: try user.requireID(), name: name, tokenHash: RandomToken.sha256Hex(plaintext),
            prefix: String(plaintext.prefix(Self.tokenPrefix.count + 6)),
            expiresAt: expiresInDays.map { now().addingTimeInterval(Double($0) * 86400) })
        try await token.create(on: database)
        try await audit.record(
            "token.create", actor: actor.name, object: "token:\(try token.requireID())",
            details: ["name": name, "user": user.username], source: actor.source, sourceAddress: actor.address)
        return (token, plaintext)
    }

    /// Tokens of one user, or of everyone when `user` is nil; newest first.
    public func list(for user: User?) async throws -> [APIToken] {
        let query = APIToken.query(on: database).with(\.$user).sort(\.$createdAt, .descending)
        if let user { query.filter(\.$user.$id == (try user.requireID())) }
        return try await query.all()
    }

    /// Revokes a token. `owner` limits it to that user's tokens (non-admins revoke only their own).
    public func revoke(id: UUID, owner: User?, by actor: AccountService.Actor) async throws {
        let query = APIToken.query(on: database).filter(\.$id == id).with(\.$user)
        if let owner { query.filter(\.$user.$id == (try owner.requireID())) }
        guard let token = try await query.first() else { throw AccountError.tokenNotFound(id.uuidString) }
        guard token.revokedAt == nil else { return }
        token.revokedAt = now()
        try await token.save(on: database)
        try await audit.record(
            "token.revoke", actor: actor.name, object: "token:\(id)",
            details: ["name": token.name, "user": token.user.username], source: actor.source,
            sourceAddress: actor.address)
    }

    /// Revokes every token of `user` that is not revoked yet, each with its own audit entry naming
    /// `reason`; returns how many. Used when the user is disabled, so enabling them again does not
    /// bring old tokens back.
    @discardableResult
    public func revokeAll(of user: User, reason: String, by actor: AccountService.Actor) async throws -> Int {
        let tokens = try await APIToken.query(on: database).filter(\.$user.$id == (try user.requireID()))
            .filter(\.$revokedAt == nil).all()
        let current = now()
        for token in tokens {
            token.revokedAt = current
            try await token.save(on: database)
            try await audit.record(
                "token.revoke", actor: actor.name, object: "token:\(try token.requireID())",
                details: ["name": token.name, "user": user.username, "reason": reason], source: actor.source,
                sourceAddress: actor.address)
        }
        return tokens.count
    }

    /// Who a bearer token speaks for: what a request needs of the token and its user.
    public struct Bearer: Sendable, Equatable {
        public var tokenID: UUID
        public var userID: UUID
        public var username: String
        public var role: Role
    }

    /// The active token's enabled user for a presented bearer value, or nil. Every API request asks this,
    /// so it reads the four columns it needs in one joined query rather than decoding two models.
    public func authenticate(_ presented: String) async throws -> Bearer? {
        guard presented.hasPrefix(Self.tokenPrefix), presented.count < 200 else { return nil }
        guard let sql = database as? any SQLDatabase else { return try await authenticateWithModels(presented) }
        let current = now()
        let query: SQLQueryString = """
            SELECT t.id AS token_id, t.last_used_at, t.expires_at, t.revoked_at, u.id AS user_id, u.username, \
            u.role, u.disabled FROM api_tokens t JOIN users u ON u.id = t.user_id \
            WHERE t.token_hash = \(bind: RandomToken.sha256Hex(presented))
            """
        guard let row = try await sql.raw(query).first(),
            try row.decode(column: "revoked_at", as: Date?.self) == nil,
            try row.decode(column: "expires_at", as: Date?.self).map({ $0 > current }) ?? true,
            try !row.decode(column: "disabled", as: Bool.self)
        else { return nil }
        let bearer = Bearer(
            tokenID: try row.decode(column: "token_id", as: UUID.self),
            userID: try row.decode(column: "user_id", as: UUID.self),
            username: try row.decode(column: "username", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer)
        // Write the last-used time at most once a minute: a busy script must not turn reads into writes.
        let lastUsed = try row.decode(column: "last_used_at", as: Date?.self)
        if lastUsed.map({ current.timeIntervalSince($0) > 60 }) ?? true {
            try await APIToken.query(on: database).filter(\.$id == bearer.tokenID)
                .set(\.$lastUsedAt, to: current).update()
        }
        return bearer
    }

    /// ``authenticate(_:)`` through the models, for a database without SQL.
    private func authenticateWithModels(_ presented: String) async throws -> Bearer? {
        let current = now()
        guard
            let token = try await APIToken.query(on: database)
                .filter(\.$tokenHash == RandomToken.sha256Hex(presented)).with(\.$user).first(),
            token.isActive(at: current), !token.user.disabled
        else { return nil }
        if token.lastUsedAt.map({ current.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = current
            try await token.save(on: database)
        }
        return Bearer(
            tokenID: try token.requireID(), userID: try token.user.requireID(), username: token.user.username,
            role: token.user.role)
    }
}
