import Vapor

extension Request {
    /// The layout context for the signed-in user; takes the pending flash message.
    func pageContext(_ section: Section?) async throws -> PageContext {
        guard let principal else { return .anonymous }
        var flash: Flash?
        if let sessionID = principal.sessionID {
            flash = try await sessionStore.takeFlash(sessionID: sessionID)
        }
        return PageContext(
            username: principal.username, role: principal.role, csrfToken: principal.csrfToken, flash: flash,
            section: section)
    }

    /// Redirects (303) to `path`, showing `flash` on the next page.
    func redirect(to path: String, flash: Flash) async throws -> Response {
        if let sessionID = principal?.sessionID {
            try await sessionStore.setFlash(flash, sessionID: sessionID)
        }
        return redirect(to: path, redirectType: .normal)
    }

    /// A required route parameter, or 400 naming it.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw Abort(.badRequest, reason: "missing \(name)") }
        return value
    }

    /// A route parameter that must be a UUID.
    func uuidParameter(_ name: String) throws -> UUID {
        guard let value = UUID(uuidString: try parameter(name)) else {
            throw Abort(.badRequest, reason: "\(name) must be a UUID")
        }
        return value
    }
}
