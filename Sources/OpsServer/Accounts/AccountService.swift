import Fluent
import Foundation
import OpsCore

/// Creates and changes user accounts. The CLI, the web pages and the API all go through it, so the
/// rules (name and password policy, never lose the last admin, audit every change) hold everywhere.
public struct AccountService: Sendable {
    let database: any Database
    let hashing: PasswordHashing
    let audit: AuditLog

    public init(database: any Database, hashing: PasswordHashing, audit: AuditLog) {
        self.database = database
        self.hashing = hashing
        self.audit = audit
    }

    /// Who is acting, for the audit log.
    public struct Actor: Sendable {
        public var name: String?
        public var source: AuditSource
        public var address: String?

        public init(name: String?, source: AuditSource, address: String? = nil) {
            self.name = name
            self.source = source
            self.address = address
        }
    }

    /// Creates a user. With no password, one is generated and returned (to be shown once).
    public func createUser(
        username rawName: String, role: Role, password: String?, by actor: Actor
    ) async throws -> (user: User, generatedPassword: String?) {
        let username = try Self.validName(rawName)
        if let password { try Self.checkPolicy(password) }
        guard try await find(username) == nil else { throw AccountError.userExists(username) }
        let chosen = password ?? RandomToken.password()
        let user = User(username: username, passwordHash: try await hashing.hash(chosen), role: role)
        do {
            try await user.create(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AccountError.userExists(username)
        }
        try await audit.record(
            "user.create", actor: actor.name, object: "user:\(username)", details: ["role": role.rawValue],
            source: actor.source, sourceAddress: actor.address)
        return (user, password == nil ? chosen : nil)
    }

    /// Sets a new password; nil generates one and returns it. Ends the user's sessions.
    @discardableResult
    public func setPassword(username rawName: String, password: String?, by actor: Actor) async throws -> String? {
        let user = try await require(rawName)
        if let password { try Self.checkPolicy(password) }
        let chosen = password ?? RandomToken.password()
        user.passwordHash = try await hashing.hash(chosen)
        try await user.save(on: database)
        try await UserSession.query(on: database).filter(\.$user.$id == user.requireID()).delete()
        try await audit.record(
            "user.password", actor: actor.name, object: "user:\(user.username)", source: actor.source,
            sourceAddress: actor.address)
        return password == nil ? chosen : nil
    }

    /// Changes a role; refuses to demote the last active admin.
    public func setRole(username rawName: String, role: Role, by actor: Actor) async throws {
        let user = try await require(rawName)
        guard user.role != role else { return }
        if user.role == .admin, !user.disabled { try await ensureAnotherAdmin(than: user) }
        let previous = user.role
        user.role = role
        try await user.save(on: database)
        try await audit.record(
            "user.role", actor: actor.name, object: "user:\(user.username)",
            details: ["from": previous.rawValue, "to": role.rawValue], source: actor.source,
            sourceAddress: actor.address)
    }

    /// Disables or re-enables an account. Disabling ends its sessions and revokes its tokens (each
    /// audited), in one transaction; enabling again brings neither back, so a token that leaked
    /// while the user was away stays dead. Web, API and CLI all disable through here.
    public func setDisabled(username rawName: String, disabled: Bool, by actor: Actor) async throws {
        let user = try await require(rawName)
        guard user.disabled != disabled else { return }
        if disabled, user.role == .admin { try await ensureAnotherAdmin(than: user) }
        try await database.retryingTransaction { [audit] database in
            let audit = audit.on(database)
            user.disabled = disabled
            try await user.save(on: database)
            var details = [String: String]()
            if disabled {
                try await UserSession.query(on: database).filter(\.$user.$id == user.requireID()).delete()
                let revoked = try await TokenService(database: database, audit: audit, now: audit.now)
                    .revokeAll(of: user, reason: "user disabled", by: actor)
                details["tokens_revoked"] = String(revoked)
            }
            try await audit.record(
                disabled ? "user.disable" : "user.enable", actor: actor.name, object: "user:\(user.username)",
                details: details, source: actor.source, sourceAddress: actor.address)
        }
    }

    /// All users, by name.
    public func list() async throws -> [User] {
        try await User.query(on: database).sort(\.$username).all()
    }

    /// The user with this name (names are stored lower-case).
    public func find(_ rawName: String) async throws -> User? {
        try await User.query(on: database)
            .filter(\.$username == rawName.trimmingCharacters(in: .whitespaces).lowercased()).first()
    }

    /// The user with this name, or ``AccountError/userNotFound(_:)``.
    public func require(_ rawName: String) async throws -> User {
        guard let user = try await find(rawName) else { throw AccountError.userNotFound(rawName) }
        return user
    }

    private func ensureAnotherAdmin(than user: User) async throws {
        let others = try await User.query(on: database)
            .filter(\.$roleName == Role.admin.rawValue)
            .filter(\.$disabled == false)
            .filter(\.$id != user.requireID())
            .count()
        guard others > 0 else { throw AccountError.lastAdmin(user.username) }
    }

    static func validName(_ raw: String) throws -> String {
        switch Username.validate(raw) {
        case .success(let name): return name
        case .failure(let error): throw AccountError.invalid(error)
        }
    }

    static func checkPolicy(_ password: String) throws {
        if case .failure(let error) = PasswordPolicy.validate(password) { throw AccountError.invalid(error) }
    }
}
