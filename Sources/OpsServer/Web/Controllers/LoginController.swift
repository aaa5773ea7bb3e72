import OpsCore
import Plot
import Vapor

/// Sign in and sign out.
enum LoginController {
    /// Before sign-in there is no session, so the form's CSRF token is a double-submit cookie.
    static let loginCSRFCookie = "pcmops_login_csrf"

    struct LoginForm: Content {
        var username: String?
        var password: String?
        var csrf_token: String?
        var next: String?
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        if request.principal != nil { return request.redirect(to: SitePath.dashboard) }
        let token = request.cookies[loginCSRFCookie]?.string.nonEmpty ?? RandomToken.urlSafe()
        let flash: Flash? =
            switch request.query[String.self, at: "m"] {
            case "logged_out": Flash(.info, "You have signed out.")
            case "expired": Flash(.info, "Your session ended; sign in again.")
            default: nil
            }
        let model = LoginView.Model(
            csrfToken: token, next: safeNext(request.query[String.self, at: "next"]), flash: flash)
        return respond(request, LoginView.render(model), token: token)
    }

    @Sendable static func submit(_ request: Request) async throws -> Response {
        let form = try request.content.decode(LoginForm.self)
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces)
        let next = safeNext(form.next)
        let cookieToken = request.cookies[loginCSRFCookie]?.string ?? ""
        guard !cookieToken.isEmpty, let presented = form.csrf_token,
            RandomToken.constantTimeEquals(presented, cookieToken)
        else {
            let fresh = RandomToken.urlSafe()
            let model = LoginView.Model(
                csrfToken: fresh, username: username, next: next,
                flash: Flash(.error, "The sign-in form expired or was not sent by this site. Try again."))
            return respond(request, LoginView.render(model), token: fresh, status: .forbidden)
        }
        func failure(_ message: String, _ status: HTTPResponseStatus) -> Response {
            let model = LoginView.Model(
                csrfToken: cookieToken, username: username, next: next, flash: Flash(.error, message))
            return respond(request, LoginView.render(model), token: cookieToken, status: status)
        }
        guard !username.isEmpty, let password = form.password, !password.isEmpty else {
            return failure("Enter a username and a password.", .badRequest)
        }

        let services = request.services
        let audit = request.auditLog
        let object = LoginThrottle.object(username)
        let user: User
        let check = request.passwordCheck
        switch try await check.check(username: username, password: password, address: request.sourceAddress) {
        case .throttled(let wait, let reason):
            try await audit.record(
                "login.throttled", actor: nil, object: object, details: ["limit": reason], source: .web,
                sourceAddress: request.sourceAddress)
            let response = failure("Too many failed sign-ins. Try again in \(wait) seconds.", .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        case .rejected(let reason):
            try await audit.record(
                "login.failure", actor: nil, object: object, details: ["reason": reason], source: .web,
                sourceAddress: request.sourceAddress)
            return failure("Invalid username or password.", .unauthorized)
        case .accepted(let accepted):
            user = accepted
        }

        let (_, sessionToken) = try await request.sessionStore.create(
            for: user, address: request.sourceAddress, userAgent: request.headers.first(name: .userAgent))
        user.lastLoginAt = services.clock.now()
        try await user.save(on: request.db)
        try await audit.record(
            "login.success", actor: user.username, object: object, source: .web, sourceAddress: request.sourceAddress)

        let response = request.redirect(to: next.isEmpty ? SitePath.dashboard : next, redirectType: .normal)
        response.cookies[SessionStore.cookieName] = SessionStore.cookie(
            sessionToken, https: services.config.isHTTPS, maxAge: Int(services.config.security.sessionLifetime))
        response.cookies[loginCSRFCookie] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: SitePath.login,
            isSecure: services.config.isHTTPS, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable static func logout(_ request: Request) async throws -> Response {
        if let principal = request.principal, let sessionID = principal.sessionID {
            try await request.sessionStore.destroy(id: sessionID)
            try await request.auditLog.record(
                "logout", actor: principal.username, object: "user:\(principal.username)", source: .web,
                sourceAddress: request.sourceAddress)
        }
        let response = request.redirect(to: SitePath.login + "?m=logged_out", redirectType: .normal)
        response.cookies[SessionStore.cookieName] = SessionStore.expiredCookie(https: request.services.config.isHTTPS)
        return response
    }

    /// Only same-origin paths are followed after sign-in, checked as a browser will read them
    /// (``SafeRedirect``); anything else is "" (go to `/`).
    static func safeNext(_ next: String?) -> String {
        SafeRedirect.path(next) ?? ""
    }

    private static func respond(
        _ request: Request, _ html: HTML, token: String, status: HTTPResponseStatus = .ok
    ) -> Response {
        let response = html.response(status: status)
        response.cookies[loginCSRFCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: SitePath.login, isSecure: request.services.config.isHTTPS,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }
}

extension String {
    /// nil for an empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
