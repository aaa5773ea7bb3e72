import FluentKit
import FluentSQLiteDriver
import Foundation

extension Database {
    /// A transaction that is tried again when SQLite reports the database busy. In WAL mode a
    /// transaction that read before another connection committed cannot then write
    /// (`SQLITE_BUSY_SNAPSHOT`), and the busy timeout does not cover that case; the whole
    /// transaction has rolled back, so running it again is safe. Other errors, and every error on
    /// PostgreSQL, pass through at once.
    func retryingTransaction<T: Sendable>(
        attempts: Int = 6, retryIf: (any Error) -> Bool = SQLiteBusy.matches,
        _ work: @Sendable @escaping (any Database) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction(work)
            } catch  where retryIf(error) && attempt < attempts {
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...20) << attempt))
                attempt += 1
            }
        }
    }
}

/// SQLite's "database is busy" results, whatever their flavour.
enum SQLiteBusy {
    static func matches(_ error: any Error) -> Bool {
        guard let error = error as? SQLiteError else { return false }
        return switch error.reason {
        case .busy, .busyInSnapshot, .busyInRecovery, .busyTimeout, .locked: true
        default: false
        }
    }
}
