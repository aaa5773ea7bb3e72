import Fluent
import SQLKit
import Vapor

/// A filtered, paginated read of the audit log, shared by the admin page and the API.
struct AuditQuery: Sendable {
    static let maxPerPage = 200

    var user: String?
    var action: String?
    var page = 1
    var perPage = 50

    /// Reads `user`, `action`, `page` and `per_page` from the query string; bad values are a 400.
    static func parse(_ values: QueryValues) throws -> AuditQuery {
        var query = AuditQuery()
        query.user = values["user"]?.trimmingCharacters(in: .whitespaces).lowercased().nonEmpty
        if let action = values["action"]?.trimmingCharacters(in: .whitespaces).nonEmpty {
            // ASCII, and the length in code points: openapi.yaml's pattern for `action` says the same.
            guard action.unicodeScalars.count <= 64,
                action.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
            else {
                throw Abort(.badRequest, reason: "action filter may contain only letters, digits, '.', '_' and '-'")
            }
            query.action = action
        }
        if let text = values["page"] {
            guard let page = Int(text), page >= 1, page <= 1_000_000 else {
                throw Abort(.badRequest, reason: "page must be a whole number from 1, got '\(text)'")
            }
            query.page = page
        }
        if let text = values["per_page"] {
            guard let perPage = Int(text), (1...maxPerPage).contains(perPage) else {
                throw Abort(.badRequest, reason: "per_page must be from 1 to \(maxPerPage), got '\(text)'")
            }
            query.perPage = perPage
        }
        return query
    }

    /// One page of entries, newest first, and the total that match.
    func run(on database: any Database) async throws -> (entries: [AuditEntry], total: Int) {
        let base = AuditEntry.query(on: database)
        if let user { base.filter(\.$actor == user) }
        if let action {
            base.group(.or) { group in
                group.filter(\.$action == action).filter(\.$action =~ "\(action).")
            }
        }
        let total = try await base.copy().count()
        let entries = try await base.sort(\.$id, .descending)
            .range(((page - 1) * perPage)..<(page * perPage)).all()
        return (entries, total)
    }

    /// Every action recorded so far, for the filter's suggestions.
    static func knownActions(on database: any Database) async throws -> [String] {
        guard let sql = database as? any SQLDatabase else { return [] }
        struct Row: Decodable { var action: String }
        return try await sql.raw("SELECT DISTINCT action FROM audit_log ORDER BY action").all(decoding: Row.self)
            .map(\.action)
    }
}
