import OpsCore
import Vapor

/// `/admin` and `/admin/users`.
enum AdminController {
    @Sendable static func index(_ request: Request) async throws -> Response {
        AdminIndexView.render(context: try await request.pageContext(.admin)).response()
    }
}

enum AdminUsersController {
    struct CreateForm: Content {
        var username: String?
        var role: String?
        var password: String?
    }

    struct RoleForm: Content {
        var role: String?
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try await page(request)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let form = try request.content.decode(CreateForm.self)
        guard let roleName = form.role, let role = Role(parsing: roleName) else {
            return try await page(
                request, formError: AccountValidationError.invalidRole(form.role ?? "").description, status: .badRequest
            )
        }
        do {
            let password = form.password.flatMap { $0.isEmpty ? nil : $0 }
            let (user, generated) = try await request.accountService.createUser(
                username: form.username ?? "", role: role, password: password, by: request.auditActor)
            let reveal = generated.map { AdminUsersView.Reveal(label: "Password for \(user.username):", secret: $0) }
            return try await page(
                request, reveal: reveal, flash: Flash(.success, "Added \(user.username) as \(role.rawValue)."),
                status: .created)
        } catch let error as AccountError {
            return try await page(request, formError: error.description, status: error.status)
        }
    }

    @Sendable static func changeRole(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        let form = try request.content.decode(RoleForm.self)
        guard let role = form.role.flatMap(Role.init(parsing:)) else {
            return try await request.redirect(
                to: SitePath.adminUsers,
                flash: Flash(.error, AccountValidationError.invalidRole(form.role ?? "").description))
        }
        return try await perform(request, success: "\(name) is now \(role.rawValue).") {
            try await request.accountService.setRole(username: name, role: role, by: request.auditActor)
        }
    }

    @Sendable static func disable(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        return try await perform(request, success: "Disabled \(name).") {
            try await request.accountService.setDisabled(username: name, disabled: true, by: request.auditActor)
        }
    }

    @Sendable static func enable(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        return try await perform(request, success: "Enabled \(name).") {
            try await request.accountService.setDisabled(username: name, disabled: false, by: request.auditActor)
        }
    }

    @Sendable static func resetPassword(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        do {
            let generated = try await request.accountService.setPassword(
                username: name, password: nil, by: request.auditActor)
            let reveal = generated.map { AdminUsersView.Reveal(label: "New password for \(name):", secret: $0) }
            return try await page(
                request, reveal: reveal, flash: Flash(.success, "Reset the password of \(name); their sessions ended."))
        } catch let error as AccountError {
            return try await request.redirect(to: SitePath.adminUsers, flash: Flash(.error, error.description))
        }
    }

    /// Runs a change and redirects back with its outcome; refusals (last admin, unknown user) are shown, not thrown.
    private static func perform(
        _ request: Request, success: String, _ change: () async throws -> Void
    ) async throws -> Response {
        do {
            try await change()
            return try await request.redirect(to: SitePath.adminUsers, flash: Flash(.success, success))
        } catch let error as AccountError {
            if case .userNotFound = error { throw error }
            return try await request.redirect(to: SitePath.adminUsers, flash: Flash(.error, error.description))
        }
    }

    private static func page(
        _ request: Request, reveal: AdminUsersView.Reveal? = nil, formError: String? = nil, flash: Flash? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var context = try await request.pageContext(.admin)
        if let flash { context.flash = flash }
        let users = try await request.accountService.list()
        return AdminUsersView.render(users: users, context: context, reveal: reveal, formError: formError)
            .response(status: status)
    }
}
