import Fluent
import Foundation
import SQLKit
import Vapor

/// Small per-user choices the pages remember (`user_settings`). Every change is audited.
struct UserSettings: Sendable {
    /// The settings there are, each with the values it takes; anything else is refused.
    enum Key: String, CaseIterable, Sendable {
        /// The dashboard's "Getting started" list: `dismissed` or `shown`.
        case gettingStarted = "dashboard.getting_started"

        var values: [String] {
            switch self {
            case .gettingStarted: ["dismissed", "shown"]
            }
        }
    }

    let database: any Database
    let audit: AuditLog
    let now: @Sendable () -> Date

    /// The stored value, or nil when the user never chose.
    func value(_ key: Key, user: UUID) async throws -> String? {
        try await UserSetting.query(on: database).filter(\.$user.$id == user).filter(\.$key == key.rawValue).first()?
            .value
    }

    /// Stores `value` for `user` (a value the key does not take is a 400) and audits it as `user.setting`.
    func set(_ key: Key, to value: String, user: UUID, username: String, actor: AccountService.Actor) async throws {
        guard key.values.contains(value) else {
            throw Abort(
                .badRequest,
                reason: "\(key.rawValue) takes \(key.values.joined(separator: " or ")), got '\(value.prefix(40))'")
        }
        try await database.transaction { database in
            guard let sql = database as? any SQLDatabase else { return }
            try await sql.insert(into: UserSetting.schema).columns("id", "user_id", "key", "value", "updated_at")
                .values(SQLBind(UUID()), SQLBind(user), SQLBind(key.rawValue), SQLBind(value), SQLBind(now()))
                .onConflict(with: ["user_id", "key"]) {
                    $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at")
                }
                .run()
            try await audit.on(database).record(
                "user.setting", actor: actor.name, object: "user:\(username)",
                details: ["key": key.rawValue, "value": value], source: actor.source, sourceAddress: actor.address)
        }
    }
}

extension Request {
    var userSettings: UserSettings {
        UserSettings(database: db, audit: auditLog, now: { [clock = services.clock] in clock.now() })
    }
}
