import Fluent
import Foundation
import OpsCore
import SQLKit

/// Decides whether a password may be checked, and reserves the check before deciding, so parallel
/// attempts cannot all pass the check before any of them is recorded.
///
/// Limits: failures per (username, client address) and per client address give 429 for that
/// address only; failures per username from anywhere space the next checks out (exponentially,
/// capped) instead of locking the account, so a stranger cannot lock its owner out. Counting from
/// the database makes the limits hold across restarts and across every process sharing it.
///
/// Atomicity: each attempt first inserts its own pending row, then decides from the rows inserted
/// before it, and deletes its row if refused. A refused row is only ever deleted and an admitted
/// one never is, so every admitted attempt has counted every admitted attempt before it: at most
/// the limit are admitted, however many run at once. On SQLite, writes are serialised and each
/// insert commits at once, so row ids follow commit order; on PostgreSQL, where ids do not,
/// insert and decision run in one transaction holding advisory locks on the keys.
struct LoginThrottle: Sendable {
    let database: any Database
    let security: SecurityConfig
    let clock: any WallClock
    /// Reservations in this process wait here, not each on a pooled connection (see ``reserve(username:address:)``).
    var gate: ConcurrencyLimiter? = nil

    /// A reserved password check.
    struct Reservation: Sendable, Equatable {
        let id: Int
        /// The check must not run before this time.
        let notBefore: Date
    }

    /// The answer to a request for a password check.
    enum Decision: Sendable, Equatable {
        case proceed(Reservation)
        /// Try again after this many seconds; `reason` is for the audit log.
        case refuse(retryAfter: Int, reason: String)
    }

