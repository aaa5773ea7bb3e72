import Foundation
import OpsCore
import Vapor

/// Checks a user's password through the ``LoginThrottle``: reserve a turn, wait for it, check,
/// record the outcome. Every place that takes a password (sign-in, the current password on
/// `/account/password`) goes through here, so guesses anywhere count against the same limits.
struct PasswordCheck: Sendable {
    let throttle: LoginThrottle
    let accounts: AccountService
    let hashing: PasswordHashing

    /// What the check found.
    enum Outcome: Sendable {
        case accepted(User)
        /// `reason` (unknown user, wrong password, account disabled) is for the audit log only.
        case rejected(reason: String)
        case throttled(retryAfter: Int, reason: String)
    }

    func check(username: String, password: String, address: String?) async throws -> Outcome {
        let reservation: LoginThrottle.Reservation
        switch try await throttle.reserve(username: username, address: address) {
        case .refuse(let retryAfter, let reason): return .throttled(retryAfter: retryAfter, reason: reason)
        case .proceed(let reserved): reservation = reserved
        }
        try await throttle.clock.sleep(until: reservation.notBefore)
        let user = try await accounts.find(username)
        var verified = false
        if let user {
            verified = await hashing.verify(password, against: user.passwordHash)
        } else {
            await hashing.verifyAgainstDummy(password)
        }
        guard let user, verified, !user.disabled else {
            try await throttle.finish(reservation, succeeded: false)
            return .rejected(reason: user == nil ? "unknown user" : (verified ? "account disabled" : "wrong password"))
        }
        try await throttle.finish(reservation, succeeded: true)
        return .accepted(user)
    }
}

extension Request {
    var passwordCheck: PasswordCheck {
        PasswordCheck(
            throttle: LoginThrottle(
                database: db, security: services.config.security, clock: services.clock,
                gate: services.loginReservations),
            accounts: accountService, hashing: PasswordHashing(cost: services.config.security.bcryptCost))
    }
}
