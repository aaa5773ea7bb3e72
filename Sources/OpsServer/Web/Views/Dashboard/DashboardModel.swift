import Fluent
import Foundation
import OpsCore

/// The numbers on the dashboard, read straight from the database. What only admins may see (users, sessions,
/// tokens, sign-ins, the audit log, credentials, host keys) is read only for an admin.
struct DashboardModel: Sendable {
    var targets: Int
    var targetsByTransport: [String: Int]
    var targetsByOS: [String: Int] = [:]
    var groups: Int
    /// Runs queued or running now, the newest ten, newest first.
    var running: [RunRow] = []
    /// How many runs are queued or running now (`running` shows at most ten of them).
    var runningCount = 0
    /// Runs that ended failed or partially failed in the last 7 days, newest first.
    var recentFailures: [RunRow] = []
    /// Per tool over the last 7 days (to the hour): runs that succeeded, and all that ended.
    var successByTool: [(tool: String, succeeded: Int, ended: Int)] = []
    /// The counters and the latest audit entries an admin sees; nil for everyone else.
    var admin: AdminCounters?
    /// The "Getting started" list, or nil once the basics exist or the user dismissed it.
    var gettingStarted: GettingStarted?
    /// The user dismissed "Getting started" while some basics are still missing (the page offers it back).
    var gettingStartedDismissed = false

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
        /// The entry's details (a JSON object), where, and through what; shown on the audit page.
        var details: String? = nil
        var source: String? = nil
        var sourceAddress: String? = nil
    }

    /// What only admins see.
    struct AdminCounters: Sendable {
        var usersByRole: [Role: Int]
        var disabledUsers: Int
        var activeSessions: Int
        var activeTokens: Int
        var credentials: Int
        var trustedHostKeys: Int
        var auditLast24h: Int
        var failedLoginsLast24h: Int
        var recent: [AuditRow]
    }

    /// The first things to do on a new installation, each done or not.
    struct GettingStarted: Sendable, Equatable {
        var hasTargets: Bool
        /// A credential is stored, or no target needs one (local and SSM targets do not).
        var hasCredentials: Bool
        var hasRuns: Bool
        var hasToken: Bool

        /// The basics: targets, what they need to sign in, and a first run. The list goes away once they exist.
        var basicsDone: Bool { hasTargets && hasCredentials && hasRuns }
    }

    /// True while something is queued or running: the page then refreshes itself.
    var isActive: Bool { !running.isEmpty }

    /// Reads the dashboard for `user` (nil: no one signed in); `forAdmin` adds the admin counters.
    static func load(on database: any Database, now: Date, forAdmin: Bool, user: UUID? = nil) async throws
        -> DashboardModel
    {
        var transports = [String: Int]()
        var systems = [String: Int]()
        for target in try await Target.query(on: database).field(\.$transport).field(\.$os).all() {
            transports[target.transport, default: 0] += 1
            systems[target.os, default: 0] += 1
        }
        var model = DashboardModel(
            targets: transports.values.reduce(0, +), targetsByTransport: transports, targetsByOS: systems,
            groups: try await TargetGroup.query(on: database).count())
        try await model.loadRuns(on: database, now: now)
        let credentials = try await Credential.query(on: database).count()
        if forAdmin { model.admin = try await AdminCounters.load(on: database, now: now, credentials: credentials) }
        if let user {
            let needsCredential = transports.contains { !["local", "ssm"].contains($0.key) && $0.value > 0 }
            let list = GettingStarted(
                hasTargets: model.targets > 0,
                hasCredentials: credentials > 0 || (model.targets > 0 && !needsCredential),
                hasRuns: try await Run.query(on: database).limit(1).count() > 0,
                hasToken: try await APIToken.query(on: database).filter(\.$user.$id == user)
                    .filter(\.$revokedAt == nil).all().contains { $0.isActive(at: now) })
            let dismissed =
                try await UserSetting.query(on: database).filter(\.$user.$id == user)
                .filter(\.$key == UserSettings.Key.gettingStarted.rawValue).first()?.value == "dismissed"
            if !list.basicsDone {
                if dismissed { model.gettingStartedDismissed = true } else { model.gettingStarted = list }
            }
        }
        return model
    }

    /// Running now, the week's failures and the week's success rate per tool.
    private mutating func loadRuns(on database: any Database, now: Date) async throws {
        let weekAgo = now.addingTimeInterval(-7 * 86400)
        func row(_ run: Run) -> RunRow {
            RunRow(
                id: run.publicID, reference: "\(run.tool).\(run.action ?? run.workflow ?? "")", status: run.status,
                requestedBy: run.requestedBy, createdAt: run.createdAt, targets: run.targetCount)
        }
        let active = [RunStatus.queued.rawValue, RunStatus.running.rawValue]
        running = try await Run.query(on: database).filter(\.$status ~~ active)
            .sort(\.$createdAt, .descending).limit(10).all().map(row)
        runningCount =
            running.count < 10 ? running.count : try await Run.query(on: database).filter(\.$status ~~ active).count()
        // Each status on its own walks its index from the newest run and stops at ten (issue 17.2).
        var failures = [Run]()
        for status in [RunStatus.failed, .partiallyFailed] {
            failures += try await Run.query(on: database).filter(\.$status == status.rawValue)
                .filter(\.$createdAt > weekAgo).sort(\.$createdAt, .descending).sort(\.$publicID, .descending)
                .limit(10).all()
        }
        failures.sort { ($0.createdAt ?? .distantPast, $0.publicID) > ($1.createdAt ?? .distantPast, $1.publicID) }
        recentFailures = failures.prefix(10).map(row)
        // Counted as runs end, per hour and tool: the week is at most 168 rows per tool.
        successByTool = try await RunHistoryTables.endedByTool(since: weekAgo, on: database)
    }
}

extension DashboardModel.AdminCounters {
    static func load(on database: any Database, now: Date, credentials: Int) async throws -> Self {
        var byRole = [Role: Int]()
        for role in Role.allCases {
            byRole[role] = try await User.query(on: database)
                .filter(\.$roleName == role.rawValue).filter(\.$disabled == false).count()
        }
        let dayAgo = now.addingTimeInterval(-86400)
        let tokens = try await APIToken.query(on: database).filter(\.$revokedAt == nil).all()
        let recent = try await AuditEntry.query(on: database).sort(\.$id, .descending).limit(10).all().map {
            DashboardModel.AuditRow(
                when: $0.createdAt, actor: $0.actor ?? "—", action: $0.action, object: $0.object ?? "")
        }
        return Self(
            usersByRole: byRole,
            disabledUsers: try await User.query(on: database).filter(\.$disabled == true).count(),
            activeSessions: try await UserSession.query(on: database).filter(\.$expiresAt > now).count(),
            activeTokens: tokens.filter { $0.isActive(at: now) }.count,
            credentials: credentials,
            trustedHostKeys: try await KnownHostRecord.query(on: database).count(),
            auditLast24h: try await AuditEntry.query(on: database).filter(\.$createdAt > dayAgo).count(),
            failedLoginsLast24h: try await AuditEntry.query(on: database)
                .filter(\.$action == "login.failure").filter(\.$createdAt > dayAgo).count(),
            recent: recent)
    }
}
