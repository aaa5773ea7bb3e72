import OpsCore
import Vapor

/// The signed-in user of a request and how they proved it.
public struct Principal: Authenticatable, Sendable {
    /// How the request was authenticated.
    public enum Via: Sendable {
        /// A browser session; state-changing requests must carry its CSRF token.
        case session(id: UUID, csrfToken: String)
        /// An API bearer token; exempt from CSRF.
        case token(id: UUID)
    }

    public let userID: UUID
    public let username: String
    public let role: Role
    public let via: Via

    /// The session's CSRF token, when authenticated by session.
    var csrfToken: String? {
        if case .session(_, let token) = via { return token }
        return nil
    }

    var sessionID: UUID? {
        if case .session(let id, _) = via { return id }
        return nil
    }
}

extension Request {
    /// The signed-in user, or nil.
    var principal: Principal? { auth.get(Principal.self) }

    /// The signed-in user; throws 401 when nobody is signed in.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw Abort(.unauthorized, reason: "sign in first") }
        return principal
    }

    /// The actor recorded in the audit log for this request.
    var auditActor: AccountService.Actor {
        AccountService.Actor(
            name: principal?.username, source: isAPIRequest ? .api : .web, address: sourceAddress)
    }

    /// True for `/api/...` paths, which answer in JSON.
    var isAPIRequest: Bool { url.path.hasPrefix("/api/") }
}
