import Fluent
import Foundation
import Vapor

/// Asks again whether a principal authenticated earlier may still act: its token not revoked or
/// expired, its session not signed out, idle or past its lifetime, and its user enabled. Open event
/// streams ask every few seconds, so each check is one query by primary key, joined to the user.
struct PrincipalRecheck: Sendable {
    let database: any Database
    let security: SecurityConfig
    let now: @Sendable () -> Date

    /// True while `principal` would still be let in.
    func isValid(_ principal: Principal) async throws -> Bool {
        switch principal.via {
        case .token(let id):
            let token = try await APIToken.query(on: database).filter(\.$id == id)
                .join(User.self, on: \APIToken.$user.$id == \User.$id)
                .filter(User.self, \.$disabled == false)
                .first()
            return token?.isActive(at: now()) ?? false
        case .session(let id, _):
            let session = try await UserSession.query(on: database).filter(\.$id == id)
                .join(User.self, on: \UserSession.$user.$id == \User.$id)
                .filter(User.self, \.$disabled == false)
                .first()
            return session?.isLive(at: now(), security: security) ?? false
        }
    }
}

extension Request {
    /// Ends this request's live stream when its principal loses access (see ``StreamAccessGuard``),
    /// checking every ``ServerConfig/streamAccessCheckInterval``.
    func streamAccessGuard() throws -> StreamAccessGuard {
        let principal = try requirePrincipal()
        let recheck = PrincipalRecheck(
            database: db, security: services.config.security, now: { [clock = services.clock] in clock.now() })
        return StreamAccessGuard(interval: services.config.streamAccessCheckInterval) {
            try await recheck.isValid(principal)
        }
    }
}
