import OpsCore
import Vapor

extension PCMOpsApp {
    /// Every route, by section. Guards sit on groups so no route is left unguarded by accident.
    static func registerRoutes(_ app: Application) throws {
        // MARK: operations (no auth)
        app.get("health", "live", use: HealthController.live)
        app.get("health", "ready", use: HealthController.ready)
        app.get("metrics", use: HealthController.metrics)
        app.get("openapi.yaml", use: HealthController.openAPI)
        app.get("docs", use: HealthController.docs)

        // MARK: sign in
        app.get("login", use: LoginController.show)
        app.post("login", use: LoginController.submit)
        app.post("logout", use: LoginController.logout)

        // MARK: pages for every signed-in user
        let viewer = RoleRoutes(app, role: .viewer)
        viewer.get(use: DashboardController.show)
        viewer.get("dashboard", "live", use: DashboardController.live)
        viewer.post("dashboard", "getting-started", use: DashboardController.gettingStarted)
        for section in ComingSoonController.sections {
            viewer.get(PathComponent(stringLiteral: section.rawValue)) { request in
                try await ComingSoonController.show(request, section: section)
            }
        }
        viewer.get("conductor", use: ConductorController.show)
        viewer.post("conductor", "messages", use: ConductorController.message)
        viewer.post("conductor", ":id", "delete", use: ConductorController.delete)
        viewer.get("aws", use: AWSController.show)
        viewer.get("aws", "instances", use: AWSInstancesController.show)
        viewer.get("tools", use: ToolsController.list)
        viewer.get("tools", ":id", use: ToolsController.show)
        viewer.get("runs", use: RunsController.list)
        viewer.get("runs", ":id", use: RunsController.show)
        viewer.get("runs", ":id", "log.txt", use: RunsController.log)
        viewer.get("targets", use: TargetsController.list)
        viewer.get("targets", ":name", use: TargetsController.show)
        viewer.get("inventory", "groups", use: GroupsController.list)
        viewer.get("inventory", "groups", ":name", use: GroupsController.show)
        let operatorPages = RoleRoutes(app, role: .operator)
        operatorPages.post("targets", ":name", "test", use: TargetsController.test)
        operatorPages.post("inventory", "run-tool", use: TargetsController.runTool)
        operatorPages.post("inventory", "groups", ":name", "test", use: GroupsController.test)
        operatorPages.post("runs", ":id", "cancel", use: RunsController.cancel)
        operatorPages.post("runs", ":id", "rerun", use: RunsController.rerun)
        operatorPages.post("tools", ":id", "run", use: ToolRunController.submit)
        operatorPages.post("aws", "instances", "selection", use: AWSInstancesController.selection)
        operatorPages.post("aws", ":environment", "keys", use: AWSController.enterKeys)
        operatorPages.post("aws", ":environment", "refresh", use: AWSController.refresh)
        operatorPages.post("aws", ":environment", "clear", use: AWSController.clear)
        viewer.get("account", "tokens", use: AccountTokensController.list)
        viewer.post("account", "tokens", use: AccountTokensController.create)
        viewer.post("account", "tokens", ":id", "revoke", use: AccountTokensController.revoke)
        viewer.get("account", "password", use: AccountPasswordController.show)
        viewer.post("account", "password", use: AccountPasswordController.change)

        // MARK: admin pages
        let admin = RoleRoutes(app, role: .admin)
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
        admin.get("admin", "audit", "export.csv", use: AdminAuditController.exportCSV)
        admin.get("admin", "audit", "export.json", use: AdminAuditController.exportJSON)
        admin.post("tools", "reload", use: ToolsController.reload)
        admin.post("aws", "accounts", use: AWSController.addAccount)
        admin.post("aws", "accounts", "import", use: AWSController.importAccounts)
        admin.post("aws", "accounts", ":environment", ":account", "delete", use: AWSController.removeAccount)
        admin.get("inventory", "new-target", use: TargetsController.newForm)
        admin.post("inventory", "new-target", use: TargetsController.create)
        admin.post("targets", ":name", use: TargetsController.update)
        admin.post("targets", ":name", "delete", use: TargetsController.delete)
        admin.post("inventory", "groups", use: GroupsController.create)
        admin.post("inventory", "groups", ":name", use: GroupsController.update)
        admin.post("inventory", "groups", ":name", "delete", use: GroupsController.delete)
        admin.get("inventory", "credentials", use: CredentialsController.list)
        admin.post("inventory", "credentials", use: CredentialsController.create)
        admin.post("inventory", "credentials", ":name", "delete", use: CredentialsController.delete)
        admin.get("inventory", "known-hosts", use: KnownHostsController.list)
        admin.post("inventory", "known-hosts", use: KnownHostsController.importText)
        admin.post("inventory", "known-hosts", ":id", "delete", use: KnownHostsController.delete)
        admin.get("inventory", "import", use: InventoryImportController.show)
        admin.post("inventory", "import", maxBody: BodyLimits.inventoryImport, use: InventoryImportController.submit)

        // MARK: REST API, generated from openapi.yaml (roles from its x-pcm-role)
        try APIHandler.register(on: app)
    }
}
