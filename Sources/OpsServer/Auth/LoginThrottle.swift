import Fluent
import Foundation

/// Decides whether a login attempt may proceed, counting failures recorded in the audit log.
///
/// Counting from the audit log (not process memory) makes the limit hold across restarts and across
/// every server process that shares the database.
struct LoginThrottle: Sendable {
    let database: any Database
    let security: SecurityConfig
    let now: @Sendable () -> Date

    /// Seconds to wait before trying again, or nil when the attempt may proceed.
    func retryAfter(username: String, address: String?) async throws -> Int? {
        let current = now()
        let windowStart = current.addingTimeInterval(-security.throttleWindow)
        var waits = [Int]()

        // Failures for this user since the window opened or since their last success, whichever is later.
        var since = windowStart
        if let success = try await AuditEntry.query(on: database)
            .filter(\.$action == "login.success").filter(\.$object == Self.object(username))
            .filter(\.$createdAt > windowStart).sort(\.$createdAt, .descending).first()
        {
            since = max(since, success.createdAt)
        }
        let userFailures = try await AuditEntry.query(on: database)
            .filter(\.$action == "login.failure").filter(\.$object == Self.object(username))
            .filter(\.$createdAt > since).sort(\.$createdAt, .descending)
            .limit(security.maxFailuresPerUser).all()
        if userFailures.count >= security.maxFailuresPerUser, let oldest = userFailures.last {
            waits.append(wait(until: oldest.createdAt, current: current))
        }

        if let address {
            let addressFailures = try await AuditEntry.query(on: database)
                .filter(\.$action == "login.failure").filter(\.$sourceAddress == address)
                .filter(\.$createdAt > windowStart).sort(\.$createdAt, .descending)
                .limit(security.maxFailuresPerAddress).all()
            if addressFailures.count >= security.maxFailuresPerAddress, let oldest = addressFailures.last {
                waits.append(wait(until: oldest.createdAt, current: current))
            }
        }
        return waits.max()
    }

    /// Seconds until a failure at `failure` leaves the window (at least 1).
    private func wait(until failure: Date, current: Date) -> Int {
        max(1, Int((failure.addingTimeInterval(security.throttleWindow).timeIntervalSince(current)).rounded(.up)))
    }

    /// The audit object a login attempt is recorded against (the name as typed, bounded).
    static func object(_ username: String) -> String {
        "user:" + String(username.trimmingCharacters(in: .whitespaces).lowercased().prefix(64))
    }
}
