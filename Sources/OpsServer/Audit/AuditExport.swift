import Foundation

/// The audit log written out: CSV (RFC 4180, one header row) or a JSON array of the API's `AuditEntry` objects.
enum AuditExport {
    enum Format: String, Sendable {
        case csv, json

        var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .json: "application/json; charset=utf-8"
            }
        }
    }

    static let columns = ["id", "created_at", "actor", "action", "object", "details", "source", "source_address"]

    static func header(_ format: Format) -> String {
        switch format {
        case .csv: columns.joined(separator: ",") + "\r\n"
        case .json: "["
        }
    }

    static func footer(_ format: Format) -> String {
        switch format {
        case .csv: ""
        case .json: "]\n"
        }
    }

    /// One entry as a CSV row, or as a JSON array element (`first` leaves out the separating comma).
    static func line(_ entry: AuditEntry, format: Format, first: Bool) throws -> String {
        let created = entry.createdAt.formatted(.iso8601)
        switch format {
        case .csv:
            let fields: [String] = [
                entry.id.map(String.init) ?? "", created, entry.actor ?? "", entry.action, entry.object ?? "",
                entry.details ?? "", entry.source, entry.sourceAddress ?? "",
            ]
            return fields.map(csvField).joined(separator: ",") + "\r\n"
        case .json:
            var object: [String: Any] = ["created_at": created, "action": entry.action, "source": entry.source]
            if let id = entry.id { object["id"] = id }
            if let actor = entry.actor { object["actor"] = actor }
            if let value = entry.object { object["object"] = value }
            if let details = entry.details { object["details"] = details }
            if let address = entry.sourceAddress { object["source_address"] = address }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return (first ? "\n" : ",\n") + String(decoding: data, as: UTF8.self)
        }
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A field a
    /// spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a
    /// leading `'` first (OWASP CSV injection), so opening an export never runs what a user typed.
    static func csvField(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
