import Vapor

/// `/account/password`.
enum AccountPasswordController {
    struct ChangeForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        AccountPasswordView.render(context: try await request.pageContext(nil)).response()
    }

    /// Checks the current password, sets the new one (which ends every session of the user) and signs in again.
    @Sendable static func change(_ request: Request) async throws -> Response {
        let form = try request.content.decode(ChangeForm.self)
        let principal = try request.requirePrincipal()
        let context = try await request.pageContext(nil)
        let user = try await request.accountService.require(principal.username)
        let hashing = PasswordHashing(cost: request.services.config.security.bcryptCost)
        guard let current = form.current, await hashing.verify(current, against: user.passwordHash) else {
            return AccountPasswordView.render(context: context, error: "The current password is wrong.").response(
                status: .forbidden)
        }
        guard let new = form.new, form.new == form.confirm else {
            return AccountPasswordView.render(context: context, error: "The new passwords do not match.").response(
                status: .badRequest)
        }
        do {
            try await request.accountService.setPassword(username: user.username, password: new, by: request.auditActor)
        } catch let error as AccountError {
            return AccountPasswordView.render(context: context, error: error.description).response(status: error.status)
        }
        let response = request.redirect(to: SitePath.login + "?m=expired", redirectType: .normal)
        response.cookies[SessionStore.cookieName] = SessionStore.expiredCookie(https: request.services.config.isHTTPS)
        return response
    }
}
