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
        let address = request.sourceAddress
        let user: User
        switch try await request.passwordCheck.check(
            username: principal.username, password: form.current ?? "", address: address)
        {
        case .throttled(let wait, let reason):
            try await request.auditLog.record(
                "password.change.throttled", actor: principal.username, object: "user:\(principal.username)",
                details: ["limit": reason], source: .web, sourceAddress: address)
            let response = AccountPasswordView.render(
                context: context, error: "Too many wrong passwords. Try again in \(wait) seconds."
            ).response(status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        case .rejected(let reason):
            try await request.auditLog.record(
                "password.change.failure", actor: principal.username, object: "user:\(principal.username)",
                details: ["reason": reason == "wrong password" ? "wrong current password" : reason], source: .web,
                sourceAddress: address)
            return AccountPasswordView.render(context: context, error: "The current password is wrong.").response(
                status: .forbidden)
        case .accepted(let accepted):
            user = accepted
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
