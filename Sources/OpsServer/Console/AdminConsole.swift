import Fluent
import Foundation
import Logging
import OpsCore
import Vapor

/// What the CLI does to accounts and tokens, without a running HTTP server. Opens the database,
/// migrates it, and audits every change with source `cli`.
public final class AdminConsole: Sendable {
    let app: Application
    let actor: AccountService.Actor

    private init(app: Application, actor: AccountService.Actor) {
        self.app = app
        self.actor = actor
    }

    /// Opens the database of `config` (migrating it) and runs `body`, closing everything afterwards.
    public static func with<T: Sendable>(
        config: ServerConfig, _ body: (AdminConsole) async throws -> T
    ) async throws -> T {
        let services = try PCMOpsApp.makeServices(config: config)
        let app = try await Application.make(Environment(name: "production", arguments: ["pcm-ops"]))
        app.logger = Logger(label: "pcm-ops.cli")
        let osUser = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
        let console = AdminConsole(app: app, actor: .init(name: "cli:\(osUser)", source: .cli))
        do {
            try await PCMOpsApp.configure(app, services: services, serving: false)
            let result = try await body(console)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    private var accounts: AccountService {
        AccountService(
            database: app.db, hashing: PasswordHashing(cost: app.services.config.security.bcryptCost), audit: audit)
    }

    var audit: AuditLog {
        AuditLog(database: app.db, now: { [clock = app.services.clock] in clock.now() }, logger: app.logger)
    }

    private var tokens: TokenService {
        TokenService(database: app.db, audit: audit, now: { [clock = app.services.clock] in clock.now() })
    }

    /// Creates a user; returns the generated password when none was given.
    public func addUser(_ name: String, role: Role, password: String?) async throws -> String? {
        try await accounts.createUser(username: name, role: role, password: password, by: actor).generatedPassword
    }

    /// Sets a password; returns the generated one when none was given.
    public func setPassword(_ name: String, password: String?) async throws -> String? {
        try await accounts.setPassword(username: name, password: password, by: actor)
    }

    public func setRole(_ name: String, role: Role) async throws {
        try await accounts.setRole(username: name, role: role, by: actor)
    }

    public func setDisabled(_ name: String, disabled: Bool) async throws {
        try await accounts.setDisabled(username: name, disabled: disabled, by: actor)
    }

    /// Users as rows for printing.
    public func listUsers() async throws -> [UserSummary] {
        try await accounts.list().map {
            UserSummary(
                username: $0.username, role: $0.role.rawValue, disabled: $0.disabled, lastLoginAt: $0.lastLoginAt)
        }
    }

    /// Creates a token for `username`; returns its id and the plaintext (shown once).
    public func createToken(for username: String, name: String, expiresInDays: Int?) async throws -> (UUID, String) {
        let user = try await accounts.require(username)
        guard !user.disabled else {
            throw AccountError.invalid(.invalidUsername("user '\(user.username)' is disabled"))
        }
        let (token, plaintext) = try await tokens.create(for: user, name: name, expiresInDays: expiresInDays, by: actor)
        return (try token.requireID(), plaintext)
    }

    public func listTokens(for username: String?) async throws -> [TokenSummary] {
        let user = try await username.asyncMap { try await accounts.require($0) }
        let now = app.services.clock.now()
        return try await tokens.list(for: user).map {
            TokenSummary(
                id: $0.id?.uuidString ?? "", name: $0.name, user: $0.user.username, prefix: $0.prefix,
                lastUsedAt: $0.lastUsedAt,
                status: $0.revokedAt != nil ? "revoked" : ($0.isActive(at: now) ? "active" : "expired"))
        }
    }

    public func revokeToken(id: UUID) async throws {
        try await tokens.revoke(id: id, owner: nil, by: actor)
    }
}

/// A user as the CLI prints it.
public struct UserSummary: Sendable, Codable {
    public var username: String
    public var role: String
    public var disabled: Bool
    public var lastLoginAt: Date?
}

/// A token as the CLI prints it (never the secret).
public struct TokenSummary: Sendable, Codable {
    public var id: String
    public var name: String
    public var user: String
    public var prefix: String
    public var lastUsedAt: Date?
    public var status: String
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
