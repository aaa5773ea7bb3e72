import FluentSQLiteDriver
import Foundation

/// A query's rows read as SQLite's own values when the database is SQLite (issue 17.2): SQLKit's rows decode each
/// column through a `Codable` decoder, which cost a page of 50 runs more than the query did. Values are stored as
/// Fluent writes them: UUIDs as text, dates as seconds since 1970, booleans as integers.
struct SQLiteValues: RunColumns {
    let row: SQLiteRow

    /// The rows of `query`, or nil when the database is not SQLite.
    static func rows(of query: SQLQueryString, on sql: any SQLDatabase) async throws -> [SQLiteValues]? {
        guard let sqlite = sql as? any SQLiteDatabase else { return nil }
        var serializer = SQLSerializer(database: sql)
        query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        return try await sqlite.query(serializer.sql, binds).get().map(SQLiteValues.init)
    }

    func string(_ column: String) throws -> String {
        guard let value = optionalString(column) else { throw missing(column) }
        return value
    }

    func optionalString(_ column: String) -> String? {
        switch row.column(column) {
        case .text(let text): text
        case .integer(let number): String(number)
        case .float(let number): String(number)
        case .blob(let buffer): buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes)
        case .null, nil: nil
        }
    }

    func int(_ column: String) throws -> Int {
        switch row.column(column) {
        case .integer(let number): return number
        case .float(let number) where number == number.rounded(): return Int(number)
        case .text(let text): if let number = Int(text) { return number }
        default: break
        }
        throw missing(column)
    }

    func bool(_ column: String) throws -> Bool { try int(column) != 0 }

    func uuid(_ column: String) throws -> UUID {
        guard let text = optionalString(column), let uuid = UUID(uuidString: text) else { throw missing(column) }
        return uuid
    }

    func date(_ column: String) -> Date? {
        guard let value = row.column(column), value != .null else { return nil }
        return Date(sqliteData: value)
    }

    private func missing(_ column: String) -> RunError {
        .invalid(field: column, message: "the database holds no readable '\(column)'")
    }
}

/// Reading a row's columns by name, whatever the driver: ``SQLiteValues`` reads SQLite's own values, ``SQLRowColumns``
/// goes through SQLKit's decoder (PostgreSQL).
protocol RunColumns {
    func string(_ column: String) throws -> String
    func optionalString(_ column: String) throws -> String?
    func int(_ column: String) throws -> Int
    func bool(_ column: String) throws -> Bool
    func uuid(_ column: String) throws -> UUID
    func date(_ column: String) throws -> Date?
}

/// A SQLKit row read as ``RunColumns``; a value that does not decode is an error.
struct SQLRowColumns: RunColumns {
    let row: any SQLRow

    func string(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
    func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }
    func bool(_ column: String) throws -> Bool { try row.decode(column: column, as: Bool.self) }
    func uuid(_ column: String) throws -> UUID { try row.decode(column: column, as: UUID.self) }
    func date(_ column: String) throws -> Date? { try row.decode(column: column, as: Date?.self) }
}
