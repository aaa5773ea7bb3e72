import Vapor

/// `GET /api/v1/audit` (admin): `user`, `action`, `page`, `per_page`.
enum AuditAPI {
    @Sendable static func list(_ request: Request) async throws -> Page<AuditEntryDTO> {
        let query = try AuditQuery.parse(request)
        let (entries, total) = try await query.run(on: request.db)
        return Page(items: entries.map(AuditEntryDTO.init), total: total, page: query.page, per_page: query.perPage)
    }
}
