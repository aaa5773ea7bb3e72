import Foundation
import Vapor

/// `/admin/audit`, and its exports as CSV and JSON (the same filters, every page).
enum AdminAuditController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        let query = try AuditQuery.parse(QueryValues(request))
        let (entries, total) = try await query.run(on: request.db)
        let model = AdminAuditView.Model(
            entries: entries, total: total, query: query,
            knownActions: try await AuditQuery.knownActions(on: request.db))
        return AdminAuditView.render(model, context: try await request.pageContext(.admin)).response()
    }

    @Sendable static func exportCSV(_ request: Request) async throws -> Response {
        try await export(request, format: .csv)
    }

    @Sendable static func exportJSON(_ request: Request) async throws -> Response {
        try await export(request, format: .json)
    }

    /// Every entry the filters match, newest first, streamed a batch at a time; the export itself is audited.
    private static func export(_ request: Request, format: AuditExport.Format) async throws -> Response {
        let query = try AuditQuery.parse(QueryValues(request))
        var details = query.queryItems
        details["format"] = format.rawValue
        try await request.auditLog.record(
            "audit.export", actor: request.principal?.username, details: details, source: request.auditActor.source,
            sourceAddress: request.sourceAddress)
        let stamp = request.services.clock.now().formatted(
            .iso8601.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false)
                .timeSeparator(.omitted))
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"pcm-ops-audit-\(stamp).\(format.rawValue)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let database = request.db
        response.body = .init(asyncStream: { writer in
            do {
                var first = true
                try await writer.write(.buffer(ByteBuffer(string: AuditExport.header(format))))
                try await query.forEachBatch(on: database) { entries in
                    let text = try entries.map { entry in
                        defer { first = false }
                        return try AuditExport.line(entry, format: format, first: first)
                    }.joined()
                    try await writer.write(.buffer(ByteBuffer(string: text)))
                }
                try await writer.write(.buffer(ByteBuffer(string: AuditExport.footer(format))))
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }
}
