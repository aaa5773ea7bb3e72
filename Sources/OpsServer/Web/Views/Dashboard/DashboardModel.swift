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
    var targetsByOS: [String: Int] = [:]
    /// Runs queued or running now, newest first.
    var running: [RunRow] = []
    /// Runs that ended failed or partially failed in the last 7 days, newest first.
    var recentFailures: [RunRow] = []
    /// Per tool over the last 7 days (to the hour): runs that succeeded, and all that ended.
    var successByTool: [(tool: String, succeeded: Int, ended: Int)] = []

    struct RunRow: Sendable {
        var id: String
        var reference: String
        var status: String
        var requestedBy: String
        var createdAt: Date?
        var targets: Int
    }

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
        var systems = [String: Int]()
        for target in try await Target.query(on: database).field(\.$transport).field(\.$os).all() {
            transports[target.transport, default: 0] += 1
            systems[target.os, default: 0] += 1
        }
        let weekAgo = now.addingTimeInterval(-7 * 86400)
        func row(_ run: Run) -> RunRow {
            RunRow(
                id: run.publicID, reference: "\(run.tool).\(run.action ?? run.workflow ?? "")", status: run.status,
                requestedBy: run.requestedBy, createdAt: run.createdAt, targets: run.targetCount)
        }
        let running = try await Run.query(on: database)
            .filter(\.$status ~~ [RunStatus.queued.rawValue, RunStatus.running.rawValue])
            .sort(\.$createdAt, .descending).limit(10).all().map(row)
        // Each status on its own walks its index from the newest run and stops at ten (issue 17.2).
        var failures = [Run]()
        for status in [RunStatus.failed, .partiallyFailed] {
            failures += try await Run.query(on: database).filter(\.$status == status.rawValue)
                .filter(\.$createdAt > weekAgo).sort(\.$createdAt, .descending).sort(\.$publicID, .descending)
                .limit(10).all()
        }
        failures.sort { ($0.createdAt ?? .distantPast, $0.publicID) > ($1.createdAt ?? .distantPast, $1.publicID) }
        // Counted as runs end, per hour and tool: the week is at most 168 rows per tool.
        let perTool = try await RunHistoryTables.endedByTool(since: weekAgo, on: database)
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
            recent: recent, targetsByOS: systems, running: running, recentFailures: failures.prefix(10).map(row),
            successByTool: perTool)
    }
}
