import Fluent
import OpsCore
import Vapor

/// First start: when there are no users at all, creates `admin` with `PCMOPS_ADMIN_PASSWORD` or a
/// generated password. Later starts change nothing.
enum AdminBootstrap {
    /// Returns the generated password when one was made (to print once), else nil.
    static func run(_ app: Application) async throws -> (created: Bool, generatedPassword: String?) {
        guard try await User.query(on: app.db).count() == 0 else { return (false, nil) }
        let service = AccountService(
            database: app.db, hashing: PasswordHashing(cost: app.services.config.security.bcryptCost),
            audit: AuditLog(database: app.db, now: { [clock = app.services.clock] in clock.now() }, logger: app.logger))
        do {
            let (_, generated) = try await service.createUser(
                username: "admin", role: .admin, password: app.services.config.adminPassword,
                by: .init(name: nil, source: .system))
            return (true, generated)
        } catch AccountError.userExists {
            // Another process sharing the database won the race; its admin stands.
            return (false, nil)
        } catch let AccountError.invalid(problem) {
            throw ConfigError(field: "admin-password", message: problem.description)
        }
    }
}
