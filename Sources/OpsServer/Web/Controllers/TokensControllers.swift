import Vapor

/// `/account/tokens`: the signed-in user's own API tokens.
enum AccountTokensController {
    struct CreateForm: Content {
        var name: String?
        var expires_in_days: String?
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try await page(request)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let form = try request.content.decode(CreateForm.self)
        var days: Int?
        if let text = form.expires_in_days?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let parsed = Int(text) else {
                return try await page(request, formError: "expiry must be a whole number of days", status: .badRequest)
            }
            days = parsed
        }
        let principal = try request.requirePrincipal()
        let user = try await request.accountService.require(principal.username)
        do {
            let (_, plaintext) = try await request.tokenService.create(
                for: user, name: form.name ?? "", expiresInDays: days, by: request.auditActor)
            return try await page(request, reveal: plaintext, status: .created)
        } catch let error as AccountError {
            return try await page(request, formError: error.description, status: error.status)
        }
    }

    @Sendable static func revoke(_ request: Request) async throws -> Response {
        let id = try request.uuidParameter("id")
        let principal = try request.requirePrincipal()
        let user = try await request.accountService.require(principal.username)
        try await request.tokenService.revoke(id: id, owner: user, by: request.auditActor)
        return try await request.redirect(to: SitePath.accountTokens, flash: Flash(.success, "Token revoked."))
    }

    private static func page(
        _ request: Request, reveal: String? = nil, formError: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let principal = try request.requirePrincipal()
        let user = try await request.accountService.require(principal.username)
        let model = TokensView.Model(
            title: "My API tokens", tokens: try await request.tokenService.list(for: user), showOwner: false,
            allowCreate: true, revokePath: { SitePath.accountToken($0) + "/revoke" }, now: request.services.clock.now(),
            reveal: reveal, formError: formError)
        return TokensView.render(model, context: try await request.pageContext(nil)).response(status: status)
    }
}

/// `/admin/tokens`: every user's tokens.
enum AdminTokensController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        let model = TokensView.Model(
            title: "API tokens", tokens: try await request.tokenService.list(for: nil), showOwner: true,
            allowCreate: false, revokePath: { SitePath.adminToken($0) + "/revoke" }, now: request.services.clock.now())
        return TokensView.render(model, context: try await request.pageContext(.admin)).response()
    }

    @Sendable static func revoke(_ request: Request) async throws -> Response {
        let id = try request.uuidParameter("id")
        try await request.tokenService.revoke(id: id, owner: nil, by: request.auditActor)
        return try await request.redirect(to: SitePath.adminTokens, flash: Flash(.success, "Token revoked."))
    }
}
