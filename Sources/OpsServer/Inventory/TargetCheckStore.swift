import Fluent
import Foundation
import SQLKit

/// The last connection test of each target (`target_checks`): written by every test, read by the target pages.
struct TargetCheckStore: Sendable {
    let database: any Database

    /// Keeps `results` as the targets' last tests (matched by name; a result for a target not in `targets` is
    /// skipped), replacing what each had.
    func record(
        _ results: [ConnectionTestResult], of targets: [Target], by actor: String?, at now: Date
    ) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var ids = [String: UUID]()
        for target in targets { if let id = target.id { ids[target.name] = id } }
        let rows = results.compactMap { result in ids[result.target].map { (id: $0, result: result) } }
        for start in stride(from: 0, to: rows.count, by: 200) {
            let insert = sql.insert(into: TargetCheck.schema)
                .columns("id", "target_id", "checked_at", "ok", "failed_stage", "message", "checked_by")
            for row in rows[start..<min(start + 200, rows.count)] {
                insert.values(
                    SQLBind(UUID()), SQLBind(row.id), SQLBind(now), SQLBind(row.result.ok),
                    SQLBind(row.result.failedStage), SQLBind(String(row.result.message.prefix(2000))),
                    SQLBind(actor))
            }
            try await insert.onConflict(with: ["target_id"]) { update in
                update.set(excludedValueOf: "checked_at").set(excludedValueOf: "ok")
                    .set(excludedValueOf: "failed_stage").set(excludedValueOf: "message")
                    .set(excludedValueOf: "checked_by")
            }.run()
        }
    }

    /// The last test of each of `targetIDs` that was ever tested, by target id.
    func latest(_ targetIDs: [UUID]) async throws -> [UUID: TargetCheck] {
        var checks = [UUID: TargetCheck]()
        for start in stride(from: 0, to: targetIDs.count, by: 500) {
            let chunk = Array(targetIDs[start..<min(start + 500, targetIDs.count)])
            for check in try await TargetCheck.query(on: database).filter(\.$target.$id ~~ chunk).all() {
                checks[check.$target.id] = check
            }
        }
        return checks
    }
}
