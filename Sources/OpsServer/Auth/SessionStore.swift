import Fluent
import Foundation
import OpsAWS
import OpsCore
import OpsSSH
import Vapor

/// Server-side browser sessions: created at login, checked on every request, ended at logout,
/// after ``SecurityConfig/sessionIdleTimeout`` without use, or ``SecurityConfig/sessionLifetime`` after login.
struct SessionStore: Sendable {
    static let cookieName = "pcmops_session"

    let database: any Database
    let security: SecurityConfig
    let now: @Sendable () -> Date

    /// Starts a session and returns it with the cookie value (which only the browser keeps).
    func create(for user: User, address: String?, userAgent: String?) async throws -> (UserSession, String) {
        let cookieToken = RandomToken.urlSafe()
        let current = now()
        let session = UserSession(
            tokenHash: RandomToken.sha256Hex(cookieToken), userID: try user.requireID(),
            csrfToken: RandomToken.urlSafe(), lastSeenAt: current,
            expiresAt: current.addingTimeInterval(security.sessionLifetime), sourceAddress: address,
            userAgent: userAgent.map { String($0.prefix(256)) })
        try await session.create(on: database)
        return (session, cookieToken)
    }

    /// The live session and its enabled user for a cookie value; expired sessions are deleted.
    func lookup(cookieToken: String) async throws -> (UserSession, User)? {
        guard cookieToken.count < 100,
            let session = try await UserSession.query(on: database)
                .filter(\.$tokenHash == RandomToken.sha256Hex(cookieToken)).with(\.$user).first()
        else { return nil }
        let current = now()
        let idle = current.timeIntervalSince(session.lastSeenAt) > security.sessionIdleTimeout
        if idle || session.expiresAt <= current || session.user.disabled {
            try await session.delete(on: database)
            return nil
        }
        // Touch at most once a minute so reads stay reads.
        if current.timeIntervalSince(session.lastSeenAt) > 60 {
            session.lastSeenAt = current
            try await session.save(on: database)
        }
        return (session, session.user)
    }

    func destroy(id: UUID) async throws {
        try await UserSession.query(on: database).filter(\.$id == id).delete()
    }

    /// Leaves a message for the next page this session loads.
    func setFlash(_ flash: Flash, sessionID: UUID) async throws {
        try await UserSession.query(on: database).filter(\.$id == sessionID).set(\.$flash, to: flash.encoded).update()
    }

    /// Reads and clears the pending message.
    func takeFlash(sessionID: UUID) async throws -> Flash? {
        guard let session = try await UserSession.find(sessionID, on: database), let encoded = session.flash else {
            return nil
        }
        session.flash = nil
        try await session.save(on: database)
        return Flash(encoded: encoded)
    }

    /// The session cookie: HttpOnly, SameSite=Lax, Secure over https.
    static func cookie(_ value: String, https: Bool, maxAge: Int) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: https, isHTTPOnly: true,
            sameSite: .lax)
    }

    static func expiredCookie(https: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/", isSecure: https,
            isHTTPOnly: true, sameSite: .lax)
    }
}

extension Request {
    var sessionStore: SessionStore {
        SessionStore(database: db, security: services.config.security, now: { [clock = services.clock] in clock.now() })
    }

    var auditLog: AuditLog {
        AuditLog(database: db, now: { [clock = services.clock] in clock.now() }, logger: logger)
    }

    var tokenService: TokenService {
        TokenService(database: db, audit: auditLog, now: { [clock = services.clock] in clock.now() })
    }

    var accountService: AccountService {
        AccountService(
            database: db, hashing: PasswordHashing(cost: services.config.security.bcryptCost), audit: auditLog)
    }
}

extension Request {
    var credentialService: CredentialService {
        CredentialService(database: db, vault: services.vault, audit: auditLog)
    }

    var targetService: TargetService {
        TargetService(database: db, audit: auditLog, allowLocal: services.config.allowLocal)
    }

    var groupService: GroupService { GroupService(database: db, audit: auditLog) }

    var awsAccess: AWSAccess {
        AWSAccess(
            database: db, vault: services.vault, gateway: services.aws, credentialService: credentialService,
            audit: auditLog, sessionID: principal?.sessionID, actor: auditActor)
    }

    var knownHostsService: KnownHostsService { KnownHostsService(database: db, audit: auditLog) }

    var inventoryImporter: InventoryImporter {
        InventoryImporter(
            database: db, vault: services.vault, audit: auditLog, allowLocal: services.config.allowLocal,
            keyFiles: .keyDirectory(services.config.keyDirectory))
    }

    var targetConnector: TargetConnector {
        var connector = TargetConnector(
            database: db, credentials: credentialService,
            hostKeys: DatabaseHostKeyStore(service: knownHostsService, audit: auditLog, actor: auditActor),
            allowLocal: services.config.allowLocal,
            defaultPolicy: HostKeyPolicy(rawValue: services.config.defaultHostKeyPolicy) ?? .strict,
            winrmCABundle: services.config.winrmCABundle, logger: logger)
        connector.ssmProbe = { [access = awsAccess] target in try await access.ssmPing(target) }
        return connector
    }
}
