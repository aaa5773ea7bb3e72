import Fluent
import SQLKit
import Vapor

/// A filtered, paginated read of the audit log, shared by the admin page, its exports and the API.
struct AuditQuery: Sendable {
    static let maxPerPage = 200

    var user: String?
    var action: String?
    /// Entries at or after this time.
    var since: Date?
    /// Entries before this time.
    var until: Date?
    /// `since` and `until` as they were written, for links that keep the filters.
    var sinceText: String?
    var untilText: String?
    var page = 1
    var perPage = 50

    /// Reads `user`, `action`, `since`, `until`, `page` and `per_page` from the query string; bad values are a 400.
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
        for field in ["since", "until"] {
            guard let text = values[field]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
            let date: Date
            do {
                date = try RunListFilter.date(text, field: field)
            } catch let error as RunError {
                throw Abort(.badRequest, reason: error.description)
            }
            if field == "since" {
                (query.since, query.sinceText) = (date, text)
            } else {
                (query.until, query.untilText) = (date, text)
            }
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
        let base = filtered(on: database)
        let total = try await base.copy().count()
        let entries = try await base.sort(\.$id, .descending)
            .range(((page - 1) * perPage)..<(page * perPage)).all()
        return (entries, total)
    }

    /// The entries that match, every page, newest first, `batch` at a time (one keyset range per batch): what
    /// the exports write.
    func forEachBatch(
        on database: any Database, batch: Int = 500, _ body: ([AuditEntry]) async throws -> Void
    ) async throws {
        var before: Int?
        while true {
            let query = filtered(on: database)
            if let before { query.filter(\.$id < before) }
            let entries = try await query.sort(\.$id, .descending).limit(batch).all()
            guard !entries.isEmpty else { return }
            try await body(entries)
            guard entries.count == batch, let last = entries.last?.id else { return }
            before = last
        }
    }

    /// The filters as query items, for links and exports that keep them.
    var queryItems: [String: String] {
        var items = [String: String]()
        if let user { items["user"] = user }
        if let action { items["action"] = action }
        if let sinceText { items["since"] = sinceText }
        if let untilText { items["until"] = untilText }
        return items
    }

    private func filtered(on database: any Database) -> QueryBuilder<AuditEntry> {
        let base = AuditEntry.query(on: database)
        if let user { base.filter(\.$actor == user) }
        if let action {
            base.group(.or) { group in
                group.filter(\.$action == action).filter(\.$action =~ "\(action).")
            }
        }
        if let since { base.filter(\.$createdAt >= since) }
        if let until { base.filter(\.$createdAt < until) }
        return base
    }

    /// Every action recorded so far, for the filter's suggestions.
    static func knownActions(on database: any Database) async throws -> [String] {
        guard let sql = database as? any SQLDatabase else { return [] }
        struct Row: Decodable { var action: String }
        return try await sql.raw("SELECT DISTINCT action FROM audit_log ORDER BY action").all(decoding: Row.self)
            .map(\.action)
    }
}
