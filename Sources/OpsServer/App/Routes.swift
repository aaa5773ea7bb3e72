import OpsCore
import Vapor

extension PCMOpsApp {
    /// Every route, by section. Guards sit on groups so no route is left unguarded by accident.
    static func registerRoutes(_ app: Application) throws {
        // MARK: operations (no auth)
        app.get("health", "live", use: HealthController.live)
        app.get("health", "ready", use: HealthController.ready)
        app.get("metrics", use: HealthController.metrics)

        // MARK: sign in
        app.get("login", use: LoginController.show)
        app.post("login", use: LoginController.submit)
        app.post("logout", use: LoginController.logout)

        // MARK: pages for every signed-in user
        let viewer = app.grouped(RequireRole(role: .viewer))
        viewer.get(use: DashboardController.show)
        for section in ComingSoonController.sections {
            viewer.get(PathComponent(stringLiteral: section.rawValue)) { request in
                try await ComingSoonController.show(request, section: section)
            }
        }
        viewer.get("account", "tokens", use: AccountTokensController.list)
        viewer.post("account", "tokens", use: AccountTokensController.create)
        viewer.post("account", "tokens", ":id", "revoke", use: AccountTokensController.revoke)
        viewer.get("account", "password", use: AccountPasswordController.show)
        viewer.post("account", "password", use: AccountPasswordController.change)

        // MARK: admin pages
        let admin = app.grouped(RequireRole(role: .admin))
        admin.get("admin", use: AdminController.index)
        admin.get("admin", "users", use: AdminUsersController.list)
        admin.post("admin", "users", use: AdminUsersController.create)
        admin.post("admin", "users", ":name", "role", use: AdminUsersController.changeRole)
        admin.post("admin", "users", ":name", "disable", use: AdminUsersController.disable)
        admin.post("admin", "users", ":name", "enable", use: AdminUsersController.enable)
        admin.post("admin", "users", ":name", "password", use: AdminUsersController.resetPassword)
        admin.get("admin", "tokens", use: AdminTokensController.list)
        admin.post("admin", "tokens", ":id", "revoke", use: AdminTokensController.revoke)
        admin.get("admin", "audit", use: AdminAuditController.list)

        // MARK: REST API
        let api = app.grouped("api", "v1")
        let apiViewer = api.grouped(RequireRole(role: .viewer))
        apiViewer.get("me", use: AccountAPI.me)
        apiViewer.get("tokens", use: TokensAPI.list)
        apiViewer.post("tokens", use: TokensAPI.create)
        apiViewer.delete("tokens", ":id", use: TokensAPI.revoke)
        let apiAdmin = api.grouped(RequireRole(role: .admin))
        apiAdmin.get("users", use: UsersAPI.list)
        apiAdmin.post("users", use: UsersAPI.create)
        apiAdmin.patch("users", ":name", use: UsersAPI.update)
        apiAdmin.get("audit", use: AuditAPI.list)
    }
}
