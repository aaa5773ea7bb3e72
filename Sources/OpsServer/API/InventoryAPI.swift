import Vapor

/// `POST /api/v1/inventory/import` and `/api/v1/known-hosts` (admin only).
enum InventoryAPI {
    /// Body: the file itself (text/plain, text/csv, application/yaml…) or JSON `{"content","file_name"}`.
    /// Query: `format=yaml|ini|csv`, `dry_run=true`, `file_name=`.
    @Sendable static func importInventory(_ request: Request) async throws -> InventoryImportReport {
        var fileName = request.query[String.self, at: "file_name"]
        let text: String
        if request.headers.contentType == .json {
            struct Body: Decodable {
                var content: String
                var file_name: String?
            }
            let body = try request.content.decode(Body.self)
            text = body.content
            fileName = body.file_name ?? fileName
        } else {
            guard let buffer = request.body.data,
                let body = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes)
            else {
                throw Abort(.badRequest, reason: "send the inventory file as the request body")
            }
            text = body
        }
        var format: InventoryImporter.Format?
        if let name = request.query[String.self, at: "format"] {
            guard let parsed = InventoryImporter.Format(rawValue: name.lowercased()) else {
                throw Abort(.badRequest, reason: "format must be yaml, ini or csv")
            }
            format = parsed
        }
        let dryRun = request.query[Bool.self, at: "dry_run"] ?? false
        return try await request.inventoryImporter.importText(
            text, fileName: fileName, format: format, dryRun: dryRun, by: request.auditActor)
    }

    @Sendable static func listKnownHosts(_ request: Request) async throws -> [KnownHostDTO] {
        try await request.knownHostsService.list().map(KnownHostDTO.init)
    }

    /// Body: OpenSSH known_hosts text.
    @Sendable static func importKnownHosts(_ request: Request) async throws -> KnownHostsImportReport {
        guard let buffer = request.body.data,
            let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes),
            !text.isEmpty
        else {
            throw Abort(.badRequest, reason: "send the known_hosts text as the request body")
        }
        return try await request.knownHostsService.importText(text, source: "api", by: request.auditActor)
    }

    @Sendable static func deleteKnownHost(_ request: Request) async throws -> HTTPStatus {
        try await request.knownHostsService.delete(id: try request.uuidParameter("id"), by: request.auditActor)
        return .noContent
    }
}
