import Vapor

/// `/admin/audit`.
enum AdminAuditController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        let query = try AuditQuery.parse(QueryValues(request))
        let (entries, total) = try await query.run(on: request.db)
        let model = AdminAuditView.Model(
            entries: entries, total: total, query: query,
            knownActions: try await AuditQuery.knownActions(on: request.db))
        return AdminAuditView.render(model, context: try await request.pageContext(.admin)).response()
    }
}
