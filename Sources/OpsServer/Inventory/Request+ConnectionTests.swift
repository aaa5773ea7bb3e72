import Vapor

extension Request {
    /// Tests connections to `targets` and records one audit entry for it (`object` names what was
    /// tested: a target, a group or a list), and keeps each result as its target's last test. Every page and
    /// endpoint that tests goes through here.
    func testConnections(
        _ targets: [Target], object: String, requireAdmin: Bool = false
    ) async throws -> [ConnectionTestResult] {
        let connector = targetConnector
        let results =
            targets.count == 1
            ? [await connector.test(targets[0], requireAdmin: requireAdmin)]
            : await connector.test(targets, requireAdmin: requireAdmin)
        var details = ["count": String(results.count), "failed": String(results.filter { !$0.ok }.count)]
        if results.count == 1 { details["stage"] = results[0].failedStage ?? "" }
        try await TargetCheckStore(database: db).record(
            results, of: targets, by: principal?.username, at: services.clock.now())
        try await auditLog.record(
            "target.test", actor: principal?.username, object: object, details: details, source: auditActor.source,
            sourceAddress: sourceAddress)
        return results
    }
}
