import Fluent
import Foundation
import OpsCore

/// The numbers on the dashboard, read straight from the database.
struct DashboardModel: Sendable {
    var usersByRole: [Role: Int]
    var disabledUsers: Int
    var activeSessions: Int
    var activeTokens: Int
    var targets: Int
    var targetsByTransport: [String: Int]
    var groups: Int
    var credentials: Int
    var trustedHostKeys: Int
    var auditLast24h: Int
    var failedLoginsLast24h: Int
    var recent: [AuditRow]

    struct AuditRow: Sendable {
        var when: Date
        var actor: String
        var action: String
        var object: String
    }

    static func load(on database: any Database, now: Date, includeRecent: Bool) async throws -> DashboardModel {
        var byRole = [Role: Int]()
        for role in Role.allCases {
            byRole[role] = try await User.query(on: database)
                .filter(\.$roleName == role.rawValue).filter(\.$disabled == false).count()
        }
        let dayAgo = now.addingTimeInterval(-86400)
        var transports = [String: Int]()
        for target in try await Target.query(on: database).field(\.$transport).all() {
            transports[target.transport, default: 0] += 1
        }
        let tokens = try await APIToken.query(on: database).filter(\.$revokedAt == nil).all()
        let recent =
            includeRecent
            ? try await AuditEntry.query(on: database).sort(\.$id, .descending).limit(10).all().map {
                AuditRow(when: $0.createdAt, actor: $0.actor ?? "—", action: $0.action, object: $0.object ?? "")
            } : []
        return DashboardModel(
            usersByRole: byRole,
            disabledUsers: try await User.query(on: database).filter(\.$disabled == true).count(),
            activeSessions: try await UserSession.query(on: database).filter(\.$expiresAt > now).count(),
            activeTokens: tokens.filter { $0.isActive(at: now) }.count,
            targets: transports.values.reduce(0, +), targetsByTransport: transports,
            groups: try await TargetGroup.query(on: database).count(),
            credentials: try await Credential.query(on: database).count(),
            trustedHostKeys: try await KnownHostRecord.query(on: database).count(),
            auditLast24h: try await AuditEntry.query(on: database).filter(\.$createdAt > dayAgo).count(),
            failedLoginsLast24h: try await AuditEntry.query(on: database)
                .filter(\.$action == "login.failure").filter(\.$createdAt > dayAgo).count(),
            recent: recent)
    }
}