    /// Reserves a password check for `username` from `address`, or refuses one.
    func reserve(username: String, address: String?) async throws -> Decision {
        let user = Self.key(username)
        let address = address ?? "-"
        try await LoginAttempt.query(on: database)
            .filter(\.$createdAt < clock.now().addingTimeInterval(-2 * security.throttleWindow)).delete()
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            // The transaction below holds a pooled connection while it waits for the advisory locks. Parallel
            // attempts in one process therefore queue in `gate` first, without a connection: under load the pool
            // (one connection per event loop) was otherwise held by waiters and requests timed out.
            guard let gate else { return try await reserveLocked(user: user, address: address) }
            return try await gate.withPermit { try await reserveLocked(user: user, address: address) }
        }
        // SQLite has one writer and one connection per event loop: parallel attempts queue in `gate` too, rather
        // than interleaving their queries behind every other request's (under load, 30 at once made requests wait
        // past the pool's timeout).
        guard let gate else { return try await insertAndDecide(on: database, user: user, address: address) }
        return try await gate.withPermit { try await insertAndDecide(on: database, user: user, address: address) }
    }

    /// PostgreSQL: insert and decide in one transaction holding advisory locks on the keys.
    private func reserveLocked(user: String, address: String) async throws -> Decision {
        try await database.transaction { database in
            guard let sql = database as? any SQLDatabase else { throw LoginThrottleError.notSQL }
            for key in ["address:" + address, "user:" + user].sorted() {
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "pcmops.login." + key)))").run()
            }
            return try await insertAndDecide(on: database, user: user, address: address)
        }
    }

    /// Records how a reserved check ended. A reservation never finished counts as a failure.
    func finish(_ reservation: Reservation, succeeded: Bool) async throws {
        let outcome = (succeeded ? LoginAttempt.Outcome.success : .failure).rawValue
        try await LoginAttempt.query(on: database).filter(\.$id == reservation.id).set(\.$outcome, to: outcome)
            .update()
    }

    private func insertAndDecide(on database: any Database, user: String, address: String) async throws -> Decision {
        let current = clock.now()
        let attempt = LoginAttempt(username: user, address: address, createdAt: current, notBefore: current)
        try await attempt.create(on: database)
        let id = try attempt.requireID()
        switch try await decide(on: database, id: id, user: user, address: address, current: current) {
        case .proceed(let reservation):
            if reservation.notBefore != current {
                try await LoginAttempt.query(on: database).filter(\.$id == id)
                    .set(\.$notBefore, to: reservation.notBefore).update()
            }
            return .proceed(reservation)
        case .refuse(let retryAfter, let reason):
            try await LoginAttempt.query(on: database).filter(\.$id == id).delete()
            return .refuse(retryAfter: retryAfter, reason: reason)
        }
    }

    /// Decides attempt `id` from the attempts inserted before it.
    private func decide(on database: any Database, id: Int, user: String, address: String, current: Date)
        async throws -> Decision
    {
        let windowStart = current.addingTimeInterval(-security.throttleWindow)
        let failed = [LoginAttempt.Outcome.pending.rawValue, LoginAttempt.Outcome.failure.rawValue]
        func earlier() -> QueryBuilder<LoginAttempt> {
            LoginAttempt.query(on: database).filter(\.$id < id).filter(\.$createdAt > windowStart)
        }
        /// The id of the user's last success (from this address only, or from anywhere), or 0.
        func lastSuccess(fromAddress: Bool) async throws -> Int {
            var query = earlier().filter(\.$username == user)
                .filter(\.$outcome == LoginAttempt.Outcome.success.rawValue)
            if fromAddress { query = query.filter(\.$address == address) }
            return try await query.sort(\.$id, .descending).first()?.id ?? 0
        }

        // Per (user, address): failures since the window opened or this address's last success.
        let pairSince = try await lastSuccess(fromAddress: true)
        let pair = try await earlier().filter(\.$username == user).filter(\.$address == address)
            .filter(\.$outcome ~~ failed).filter(\.$id > pairSince)
            .sort(\.$id, .descending).limit(security.maxFailuresPerUserAndAddress).all()
        if pair.count >= security.maxFailuresPerUserAndAddress, let oldest = pair.last {
            return .refuse(retryAfter: wait(until: oldest.createdAt, current: current), reason: "user and address")
        }
        // Per address, any user names.
        let fromAddress = try await earlier().filter(\.$address == address).filter(\.$outcome ~~ failed)
            .sort(\.$id, .descending).limit(security.maxFailuresPerAddress).all()
        if fromAddress.count >= security.maxFailuresPerAddress, let oldest = fromAddress.last {
            return .refuse(retryAfter: wait(until: oldest.createdAt, current: current), reason: "address")
        }
        // Per user from anywhere: each check waits its turn behind the earlier ones, spaced by the
        // slow-down. Turns are worked out from the earlier attempts' times alone, so they do not
        // depend on whether those attempts have written their own turn yet.
        let userSince = try await lastSuccess(fromAddress: false)
        let before = try await earlier().filter(\.$username == user).filter(\.$outcome ~~ failed)
            .filter(\.$id > userSince).sort(\.$id, .ascending).all()
        var turn: Date?
        for (index, attempt) in before.enumerated() {
            turn = max(attempt.createdAt, (turn ?? attempt.createdAt).addingTimeInterval(spacing(afterFailures: index)))
        }
        let notBefore = max(current, (turn ?? current).addingTimeInterval(spacing(afterFailures: before.count)))
        let queued = notBefore.timeIntervalSince(current)
        if queued > security.maxSlowDownWait {
            return .refuse(
                retryAfter: max(1, Int((queued - security.maxSlowDownWait).rounded(.up))), reason: "user slow-down")
        }
        return .proceed(Reservation(id: id, notBefore: notBefore))
    }

    /// The gap before the next check after `failures` failures for one user name.
    func spacing(afterFailures failures: Int) -> TimeInterval {
        guard failures >= security.slowDownAfterFailures else { return 0 }
        let doublings = min(failures - security.slowDownAfterFailures, 30)
        return min(security.slowDownCap, security.slowDownBase * Double(1 << doublings))
    }

    /// Seconds until a failure at `failure` leaves the window (at least 1).
    private func wait(until failure: Date, current: Date) -> Int {
        max(1, Int((failure.addingTimeInterval(security.throttleWindow).timeIntervalSince(current)).rounded(.up)))
    }

    /// The audit object a login attempt is recorded against (the name as typed, bounded).
    static func object(_ username: String) -> String {
        "user:" + key(username)
    }

    /// The user name as the throttle counts it: trimmed, lower-case, at most 64 characters.
    static func key(_ username: String) -> String {
        String(username.trimmingCharacters(in: .whitespaces).lowercased().prefix(64))
    }
}

/// The login throttle's database is not an SQL database (never in PCM-Ops; Fluent allows it).
enum LoginThrottleError: Error {
    case notSQL
}
